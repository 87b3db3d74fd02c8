#include "prompter.hpp"

#include <stdio.h>

#include <string>

#include "display_text.hpp"

namespace gitcred {

namespace {

using aadcred::frontend::display_text;
using aadcred::frontend::kCodeBytes;
using aadcred::frontend::kMessageBytes;
using aadcred::frontend::kUrlBytes;

}  // namespace

bool show_browser_sign_in(std::string_view remote, std::string_view note) {
    fprintf(stderr, "git-credential-aadcred: sign-in needed for %s\n",
            display_text(remote, kUrlBytes).c_str());
    if (!note.empty()) fprintf(stderr, "%s\n", display_text(note, kMessageBytes).c_str());
    fprintf(stderr, "To sign in, continue in the web browser that is opening.\n");
    fflush(stderr);
    return true;
}

bool show_device_code(aadcred::PromptEvent event, const aadcred::UserCodeInfo &code,
                      std::string_view remote) {
    if (event != aadcred::PromptEvent::show || code.handle() == nullptr) return true;
    fprintf(stderr, "git-credential-aadcred: sign-in needed for %s\n",
            display_text(remote, kUrlBytes).c_str());
    const std::string message = display_text(code.message(), kMessageBytes);
    const std::string url = display_text(code.verification_url(), kUrlBytes);
    const std::string user_code = display_text(code.user_code(), kCodeBytes);
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
    return true;
}

}  // namespace gitcred
