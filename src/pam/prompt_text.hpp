#pragma once
// The words a person sees during the sign-in. Server-supplied text (URL, code) and the
// remote host are cleaned first: an authority or a reverse DNS name must not be able to
// send terminal escape sequences through sshd to the user's terminal.

#include <string>
#include <string_view>

namespace aadcred_pam {

/// The prompt after the instructions: sshd shows info text only together with a prompt.
inline constexpr const char *kEnterPrompt = "Press Enter after signing in: ";

struct SignInDetails {
    std::string_view user;   ///< PAM_USER
    std::string_view host;   ///< this host's name
    std::string_view rhost;  ///< PAM_RHOST, may be empty
    std::string_view url;    ///< verification URL from the authority
    std::string_view code;   ///< user code from the authority
    int seconds = 0;         ///< time left to sign in
};

/// The front ends' one sanitiser (display_text.hpp) in its ASCII form, at most `max`
/// bytes: controls, bidi and invisible characters go as they do in git and the CLI, and
/// every other non-ASCII character becomes '?'. ASCII because a PAM conversation has no
/// charset: the module cannot know the locale of whatever prints the message (sshd
/// relays it to a remote client, su or a display manager print it as they like), and a
/// byte count is then a character count, which keeps the message under PAM_MAX_MSG_SIZE.
/// Azure AD's URLs and user codes are ASCII, so nobody loses a real character.
std::string clean_text(std::string_view text, std::size_t max);

/// The instructions: which account on which host, where to go, which code, how long.
std::string sign_in_message(const SignInDetails &details);

}  // namespace aadcred_pam
