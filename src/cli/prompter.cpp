#include "prompter.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "display_text.hpp"
#include "qr_text.hpp"
#include "unique_fd.hpp"

namespace aadcred::cli {
namespace {

// No terminal anywhere: nobody may ever read stderr, so a desktop can show the code.
bool no_terminal(bool stderr_is_terminal) {
    if (stderr_is_terminal) return false;
    const frontend::UniqueFd tty(frontend::open_controlling_terminal());
    return !tty;
}

}  // namespace

Prompter::Prompter(bool qr) : qr_(qr), terminal_(::isatty(STDERR_FILENO) == 1) {}

bool Prompter::operator()(PromptEvent event, const UserCodeInfo &code) {
    if (event == PromptEvent::show) {
        show(code);
    } else if (event == PromptEvent::browser) {
        // The library's note is its own text, but sanitised like the authority's.
        const std::string note =
            provider_ != nullptr
                ? frontend::display_text(provider_->sign_in_note(), frontend::kMessageBytes)
                : std::string();
        if (!note.empty()) std::fprintf(stderr, "%s\n", note.c_str());
        std::fprintf(stderr, "To sign in, continue in the web browser that is opening.\n");
        std::fflush(stderr);
    } else {
        countdown_.stop();
        notification_.close();
    }
    return true;
}

void Prompter::show(const UserCodeInfo &code) {
    countdown_.stop();  // a second SHOW replaces the first countdown
    // Everything here came from the authority: sanitise before a terminal sees it.
    const std::string url = frontend::display_text(code.verification_url(), frontend::kUrlBytes);
    const std::string user_code = frontend::display_text(code.user_code(), frontend::kCodeBytes);
    std::string message = frontend::display_text(code.message(), frontend::kMessageBytes);
    // The server's message is the localised one (mkt=); use it only when it really names
    // the page and the code, else say it ourselves.
    if (message.empty() || message.find(user_code) == std::string::npos ||
        message.find(url) == std::string::npos) {
        message = "To sign in, use a web browser to open the page " + url + " and enter the code " +
                  user_code + " to authenticate.";
    }
    std::fprintf(stderr, "%s\n", message.c_str());
    if (qr_) {
        // The page with the code in it when the authority sent one: nothing to type.
        const std::string complete =
            frontend::display_text(code.verification_url_complete(), frontend::kUrlBytes);
        const std::string qr = frontend::qr_text(complete.empty() ? url : complete,
                                                 frontend::qr_style_for(STDERR_FILENO));
        std::fprintf(stderr, "%s\n",
                     qr.empty() ? "(QR code unavailable: no libqrencode, or the URL is too long)"
                                : qr.c_str());
    }
    std::fflush(stderr);
    if (no_terminal(terminal_)) {
        try {
            notification_ = DesktopNotification::show(code, "aadcred");
        } catch (const AdalError &) {
            // The code is on stderr already; a notification is only a second way to it.
        }
    }
    const int expires_in = code.expires_in();
    countdown_.start(STDERR_FILENO, terminal_,
                     std::chrono::seconds(expires_in > 0 ? expires_in : 0));
}

}  // namespace aadcred::cli
