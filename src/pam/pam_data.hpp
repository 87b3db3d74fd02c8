#pragma once
// What authenticate leaves on the PAM handle for setcred, acct_mgmt and open_session in
// the same process (login, gdm, su, sudo). sshd runs authenticate in a forked child, so the
// hand-over also goes through a root-only staging file (handover_files.hpp), which this
// record remembers so that it goes when the login does.

#include <security/pam_modules.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "handover_files.hpp"

namespace aadcred_pam {

/// The sign-in this module made on this handle.
struct SignInHere {
    const std::string &user;      ///< PAM_USER when its identity was verified
    std::optional<uid_t> uid;     ///< that user's uid then (none: no local account)
    const std::string *handover;  ///< the hand-over JSON, or null (no_sso, or dropped)
};

/// Records that this module authenticated `user` (uid when it has a local account), with
/// the hand-over JSON (may be empty). Replaces (and so drops) any earlier record.
/// @return a PAM code
int remember_sign_in(pam_handle_t *pamh, std::string_view user, std::optional<uid_t> uid,
                     std::string_view handover);

/// Notes that the hand-over was also staged for process `consumer` under `runtime_dir`:
/// when the handle ends without a session (pam_end without PAM_DATA_SILENT, which a
/// forked child's copy of the handle passes) or the record is dropped, the staged copy
/// is deleted with it.
void remember_staged(pam_handle_t *pamh, const std::string &runtime_dir, pid_t consumer);

/// True when this module authenticated `user` on this handle.
bool signed_in_here(pam_handle_t *pamh, std::string_view user);

/// The record left by authenticate on this handle, or nullopt. Valid until pam_end,
/// forget_handover() or forget_sign_in().
std::optional<SignInHere> sign_in_here(pam_handle_t *pamh);

/// Drops (and wipes) the hand-over JSON kept on the handle and deletes its staged copy;
/// who signed in stays recorded for setcred and acct_mgmt.
void forget_handover(pam_handle_t *pamh);

/// Drops the whole record (and the staged copy): a new or failed sign-in.
void forget_sign_in(pam_handle_t *pamh);

/// Notes on the handle which hand-over file open_session wrote, for close_session.
/// @return a PAM code
int remember_handover_file(pam_handle_t *pamh, const FileId &written);

/// The hand-over file this handle's open_session wrote, or nullopt.
std::optional<FileId> handover_file(pam_handle_t *pamh);

}  // namespace aadcred_pam
