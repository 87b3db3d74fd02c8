#include "core/oauth2/device_code_poller.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/json/json.hpp"
#include "util/log.hpp"

namespace aadcred {

namespace {

using std::chrono::seconds;

// RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all
// subsequent requests".
constexpr seconds kSlowDownStep{5};
// A Retry-After longer than a day is nonsense for a code that lives minutes.
constexpr seconds kMaxRetryAfter{86400};

class SystemPollClock final : public PollClock {
  public:
    time_point now() const override { return std::chrono::system_clock::now(); }
    void wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                    time_point until, const std::function<bool()> &woken) override {
        cv.wait_until(lock, until, woken);
    }
};

// RFC 9110 §10.2.3 delay-seconds; the HTTP-date form is not used by token endpoints.
seconds retry_after(const HttpResponse &response) {
    const auto value = response.header("retry-after");
    if (!value || value->empty() || value->size() > 9) return seconds{0};
    if (!std::all_of(value->begin(), value->end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; }))
        return seconds{0};
    return std::min(seconds{std::stol(*value)}, kMaxRetryAfter);
}

std::string oauth_error_of(const HttpResponse &response) {
    auto reply = json::try_parse_secret(response.body.reveal());
    if (!reply || !reply->IsObject()) return {};
    return json::get_string(*reply, "error").value_or("");
}

}  // namespace

PollClock &system_poll_clock() {
    static SystemPollClock clock;
    return clock;
}

void PollCancellation::cancel() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    cv_.notify_all();
}

bool PollCancellation::cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
}

// Waits for the next poll time; friend of PollCancellation for its mutex and cv.
class PollWaiter {
  public:
    static void wait(PollClock &clock, PollCancellation &cancellation,
                     PollClock::time_point until) {
        std::unique_lock lock(cancellation.mutex_);
        clock.wait_until(lock, cancellation.cv_, until,
                         [&cancellation] { return cancellation.cancelled_; });
        if (cancellation.cancelled_)
            throw AdalError(ErrorClass::cancelled, "Polling_Request_Cancelled");
    }
};

HttpResponse poll_for_token(PollClock &clock, PollCancellation &cancellation, const Logger &log,
                            PollPlan plan, const PollSend &send) {
    if (plan.interval <= seconds{0})
        throw AdalError(ErrorClass::invalid, "invalid refresh interval");
    seconds interval = plan.interval;
    PollClock::time_point next = clock.now();  // the first poll goes out at once
    std::string last_problem;

    for (;;) {
        PollWaiter::wait(clock, cancellation, std::min(next, plan.deadline));
        const auto now = clock.now();
        if (now >= plan.deadline) {
            if (!last_problem.empty())
                log.warning("Polling gave up at the deadline; last problem: " + last_problem);
            throw AdalError(ErrorClass::timeout, "Timeout from \"get_token_with_polling\"");
        }

        HttpResponse response;
        try {
            response = send();
        } catch (const AdalError &e) {
            if (e.klass() != ErrorClass::network) throw;
            // A dropped connection or a timeout may pass; the deadline bounds the retries.
            last_problem = e.message();
            log.warning("Polling request failed, retrying: " + e.message());
            next = clock.now() + interval;
            continue;
        }
        if (is_http_success(response.status)) return response;

        const std::string error = oauth_error_of(response);
        if (is_transient_status(response.status)) {
            last_problem = "http error " + std::to_string(response.status);
            log.warning("Polling got " + last_problem + ", retrying");
            next = clock.now() + std::max(interval, retry_after(response));
        } else if (error == "authorization_pending") {
            log.verbose("Authorization pending; polling again in " +
                        std::to_string(interval.count()) + " s");
            next = clock.now() + interval;
        } else if (error == "slow_down") {
            interval += kSlowDownStep;
            log.info("Server asked to slow down; polling every " +
                     std::to_string(interval.count()) + " s");
            next = clock.now() + interval;
        } else if (error.empty()) {
            throw http_error("Get token with device code", response);
        } else {
            log.warning("Polling ended with error " + error);
            throw AdalError::from_server_reply("Unexpected polling state " + error,
                                               response.body.reveal());
        }
    }
}

}  // namespace aadcred
