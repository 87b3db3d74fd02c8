#pragma once
// pam_sm_open_session / pam_sm_close_session: the single sign-on hand-over
// (docs/pam-sso.md).

#include <security/pam_modules.h>

#include "module_config.hpp"

namespace aadcred_pam {

/// Hands the sign-in's tokens to the user: PAM_SUCCESS when written, PAM_IGNORE when
/// this module signed nobody in (or no_sso), PAM_SESSION_ERR when writing failed.
int open_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user);

/// Removes a hand-over the session never imported: PAM_SUCCESS or PAM_IGNORE.
int close_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user);

}  // namespace aadcred_pam
