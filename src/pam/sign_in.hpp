#pragma once
// pam_sm_authenticate's work: a device code sign-in shown through the conversation,
// polled until the deadline, its id_token verified and matched against PAM_USER.

#include <security/pam_modules.h>

#include "module_config.hpp"

namespace aadcred_pam {

/// @return PAM_SUCCESS only for a verified identity equal to `user`; PAM_AUTH_ERR,
///         PAM_AUTHINFO_UNAVAIL (authority unreachable), PAM_SERVICE_ERR (bad
///         configuration), PAM_CONV_ERR or PAM_BUF_ERR otherwise (SPEC §6).
int sign_in(pam_handle_t *pamh, const ModuleConfig &config, int flags, const char *user);

}  // namespace aadcred_pam
