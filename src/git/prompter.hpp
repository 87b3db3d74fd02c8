#pragma once
// Shows the device code to the person running git: on stderr, which git leaves connected
// to the terminal (stdout is the protocol). The message, URL and code come from the
// authority, so they are sanitised first: a hostile or broken server must not be able to
// move the cursor, rewrite earlier lines or fake text with terminal escapes.

#include <cstddef>
#include <string>
#include <string_view>

#include <aadcred/aadcred.h>

#include "display_text.hpp"

namespace gitcred {

/// `text` made safe for a terminal by the front ends' one sanitiser (display_text.hpp),
/// cut to `max_bytes`: git, the CLI and PAM show the same cleaned text.
inline std::string sanitize_for_terminal(std::string_view text,
                                         std::size_t max_bytes = aadcred::frontend::kMessageBytes) {
    return aadcred::frontend::display_text(text, max_bytes);
}

/// The aadcred_prompt_cb the helper passes in its aadcred_request; `payload` is a
/// `const std::string *` naming what the sign-in is for (the remote URL), or NULL.
int show_device_code(aadcred_prompt_event event, const aadcred_user_code *code, void *payload);

}  // namespace gitcred
