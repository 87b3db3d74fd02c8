#pragma once
// A file descriptor that closes itself: the one owner of a descriptor in every front end
// (pipes to git, config and cache files, the PAM hand-over's directories). The library's
// layers have their own (src/util/unique_fd.hpp); a front end may not include those.

#include <unistd.h>

#include <utility>

namespace aadcred::frontend {

/// Owns one descriptor (or none: -1), closes it when destroyed or reset; move-only.
class UniqueFd {
  public:
    UniqueFd() = default;
    /// @param fd the descriptor to own; -1 (a failed open) owns nothing
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    /// @return the descriptor, still owned; -1 when none
    int get() const noexcept { return fd_; }
    /// @return true when a descriptor is owned
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives the descriptor up without closing it, e.g. to close() it and see the error.
    /// @return the descriptor, now the caller's; -1 when none
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the descriptor owned, if any, and owns `fd` instead.
    /// @param fd the new descriptor; -1 (the default) for none
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

}  // namespace aadcred::frontend
