#pragma once
// Noticing that the person has gone while the module polls for their sign-in. After
// "Press Enter" nothing reaches the client until the module returns, and sshd's
// processes all wait for PAM, so nobody would see the client close the connection: the
// module would poll on until the code's deadline, for nobody. But sshd authenticates in
// a child of its monitor, which holds the client's socket, so this process has it open.
// We watch a copy of it (never read it) and cancel the poll when the peer hangs up.

#include <atomic>
#include <functional>
#include <thread>

#include "secure_files.hpp"

namespace aadcred_pam {

/// The connection the person came in on, if this process holds it: the one connected
/// TCP socket whose peer is PAM_RHOST. Look it up before the module opens connections of
/// its own (the authority may be on the same host in tests). Holds a duplicate.
class ClientSocket {
  public:
    ClientSocket() = default;
    /// Finds it among our descriptors; empty when there is none or more than one.
    static ClientSocket find(const char *rhost);
    explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
    int fd() const noexcept { return fd_.get(); }

  private:
    UniqueFd fd_;
};

/// While it lives, a thread waits for the peer of `client` to hang up and then calls
/// `on_gone` (from that thread) until it returns true: false means "too early, again in
/// a moment" (the poll to cancel has not started yet). Without a client socket it does
/// nothing. The thread blocks every signal, so the host's handlers stay on its thread.
class ClientWatch {
  public:
    ClientWatch(const ClientSocket &client, std::function<bool()> on_gone);
    ClientWatch(const ClientWatch &) = delete;
    ClientWatch &operator=(const ClientWatch &) = delete;
    ~ClientWatch();  ///< stops and joins the thread
    bool gone() const noexcept { return gone_.load(); }

  private:
    void run(int fd);
    std::function<bool()> on_gone_;
    UniqueFd stop_read_;
    UniqueFd stop_write_;
    std::atomic<bool> gone_{false};
    std::thread thread_;
};

}  // namespace aadcred_pam
