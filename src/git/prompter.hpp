#pragma once
// Shows the device code to the person running git: on stderr, which git leaves connected
// to the terminal (stdout is the protocol). The message, URL and code come from the
// authority, so they are sanitised first: a hostile or broken server must not be able to
// move the cursor, rewrite earlier lines or fake text with terminal escapes.

#include <string_view>

#include <aadcred/aadcred.hpp>

namespace gitcred {

/// The helper's aadcred::Prompt, with `remote` (what the sign-in is for, the remote URL)
/// bound. Shows the code on `show`; never cancels, so always returns true.
/// The sign-in goes on in the browser: says so on stderr, with the library's note (why
/// the device code was not used) when there is one. Always goes on.
bool show_browser_sign_in(std::string_view remote, std::string_view note);

bool show_device_code(aadcred::PromptEvent event, const aadcred::UserCodeInfo &code,
                      std::string_view remote);

}  // namespace gitcred
