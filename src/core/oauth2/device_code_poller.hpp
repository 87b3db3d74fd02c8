#pragma once
// Device code polling (RFC 8628 §3.4, §3.5) as SPEC §3 wants it, unlike ADAL's loop: a
// wall-clock deadline, the first poll at once, then one every `interval` seconds;
// authorization_pending goes on, slow_down adds 5 s, 5xx/429 (Retry-After) and network
// failures are retried inside the deadline, anything else ends the poll. Waiting is a
// condition variable wait, so a cancel from another thread wakes the poller at once.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "core/http/http_transport.hpp"

namespace aadcred {

class Logger;

/// Time for the poller; unit tests substitute a virtual clock so nothing really sleeps.
class PollClock {
  public:
    using time_point = std::chrono::system_clock::time_point;
    virtual ~PollClock() = default;
    virtual time_point now() const = 0;
    /// Blocks on `cv` (`lock` is held on entry and on return) until `until` or until
    /// `woken()` is true. Returns at once when `woken()` already is.
    virtual void wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                            time_point until, const std::function<bool()> &woken) = 0;
};

/// The real clock: system_clock, because the deadline (UserCodeInfo::expires_at) is
/// wall-clock time, and std::condition_variable::wait_until.
PollClock &system_poll_clock();

/// The cancel switch of one poll; cancel() may be called from any thread.
class PollCancellation {
  public:
    void cancel();
    bool cancelled() const;

  private:
    friend class PollWaiter;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool cancelled_ = false;
};

struct PollPlan {
    PollClock::time_point deadline;
    std::chrono::seconds interval{0};
};

/// Sends one token request of the device grant and returns the reply whatever its status.
using PollSend = std::function<HttpResponse()>;

/// Polls until the token endpoint answers 2xx (that reply is returned for parsing).
/// Throws AdalError: invalid "invalid refresh interval" (interval <= 0); cancelled
/// "Polling_Request_Cancelled"; timeout 'Timeout from "get_token_with_polling"'; server
/// "Unexpected polling state <error>" with the reply as error_response; the transport's
/// non-network errors (oversized reply...) as they come.
HttpResponse poll_for_token(PollClock &clock, PollCancellation &cancellation, const Logger &log,
                            PollPlan plan, const PollSend &send);

}  // namespace aadcred
