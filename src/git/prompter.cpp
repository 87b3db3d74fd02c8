#include "prompter.hpp"

#include <stdio.h>

#include <string>
#include <string_view>

#include "display_text.hpp"

namespace gitcred {

namespace {

using aadcred::frontend::display_text;
using aadcred::frontend::kCodeBytes;
using aadcred::frontend::kMessageBytes;
using aadcred::frontend::kUrlBytes;

std::string_view or_empty(const char *s) {
    return s == nullptr ? std::string_view() : s;
}

}  // namespace

int show_device_code(aadcred_prompt_event event, const aadcred_user_code *code, void *payload) {
    if (event != AADCRED_PROMPT_SHOW || code == nullptr) return 0;
    if (const auto *what = static_cast<const std::string *>(payload)) {
        fprintf(stderr, "git-credential-aadcred: sign-in needed for %s\n",
                display_text(*what, kUrlBytes).c_str());
    }
    const std::string message =
        display_text(or_empty(aadcred_user_code_message(code)), kMessageBytes);
    const std::string url =
        display_text(or_empty(aadcred_user_code_verification_url(code)), kUrlBytes);
    const std::string user_code =
        display_text(or_empty(aadcred_user_code_user_code(code)), kCodeBytes);
    // Azure AD's message already names the URL and the code; a server that sends no
    // message, or one without them, still gets both shown.
    if (!message.empty()) fprintf(stderr, "%s\n", message.c_str());
    const bool complete =
        message.find(url) != std::string::npos && message.find(user_code) != std::string::npos;
    if (!complete || message.empty()) {
        fprintf(stderr, "To sign in, open %s and enter the code %s\n", url.c_str(),
                user_code.c_str());
    }
    fflush(stderr);
    return 0;
}

}  // namespace gitcred
