#include "prompt_text.hpp"

#include "display_text.hpp"

namespace aadcred_pam {

std::string clean_text(std::string_view text, std::size_t max) {
    return aadcred::frontend::display_text(text, max, aadcred::frontend::Charset::ascii);
}

std::string sign_in_message(const SignInDetails &d) {
    // Linux-PAM suggests PAM_MAX_MSG_SIZE (512) per message; these caps keep us under it.
    std::string text =
        "Azure AD sign-in for " + clean_text(d.user, 64) + " on " + clean_text(d.host, 64);
    if (!d.rhost.empty()) text += " (connection from " + clean_text(d.rhost, 64) + ")";
    text += ".\nTo sign in, use a web browser to open " + clean_text(d.url, 160) +
            "\nand enter the code " + clean_text(d.code, 32) + " within " +
            std::to_string(d.seconds) + " seconds.";
    return text;
}

}  // namespace aadcred_pam
