#pragma once
// A per-account lock across processes: flock(2) on
// $XDG_RUNTIME_DIR/aadcred/<sha256(lower(authority|client_id|resource|user_id))>.lock.
// Two git processes that find the same expired token serialise on it, and the second one
// then re-reads the store and finds the first one's refreshed token (SPEC §2).
// BasicLockable, so std::unique_lock<AccountLock> works.

#include <string>
#include <string_view>

#include "cache/unique_fd.hpp"

namespace aadcred {

class AccountLock {
  public:
    /// Opens (creating) the lock file; does not lock yet. Throws AdalError(store) when the
    /// lock directory is missing, shared with other users, or cannot be created.
    AccountLock(std::string_view authority, std::string_view client_id, std::string_view resource,
                std::string_view user_id);

    /// Blocks until the lock is ours (released by the holder or by its death).
    void lock();
    void unlock() noexcept;

    const std::string &path() const noexcept { return path_; }

  private:
    std::string path_;
    UniqueFd fd_;
};

/// $XDG_RUNTIME_DIR/aadcred, or /tmp/aadcred-<uid> without XDG_RUNTIME_DIR; created 0700
/// and checked to be a real directory owned by us that nobody else can enter.
std::string lock_directory();

}  // namespace aadcred
