#pragma once
// Where a PAM sign-in's tokens wait for the user's session (docs/pam-sso.md):
//  - staging, for sshd, which authenticates in a forked child and opens the session in
//    its parent: <runtime>/aadcred/staging/<parent pid>.json, root-only (0711 and 0700
//    directories, a 0600 file), naming the verified user and bound to that parent;
//  - the hand-over itself, read by the user's first aadcred use:
//    <runtime>/user/<uid>/aadcred/handover.json when systemd-logind made the user's
//    runtime directory, else <runtime>/aadcred/<uid>/handover.json; the file and its
//    directory belong to the user (0600 in 0700) and are written as the user. Names,
//    modes and size cap are aadcred/handover.h's, which the reading side uses too.

#include <aadcred/handover.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace aadcred_pam {

/// A staged sign-in older than this is not handed over and is swept away: sshd opens the
/// session right after authentication; two minutes leave room for a password change or
/// a second factor asked by a later module.
inline constexpr long kStagingMaxAgeSeconds = 120;

struct LocalUser {
    uid_t uid;
    gid_t gid;
};

/// The passwd entry of `name` (getpwnam_r: no static buffer), or nullopt.
std::optional<LocalUser> find_local_user(const char *name);

// Why staging looks like this (issue 9). A staged token must reach exactly the session of
// the login that signed in, and nothing else, whatever happens after authenticate:
//  - Only a forked authentication child stages (parent_is_forked_host): sshd's monitor
//    forks a child for pam_authenticate and opens the session itself. Hosts that
//    authenticate and open the session in one process (login, su, sudo, gdm) keep the
//    token on the handle only, so nothing rests in a file for them at all.
//  - The record is for one process, the parent, named by its pid (so concurrent logins
//    never replace each other's) and checked against its start time (so a process that
//    later gets the same pid is not it), not for a uid that any later session of that
//    user would match. A secret passed through the PAM environment would bind as well,
//    but the PAM environment becomes the user's session environment.
//  - It names the verified user and uid: open_session hands over only when PAM_USER and
//    its uid are still those (sudo changes PAM_USER to the run-as user).
//  - It goes on every path that does not lead to that session: a new authenticate drops
//    the previous attempt's, a failed one leaves none, pam_end without PAM_DATA_SILENT
//    (a handle ending without a session) drops it, open_session takes it whatever it
//    then decides, and a record left by a connection that dropped is swept once stale.

/// A staged sign-in: whom authenticate verified, and the one process that may take it.
struct StagedSignIn {
    std::string user;  ///< PAM_USER, verified against the id_token
    uid_t uid = 0;     ///< that user's uid at authentication
    pid_t consumer = 0;
    unsigned long long consumer_start = 0;  ///< /proc/<consumer>/stat start time
};

/// The start time of process `pid` (clock ticks since boot, /proc/<pid>/stat), or nullopt.
std::optional<unsigned long long> process_start_time(pid_t pid);

/// True when our parent runs the same program as we do: a fork without exec, which is how
/// sshd runs authentication (its monitor then opens the session). Hosts that authenticate
/// and open the session in one process (login, su, sudo, gdm) never need staging.
bool parent_is_forked_host();

/// Stages the hand-over JSON for who.consumer, root-only, sweeping stale records first.
bool stage_sign_in(const std::string &runtime_dir, const StagedSignIn &who, std::string_view json,
                   std::string &error);
/// Reads and deletes the sign-in staged for `consumer`. True only when it is fresh and
/// bound to `consumer` as it runs now; false when there is none (error empty) or it fails
/// the checks (error says why; the file is deleted anyway).
bool take_staged_sign_in(const std::string &runtime_dir, pid_t consumer, StagedSignIn &who,
                         std::string &json, std::string &error);
/// Deletes the sign-in staged for `consumer`, if any.
void drop_staged_sign_in(const std::string &runtime_dir, pid_t consumer);

/// One file, as the file system names it: which hand-over a session wrote. The change
/// time tells a file apart from a later one that got the same inode number back.
struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    long long ctime_sec = 0;
    long ctime_nsec = 0;
    bool operator==(const FileId &) const = default;
};

/// The FileId of what fstatat(2) found.
FileId file_id(const struct stat &st);

/// Writes the hand-over as the user; `where` receives the directory used, `written` the
/// file written (a new one each time: written to a temporary name, then renamed).
bool write_handover(const std::string &runtime_dir, const LocalUser &user, std::string_view json,
                    std::string &where, std::string &error, FileId &written);
/// Deletes the hand-over `written` when the user's session never imported it. A file of
/// another name-sake (a later session of the same user wrote its own) is left for that
/// session. True when one was removed.
bool remove_handover(const std::string &runtime_dir, const LocalUser &user, const FileId &written);

}  // namespace aadcred_pam
