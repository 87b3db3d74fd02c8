#include "signals.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <ctime>

namespace aadcred::cli {
namespace {

sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

[[noreturn]] void exit_now() {
    static constexpr char k_message[] = "\naadcred: cancelled\n";
    // write(), not stdio: the main thread may hold stderr's lock mid-line.
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, k_message, sizeof k_message - 1);
    ::_exit(1);
}

}  // namespace

SignalWatcher::SignalWatcher() {
    const sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    waiter_ = std::thread([this] { run(); });
}

SignalWatcher::~SignalWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    // Wakes sigwait(): SIGHUP is blocked everywhere and watched, so it terminates nothing;
    // with stopping_ set the waiter just returns. Aimed at the waiter thread alone.
    pthread_kill(waiter_.native_handle(), SIGHUP);
    waiter_.join();
}

void SignalWatcher::set_cancel(std::function<bool()> cancel) {
    std::lock_guard lock(mutex_);
    cancel_ = std::move(cancel);
    cancel_sent_ = false;
}

void SignalWatcher::clear_cancel() {
    std::lock_guard lock(mutex_);
    cancel_ = nullptr;
}

void SignalWatcher::run() {
    const sigset_t set = watched_signals();
    for (;;) {
        int signo = 0;
        if (sigwait(&set, &signo) != 0) continue;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            if (!cancel_ || cancel_sent_) exit_now();
            cancel_sent_ = true;
        }
        cancel_until_done();
        std::lock_guard lock(mutex_);
        if (stopping_) return;
    }
}

void SignalWatcher::cancel_until_done() {
    const sigset_t set = watched_signals();
    for (;;) {
        {
            // Held while the cancel runs: clear_cancel() waits for it, so the object
            // being cancelled cannot be freed underneath.
            std::lock_guard lock(mutex_);
            if (stopping_ || !cancel_ || cancel_()) return;
        }
        // Not cancellable yet. Wait a little, but let a second Ctrl-C end the process.
        const timespec pause{0, 20'000'000};
        if (sigtimedwait(&set, nullptr, &pause) > 0) {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            exit_now();
        }
    }
}

}  // namespace aadcred::cli
