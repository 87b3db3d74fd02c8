#pragma once
// pam_syslog with a plain string: the module never passes outside text as a format.

#include <security/pam_ext.h>
#include <syslog.h>
#include <aadcred/aadcred.hpp>

#include <string>

namespace aadcred_pam {

/// "quiet" on this handle: the module's LOG_NOTICE and LOG_INFO lines (a sign-in, an
/// ordinary refusal) are dropped; warnings, errors and debug lines stay.
void set_quiet(pam_handle_t *pamh, bool quiet) noexcept;
bool is_quiet(pam_handle_t *pamh) noexcept;

inline void log_line(pam_handle_t *pamh, int priority, const std::string &text) noexcept {
    if ((priority == LOG_NOTICE || priority == LOG_INFO) && is_quiet(pamh)) return;
    pam_syslog(pamh, priority, "%s", text.c_str());
}

/// A libaadcred error as one printable line (message and OAuth error, and the module
/// argument that cures it when one does: ca_file=, validate_authority=), for syslog.
/// Server text is cleaned of control characters.
std::string error_text(const aadcred::AdalError &error);

}  // namespace aadcred_pam
