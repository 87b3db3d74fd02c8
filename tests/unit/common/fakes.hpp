#pragma once
// Fakes for the engine's unit tests: a scripted HttpTransport (canned replies in order,
// every request recorded) and a virtual PollClock whose waits return at once.

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/adal_error.hpp"
#include "core/http/http_transport.hpp"
#include "core/oauth2/device_code_poller.hpp"

namespace aadcred::test {

struct Reply {
    long status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// When set, send() throws this instead of replying (a network failure...).
    std::optional<AdalError> error;
};

inline Reply json_reply(long status, std::string body,
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("content-type", "application/json");
    return Reply{status, std::move(body), std::move(headers), std::nullopt};
}

inline Reply failure(ErrorClass klass, std::string message) {
    Reply reply;
    reply.error = AdalError(klass, std::move(message));
    return reply;
}

/// The replies to give and the requests seen; shared by the test and every transport
/// the factory makes.
struct Script {
    std::mutex mutex;
    std::deque<Reply> replies;
    /// Repeated forever once `replies` is empty (e.g. authorization_pending); else an
    /// empty script fails the request.
    std::optional<Reply> otherwise;
    std::vector<HttpRequest> requests;
    std::vector<TransportOptions> transports;
    /// Called after a request is recorded, before the reply (outside the lock).
    std::function<void(const HttpRequest &)> on_send;

    void push(Reply reply) {
        std::lock_guard lock(mutex);
        replies.push_back(std::move(reply));
    }
    std::size_t request_count() {
        std::lock_guard lock(mutex);
        return requests.size();
    }
    HttpRequest request(std::size_t i) {
        std::lock_guard lock(mutex);
        return requests.at(i);
    }
};

class ScriptedTransport final : public HttpTransport {
  public:
    explicit ScriptedTransport(std::shared_ptr<Script> script) : script_(std::move(script)) {}

    HttpResponse send(const HttpRequest &request) override {
        Reply reply;
        {
            std::lock_guard lock(script_->mutex);
            script_->requests.push_back(request);
            if (!script_->replies.empty()) {
                reply = std::move(script_->replies.front());
                script_->replies.pop_front();
            } else if (script_->otherwise) {
                reply = *script_->otherwise;
            } else {
                throw AdalError(ErrorClass::internal, "test script has no reply left");
            }
        }
        if (script_->on_send) script_->on_send(request);
        if (reply.error) throw *reply.error;
        HttpResponse response;
        response.status = reply.status;
        response.headers = reply.headers;
        response.body = SecretString(reply.body);
        return response;
    }

  private:
    std::shared_ptr<Script> script_;
};

inline TransportFactory scripted(const std::shared_ptr<Script> &script) {
    return [script](const TransportOptions &options) -> std::unique_ptr<HttpTransport> {
        {
            std::lock_guard lock(script->mutex);
            script->transports.push_back(options);
        }
        return std::make_unique<ScriptedTransport>(script);
    };
}

/// Virtual time: waits jump straight to their end and are recorded, so a test sees the
/// poll schedule (5 s, 10 s after slow_down, Retry-After...) without sleeping.
class FakeClock final : public PollClock {
  public:
    explicit FakeClock(time_point start = std::chrono::system_clock::from_time_t(1'700'000'000))
        : now_(start) {}

    time_point now() const override { return now_; }
    void wait_until(std::unique_lock<std::mutex> &, std::condition_variable &, time_point until,
                    const std::function<bool()> &woken) override {
        if (woken()) return;
        if (until > now_) {
            waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(until - now_));
            now_ = until;
        }
    }

    std::vector<std::chrono::seconds> waits;

  private:
    time_point now_;
};

inline std::string header_of(const HttpRequest &request, std::string_view name) {
    for (const auto &[n, v] : request.headers)
        if (n == name) return v;
    return "<absent>";
}

}  // namespace aadcred::test
