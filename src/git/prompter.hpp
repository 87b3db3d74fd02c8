#pragma once
// Shows the device code to the person running git. Where git itself prompts: on the
// controlling terminal (/dev/tty) when the helper has one, else on stderr (stdout is the
// protocol). On a terminal the time left on the code is redrawn each second; with
// credential.<url>.aadcredQr the page is also drawn as a QR code. With no terminal at all
// (git run by an IDE or a desktop app) the code also goes to a desktop notification,
// whose action opens the page, closed when the sign-in ends. The message, URL and code
// come from the authority, so they are sanitised first: a hostile or broken server must
// not be able to move the cursor, rewrite earlier lines or fake text with terminal escapes.

#include <unistd.h>

#include <string>

#include <aadcred/aadcred.hpp>

#include "countdown.hpp"
#include "unique_fd.hpp"

namespace gitcred {

class DeviceCodePrompter {
  public:
    /// @param remote what the sign-in is for (the remote URL), as the prompt names it
    /// @param qr whether to draw the QR code (credential.<url>.aadcredQr)
    DeviceCodePrompter(std::string remote, bool qr);
    DeviceCodePrompter(const DeviceCodePrompter &) = delete;
    DeviceCodePrompter &operator=(const DeviceCodePrompter &) = delete;

    /// An aadcred::Prompt (pass std::ref): shows the code on `show`, ends the countdown
    /// and the notification on `done`. Never cancels, so always returns true.
    bool operator()(aadcred::PromptEvent event, const aadcred::UserCodeInfo &code);

    /// Where a browser event's note comes from (the provider whose get_token prompts).
    void notes_from(const aadcred::CredentialProvider &provider) { provider_ = &provider; }

  private:
    void open_output();
    void show_browser();
    void show(const aadcred::UserCodeInfo &code);
    void write(const std::string &text) const;

    const aadcred::CredentialProvider *provider_ = nullptr;
    std::string remote_;
    bool qr_;
    bool output_open_ = false;
    aadcred::frontend::UniqueFd tty_;  // the controlling terminal, or none
    int out_ = STDERR_FILENO;          // tty_ or stderr, once open_output() ran
    aadcred::frontend::Countdown countdown_;
    aadcred::DesktopNotification notification_;
};

}  // namespace gitcred
