#pragma once
// File operations for the hand-over (docs/pam-sso.md) that stay safe in directories
// another user controls: every path component is opened with O_NOFOLLOW relative to
// its parent, ownership and mode are checked on the open descriptor (not the name), and
// writes into a user's directory happen with that user's filesystem identity
// (setfsuid/setfsgid), so a swapped symlink can only ever reach what the user could.

#include <aadcred/handover.h>
#include <sys/types.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <string_view>

#include "unique_fd.hpp"

namespace aadcred_pam {

/// Largest file the module writes or reads back (a token entry is about 5 KiB): the
/// hand-over's cap, which the user's side reads with (aadcred/handover.h).
inline constexpr std::size_t kMaxHandoverBytes = AADCRED_HANDOVER_MAX_BYTES;

using aadcred::frontend::UniqueFd;  // the front ends' one (src/frontend/unique_fd.hpp)

/// Takes on another user's filesystem identity for as long as it lives (this thread
/// only: setfsuid is per thread on Linux), and gives it back when destroyed.
class FsIdentity {
  public:
    /// Switches to uid/gid. Succeeds without switching when we already are that user;
    /// fails (nullopt) when we are neither root nor that user.
    static std::optional<FsIdentity> become(uid_t uid, gid_t gid);
    FsIdentity(FsIdentity &&other) noexcept;
    FsIdentity(const FsIdentity &) = delete;
    FsIdentity &operator=(const FsIdentity &) = delete;
    FsIdentity &operator=(FsIdentity &&) = delete;
    ~FsIdentity();

  private:
    FsIdentity(uid_t old_uid, gid_t old_gid, bool switched) noexcept
        : old_uid_(old_uid), old_gid_(old_gid), switched_(switched) {}
    uid_t old_uid_;
    gid_t old_gid_;
    bool switched_;
};

/// Expectations for a directory opened with open_directory().
struct DirRule {
    uid_t owner;
    mode_t forbidden;  ///< permission bits that must be clear, e.g. 077
};

/// Opens `name` under `parent` (AT_FDCWD for an absolute path) as a directory without
/// following a symlink, creating it with `create_mode` when missing (0 = never create),
/// and checks it against `rule`. On failure returns an empty fd and says why in `error`.
/// When it had to create the directory, `created` is set.
UniqueFd open_directory(int parent, const std::string &name, mode_t create_mode,
                        const DirRule &rule, std::string &error, bool *created = nullptr);

/// Writes `data` to `name` in `dir` atomically: a new temporary file (O_EXCL,
/// O_NOFOLLOW, mode 0600), then rename over `name`. The caller picks the identity.
bool write_file_atomic(int dir, const std::string &name, std::string_view data, std::string &error);

/// Reads `name` in `dir` if it is a regular file owned by `owner`, mode 0600 or
/// stricter, at most kMaxHandoverBytes, modified within `max_age_seconds` (0: any age).
/// The content goes into `out` (reserved first, so it never reallocates).
bool read_file_checked(int dir, const std::string &name, uid_t owner, long max_age_seconds,
                       std::string &out, std::string &error);

}  // namespace aadcred_pam
