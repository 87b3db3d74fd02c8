#include "countdown.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>

namespace aadcred::frontend {
namespace {

void write_all(int fd, const std::string &text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the person's terminal went away: nothing else to do
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string remaining_text(std::chrono::seconds left) {
    const long s = left.count();
    char buf[48];
    if (s >= 3600) {
        snprintf(buf, sizeof buf, "Code expires in %ld:%02ld:%02ld", s / 3600, (s / 60) % 60,
                 s % 60);
    } else {
        snprintf(buf, sizeof buf, "Code expires in %ld:%02ld", s / 60, s % 60);
    }
    return buf;
}

int open_controlling_terminal() noexcept {
    // O_NOCTTY: a process with no terminal must not acquire one by opening it.
    return ::open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

Countdown::~Countdown() {
    stop();
}

void Countdown::start(int fd, bool terminal, std::chrono::seconds lifetime) {
    stop();
    if (lifetime.count() <= 0) return;
    if (!terminal) {
        write_all(fd, remaining_text(lifetime) + ".\n");
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stop_ = false;
    }
    fd_ = fd;
    const auto deadline = std::chrono::steady_clock::now() + lifetime;
    thread_ = std::thread([this, deadline] { run(deadline); });
}

// Overwrites the countdown line; the padding clears what a longer text left behind, with
// no escape sequence that a dumb terminal would print.
void Countdown::redraw(const std::string &text) const {
    char buf[128];
    snprintf(buf, sizeof buf, "\r%-40s\r%s", text.c_str(), text.c_str());
    write_all(fd_, buf);
}

void Countdown::run(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            redraw("Code expired");
            return;
        }
        // Round up, so the display reaches 0:00 only when the code is really gone.
        const auto left = std::chrono::ceil<std::chrono::seconds>(deadline - now);
        redraw(remaining_text(left));
        const auto next_tick = deadline - (left - std::chrono::seconds(1));
        wake_.wait_until(lock, next_tick, [this] { return stop_; });
    }
}

void Countdown::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
        redraw("");  // leave the line empty for what comes next
    }
}

}  // namespace aadcred::frontend
