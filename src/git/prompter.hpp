#pragma once
// Shows the device code to the person running git: on stderr, which git leaves connected
// to the terminal (stdout is the protocol). The message, URL and code come from the
// authority, so they are sanitised first: a hostile or broken server must not be able to
// move the cursor, rewrite earlier lines or fake text with terminal escapes.

#include <aadcred/aadcred.h>

namespace gitcred {

/// The aadcred_prompt_cb the helper passes in its aadcred_request; `payload` is a
/// `const std::string *` naming what the sign-in is for (the remote URL), or NULL.
int show_device_code(aadcred_prompt_event event, const aadcred_user_code *code, void *payload);

}  // namespace gitcred
