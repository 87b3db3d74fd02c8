#include "cache/glib_deadline.hpp"

namespace aadcred {

Deadline::Deadline(std::chrono::milliseconds limit)
    : limit_(limit), cancellable_(g_cancellable_new()) {
    watchdog_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        if (!wake_.wait_for(lock, limit_, [this] { return finished_; })) {
            expired_ = true;
            // g_cancellable_cancel is thread-safe; the blocked call returns CANCELLED.
            g_cancellable_cancel(cancellable_.get());
        }
    });
}

Deadline::~Deadline() {
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    wake_.notify_all();
    watchdog_.join();  // never leave a thread behind (PAM hosts must not find one)
}

bool Deadline::expired() const {
    std::lock_guard lock(mutex_);
    return expired_;
}

std::string describe_failure(const std::string &what, const GError *error,
                             const Deadline &deadline) {
    if (deadline.expired()) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(deadline.limit());
        return what + ": no answer within " + std::to_string(seconds.count()) + " s";
    }
    return what + ": " + (error != nullptr ? error->message : "unknown error");
}

}  // namespace aadcred
