#pragma once
// The helper's actions (gitcredentials(7) "Custom helpers"): get answers with a token,
// erase forgets a rejected access token, store has nothing to do.

#include "credential_protocol.hpp"
#include "git_exit.hpp"

namespace gitcred {

/// Prints a credential for `input` on stdout, or nothing (see git_exit.hpp).
ExitCode action_get(const Credential &input);

/// Drops our cached access token if it equals the password git rejected.
ExitCode action_erase(const Credential &input);

}  // namespace gitcred
