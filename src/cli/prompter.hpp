#pragma once
// Shows the device code (SPEC §4: on stderr, never stdout, which holds the token). On a
// terminal a countdown ("Code expires in 14:32") is redrawn once a second on its own line
// with '\r' by a thread started on SHOW and stopped on DONE; elsewhere (logs, pipes) the
// instructions are plain lines only.

#include <aadcred/aadcred.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace aadcred::cli {

class Prompter {
  public:
    explicit Prompter(bool qr);
    /// Stops the countdown if DONE never came.
    ~Prompter();
    Prompter(const Prompter &) = delete;
    Prompter &operator=(const Prompter &) = delete;

    /// An aadcred::Prompt (pass std::ref(prompter)): shows the code on SHOW, stops the
    /// countdown on DONE. Always goes on polling: Ctrl-C is what cancels.
    bool operator()(PromptEvent event, const UserCodeInfo &code);

    /// Where a browser event's note comes from (the provider whose get_token prompts).
    void notes_from(const CredentialProvider &provider) { provider_ = &provider; }

  private:
    void show(const UserCodeInfo &code);
    void stop_countdown();
    void countdown(std::chrono::steady_clock::time_point deadline);

    const CredentialProvider *provider_ = nullptr;
    bool qr_;
    bool terminal_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;  // guarded by mutex_
    std::thread countdown_;
};

}  // namespace aadcred::cli
