#include "prompter.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "display_text.hpp"
#include "qr_text.hpp"

namespace aadcred::cli {
namespace {

std::string remaining_text(std::chrono::seconds left) {
    const long s = left.count();
    char buf[48];
    if (s >= 3600) {
        std::snprintf(buf, sizeof buf, "Code expires in %ld:%02ld:%02ld", s / 3600, (s / 60) % 60,
                      s % 60);
    } else {
        std::snprintf(buf, sizeof buf, "Code expires in %ld:%02ld", s / 60, s % 60);
    }
    return buf;
}

// Overwrites the countdown line; the padding clears what a longer text left behind, with
// no escape sequence that a dumb terminal would print.
void redraw(std::string_view text) {
    std::fprintf(stderr, "\r%-40.*s\r%.*s", static_cast<int>(text.size()), text.data(),
                 static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
}

}  // namespace

Prompter::Prompter(bool qr) : qr_(qr), terminal_(::isatty(STDERR_FILENO) == 1) {}

Prompter::~Prompter() {
    stop_countdown();
}

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
        stop_countdown();
    }
    return true;
}

void Prompter::show(const UserCodeInfo &code) {
    stop_countdown();  // a second SHOW replaces the first countdown
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
        const std::string qr = frontend::qr_text(url, frontend::qr_style_for(STDERR_FILENO));
        std::fprintf(stderr, "%s\n",
                     qr.empty() ? "(QR code unavailable: no libqrencode, or the URL is too long)"
                                : qr.c_str());
    }
    const int expires_in = code.expires_in();
    const std::chrono::seconds lifetime(expires_in > 0 ? expires_in : 0);
    if (!terminal_ || lifetime.count() == 0) {
        if (lifetime.count() > 0) std::fprintf(stderr, "%s.\n", remaining_text(lifetime).c_str());
        std::fflush(stderr);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stop_ = false;
    }
    const auto deadline = std::chrono::steady_clock::now() + lifetime;
    countdown_ = std::thread([this, deadline] { countdown(deadline); });
}

void Prompter::countdown(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            redraw("Code expired");
            return;
        }
        // Round up, so the display reaches 0:00 only when the code is really gone.
        const auto left = std::chrono::ceil<std::chrono::seconds>(deadline - now);
        redraw(remaining_text(left));
        const auto next_tick = deadline - (left - std::chrono::seconds(1));
        wake_.wait_until(lock, next_tick, [this] { return stop_; });
    }
}

void Prompter::stop_countdown() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (countdown_.joinable()) {
        countdown_.join();
        redraw("");  // leave the line empty for what comes next
    }
}

}  // namespace aadcred::cli
