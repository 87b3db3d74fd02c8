#include "prompter.hpp"

#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <utility>

#include "display_text.hpp"
#include "qr_text.hpp"

namespace gitcred {

namespace {

using aadcred::frontend::display_text;
using aadcred::frontend::kCodeBytes;
using aadcred::frontend::kMessageBytes;
using aadcred::frontend::kUrlBytes;

}  // namespace

DeviceCodePrompter::DeviceCodePrompter(std::string remote, bool qr)
    : remote_(std::move(remote)), qr_(qr) {}

void DeviceCodePrompter::open_output() {
    // Only when there is something to show: a warm fill never prompts, and must not pay
    // for opening the terminal.
    if (output_open_) return;
    output_open_ = true;
    tty_ = aadcred::frontend::UniqueFd(aadcred::frontend::open_controlling_terminal());
    out_ = tty_ ? tty_.get() : STDERR_FILENO;
}

void DeviceCodePrompter::write(const std::string &text) const {
    if (out_ == STDERR_FILENO) fflush(stderr);  // after anything stdio still holds
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(out_, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

bool DeviceCodePrompter::operator()(aadcred::PromptEvent event, const aadcred::UserCodeInfo &code) {
    if (event == aadcred::PromptEvent::show) {
        if (code.handle() != nullptr) show(code);
    } else if (event == aadcred::PromptEvent::browser) {
        show_browser();
    } else {
        countdown_.stop();
        notification_.close();
    }
    return true;
}

void DeviceCodePrompter::show_browser() {
    open_output();
    std::string text =
        "git-credential-aadcred: sign-in needed for " + display_text(remote_, kUrlBytes) + "\n";
    // The library's note says why the device code was not used (a policy refused it).
    const std::string note =
        provider_ != nullptr ? display_text(provider_->sign_in_note(), kMessageBytes) : "";
    if (!note.empty()) text += note + "\n";
    text += "To sign in, continue in the web browser that is opening.\n";
    write(text);
}

void DeviceCodePrompter::show(const aadcred::UserCodeInfo &code) {
    open_output();
    countdown_.stop();  // a second code replaces the first
    std::string text =
        "git-credential-aadcred: sign-in needed for " + display_text(remote_, kUrlBytes) + "\n";
    const std::string message = display_text(code.message(), kMessageBytes);
    const std::string url = display_text(code.verification_url(), kUrlBytes);
    const std::string user_code = display_text(code.user_code(), kCodeBytes);
    // Azure AD's message already names the URL and the code; a server that sends no
    // message, or one without them, still gets both shown.
    if (!message.empty()) text += message + "\n";
    const bool complete =
        message.find(url) != std::string::npos && message.find(user_code) != std::string::npos;
    if (!complete || message.empty()) {
        text += "To sign in, open " + url + " and enter the code " + user_code + "\n";
    }
    if (qr_) {
        // The page with the code in it when the authority sent one: nothing to type.
        const std::string with_code = display_text(code.verification_url_complete(), kUrlBytes);
        const std::string qr = aadcred::frontend::qr_text(with_code.empty() ? url : with_code,
                                                          aadcred::frontend::qr_style_for(out_));
        text += qr.empty() ? "(QR code unavailable: no libqrencode, or the URL is too long)\n"
                           : qr + "\n";
    }
    write(text);
    if (!tty_) {
        // No terminal: git runs under an IDE or a desktop app, and stderr may reach a log
        // nobody reads. The notification is a second way to the code, never the only one.
        try {
            notification_ = aadcred::DesktopNotification::show(code, "git");
        } catch (const aadcred::AdalError &) {
        }
    }
    const int expires_in = code.expires_in();
    countdown_.start(out_, isatty(out_) == 1,
                     std::chrono::seconds(expires_in > 0 ? expires_in : 0));
}

}  // namespace gitcred
