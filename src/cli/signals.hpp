#pragma once
// Ctrl-C and SIGTERM without signal handlers: the signals are blocked in every thread and
// one thread takes them with sigwait(), so the cancel work (aadcred_provider_cancel, which
// locks mutexes and wakes condition variables) runs in an ordinary thread, where that is
// allowed, instead of in a handler, where almost nothing is.

#include <functional>
#include <mutex>
#include <thread>

namespace aadcred::cli {

class SignalWatcher {
  public:
    /// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread — construct it before any
    /// other thread exists, so they all inherit the mask — and starts the waiter.
    SignalWatcher();
    /// Stops and joins the waiter.
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher &) = delete;
    SignalWatcher &operator=(const SignalWatcher &) = delete;

    /// While set, the first signal runs `cancel` on the waiter thread and the operation is
    /// expected to end as cancelled; a second signal, or one while nothing is set, ends
    /// the process at once with exit code 1. `cancel` returns false when there is nothing
    /// to cancel yet (ADAL's cancel needs a poll that has started): it is then called
    /// again every 20 ms until it returns true or the action is cleared.
    void set_cancel(std::function<bool()> cancel);
    /// Removes the cancel action; waits for one that is running to return, so the caller
    /// may then free what it used.
    void clear_cancel();

  private:
    void run();
    void cancel_until_done();

    std::mutex mutex_;
    std::function<bool()> cancel_;  // guarded by mutex_
    bool cancel_sent_ = false;      // guarded by mutex_
    bool stopping_ = false;         // guarded by mutex_
    std::thread waiter_;
};

/// Sets a cancel action for the lifetime of a scope.
class CancelScope {
  public:
    CancelScope(SignalWatcher &watcher, std::function<bool()> cancel) : watcher_(watcher) {
        watcher_.set_cancel(std::move(cancel));
    }
    ~CancelScope() { watcher_.clear_cancel(); }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;

  private:
    SignalWatcher &watcher_;
};

}  // namespace aadcred::cli
