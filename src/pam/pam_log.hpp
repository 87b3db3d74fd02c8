#pragma once
// pam_syslog with a plain string: the module never passes outside text as a format.

#include <security/pam_ext.h>
#include <syslog.h>

#include <string>

namespace aadcred_pam {

inline void log_line(pam_handle_t *pamh, int priority, const std::string &text) noexcept {
    pam_syslog(pamh, priority, "%s", text.c_str());
}

/// The last libaadcred error of this thread as one printable line (message and OAuth
/// error), for syslog. Server text is cleaned of control characters.
std::string last_error_text();

}  // namespace aadcred_pam
