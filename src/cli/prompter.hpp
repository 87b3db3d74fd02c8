#pragma once
// Shows the device code (SPEC §4: on stderr, never stdout, which holds the token). On a
// terminal a countdown ("Code expires in 14:32") is redrawn once a second on its own line
// by the toolkit's Countdown, started on SHOW and stopped on DONE; elsewhere (logs, pipes)
// the instructions are plain lines only. With no terminal at all (stderr is not one and
// there is no /dev/tty: a desktop app runs the CLI) the code is also shown in a desktop
// notification, closed on DONE.

#include <aadcred/aadcred.hpp>

#include "countdown.hpp"

namespace aadcred::cli {

class Prompter {
  public:
    explicit Prompter(bool qr);
    Prompter(const Prompter &) = delete;
    Prompter &operator=(const Prompter &) = delete;

    /// An aadcred::Prompt (pass std::ref(prompter)): shows the code on SHOW, stops the
    /// countdown and closes the notification on DONE. Always goes on polling: Ctrl-C is
    /// what cancels.
    bool operator()(PromptEvent event, const UserCodeInfo &code);

    /// Where a browser event's note comes from (the provider whose get_token prompts).
    void notes_from(const CredentialProvider &provider) { provider_ = &provider; }

  private:
    void show(const UserCodeInfo &code);

    const CredentialProvider *provider_ = nullptr;
    bool qr_;
    bool terminal_;
    frontend::Countdown countdown_;
    DesktopNotification notification_;
};

}  // namespace aadcred::cli
