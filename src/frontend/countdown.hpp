#pragma once
// The time left on a device code, as the front ends show it: on a terminal a line
// ("Code expires in 14:32") redrawn once a second with '\r' by a thread of its own, from
// start() until stop(); elsewhere (a log, a pipe) the time once, as a plain line.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace aadcred::frontend {

/// "Code expires in 14:32" (or h:mm:ss from an hour up).
/// @param left the time left
/// @return the text, with no newline
std::string remaining_text(std::chrono::seconds left);

/// Opens the controlling terminal (/dev/tty, as git's own prompts do) for writing.
/// @return the descriptor (close-on-exec), or -1 when the process has no terminal
int open_controlling_terminal() noexcept;

class Countdown {
  public:
    Countdown() = default;
    /// Stops the countdown if stop() never came.
    ~Countdown();
    Countdown(const Countdown &) = delete;
    Countdown &operator=(const Countdown &) = delete;

    /// Shows the time left on `fd`: redrawn each second when `terminal`, else one line
    /// ("Code expires in 14:59.\n"). Nothing when `lifetime` is not positive. A second
    /// start() replaces the first countdown. The descriptor must stay open until stop().
    /// @param fd where the instructions went (stderr, the terminal)
    /// @param terminal whether fd is a terminal that takes '\r'
    /// @param lifetime how long the code stays valid
    void start(int fd, bool terminal, std::chrono::seconds lifetime);

    /// Ends a running countdown and leaves its line empty; nothing when none runs.
    void stop();

  private:
    void run(std::chrono::steady_clock::time_point deadline);
    void redraw(const std::string &text) const;

    int fd_ = -1;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;  // guarded by mutex_
    std::thread thread_;
};

}  // namespace aadcred::frontend
