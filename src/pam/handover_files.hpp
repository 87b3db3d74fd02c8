#pragma once
// Where a PAM sign-in's tokens wait for the user's session (docs/pam-sso.md):
//  - staging, for sshd, which authenticates in a forked child and opens the session in
//    its parent: <runtime>/aadcred/staging/<uid>.json, root-only (0711 and 0700
//    directories, a 0600 file);
//  - the hand-over itself, read by the user's first aadcred use:
//    <runtime>/user/<uid>/aadcred/handover.json when systemd-logind made the user's
//    runtime directory, else <runtime>/aadcred/<uid>/handover.json; the file and its
//    directory belong to the user (0600 in 0700) and are written as the user.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace aadcred_pam {

inline constexpr const char *kHandoverFile = "handover.json";
/// A staged token older than this is not handed over (sshd opens the session at once).
inline constexpr long kStagingMaxAgeSeconds = 300;

struct LocalUser {
    uid_t uid;
    gid_t gid;
};

/// The passwd entry of `name` (getpwnam_r: no static buffer), or nullopt.
std::optional<LocalUser> find_local_user(const char *name);

bool stage_token(const std::string &runtime_dir, uid_t uid, std::string_view json,
                 std::string &error);
/// Reads and deletes a fresh staged token of `uid` into `out`; false when there is none
/// (error empty) or it fails the checks (error says why; the file is deleted anyway).
bool take_staged_token(const std::string &runtime_dir, uid_t uid, std::string &out,
                       std::string &error);

/// Writes the hand-over as the user; `where` receives the directory used.
bool write_handover(const std::string &runtime_dir, const LocalUser &user, std::string_view json,
                    std::string &where, std::string &error);
/// Deletes a hand-over the user's session never imported. True when one was removed.
bool remove_handover(const std::string &runtime_dir, const LocalUser &user);

}  // namespace aadcred_pam
