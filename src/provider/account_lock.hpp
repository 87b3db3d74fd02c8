#pragma once
// A lock across processes on the refresh tokens of one client at one authority: flock(2)
// on <lock directory>/<sha256(lower(authority|client_id))>.lock.
//
// Why authority|client_id and nothing finer: a refresh token is bound to the client it
// was issued to, and a multi-resource refresh token (MRRT) serves every resource of that
// client; which user's token a request ends up using is only known after the store was
// read (no --user means "the only cached account"). Keyed any finer (by resource or by
// the user id as the caller spelled it), two processes could use the same refresh token
// under different locks, refresh it twice, and the second would meet invalid_grant once
// the authority rotated it (issue 9). Two processes that find the same expired token
// serialise on this lock, and the second one then re-reads the store and finds the first
// one's refreshed token (SPEC §2).
//
// BasicLockable, so std::unique_lock<AccountLock> works; lock() waits at most `wait`.

#include <chrono>
#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace aadcred {

class AccountLock {
  public:
    /// Opens (creating) the lock file; does not lock yet. Throws AdalError(store) when the
    /// lock directory cannot be found or made private, or the lock file cannot be opened.
    AccountLock(std::string_view authority, std::string_view client_id, std::chrono::seconds wait);

    /// Waits until the lock is ours (released by the holder or by its death), at most
    /// `wait`; then throws AdalError(timeout) saying another process holds it.
    void lock();
    void unlock() noexcept;

    const std::string &path() const noexcept { return path_; }

  private:
    std::string path_;
    std::chrono::seconds wait_;
    UniqueFd fd_;
};

/// Where lock files live, created 0700 and checked to be a real directory owned by us
/// that nobody else can enter: $XDG_RUNTIME_DIR/aadcred; without XDG_RUNTIME_DIR,
/// $XDG_STATE_HOME/aadcred (default ~/.local/state/aadcred), in a home directory that is
/// ours. Never a shared place such as /tmp, where another user could claim the name
/// first. The variables are the caller's (caller_env): a privileged process uses its own
/// account's home from the password database.
std::string lock_directory();

}  // namespace aadcred
