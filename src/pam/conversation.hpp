#pragma once
// Talking to the person through the application's conversation function (sshd's
// keyboard-interactive, login's terminal, gdm's dialog).

#include <security/pam_modules.h>

#include <string>
#include <vector>

namespace aadcred_pam {

struct Message {
    int style;  ///< PAM_TEXT_INFO, PAM_ERROR_MSG, PAM_PROMPT_ECHO_OFF...
    std::string text;
};

/// Sends `messages` in one conversation call. sshd keeps info text until the next
/// prompt and then shows both together, so instructions and the "press Enter" prompt go
/// in the same call. The answers are wiped and freed here.
/// @return PAM_SUCCESS, or PAM_CONV_ERR when there is no conversation or it failed
int converse(pam_handle_t *pamh, const std::vector<Message> &messages);

}  // namespace aadcred_pam
