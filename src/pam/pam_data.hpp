#pragma once
// What authenticate leaves on the PAM handle for setcred, acct_mgmt and open_session in
// the same process (login, gdm, su). sshd runs authenticate in a forked child, so the
// hand-over also goes through a root-only staging file (handover_files.hpp).

#include <security/pam_modules.h>

#include <string>
#include <string_view>

namespace aadcred_pam {

/// Records that this module authenticated `user`, with the hand-over JSON (may be empty).
/// @return a PAM code
int remember_sign_in(pam_handle_t *pamh, std::string_view user, std::string_view handover);

/// True when this module authenticated `user` on this handle.
bool signed_in_here(pam_handle_t *pamh, std::string_view user);

/// The hand-over JSON left by authenticate on this handle, or null. Valid until pam_end
/// or forget_handover().
const std::string *handover_here(pam_handle_t *pamh);

/// Drops (and wipes) the hand-over JSON kept on the handle.
void forget_handover(pam_handle_t *pamh);

}  // namespace aadcred_pam
