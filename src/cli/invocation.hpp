#pragma once
// What every command gets, and the helpers that turn settings into library objects.

#include <aadcred/aadcred.h>

#include <string>

#include "config.hpp"
#include "handles.hpp"
#include "options.hpp"
#include "signals.hpp"

namespace aadcred::cli {

struct Invocation {
    const CommandLine &command_line;
    const Settings &settings;
    SignalWatcher &signals;
};

/// Throws ConfigError when the authority, the client id, or the resource (v1) or scopes
/// (v2, oidc) are missing: what a command that gets a token needs.
void require_account(const Settings &settings);

/// Throws ConfigError when the authority or the client id is missing: what list, logout
/// and cache export|import need (no resource or scopes; issue 3).
void require_store_access(const Settings &settings);

/// The resource (v1) or the scopes (v2, oidc): what the token is for.
const std::string &target(const Settings &settings);

/// The provider for `settings`. On failure returns null; the error is in
/// aadcred_error_last().
ProviderPtr make_provider(const Settings &settings, bool allow_prompt, aadcred_prompt_cb prompt,
                          void *prompt_payload);

/// An AuthenticationContext for `settings` (user-code, device-token). Null on failure.
ContextPtr make_context(const Settings &settings);

}  // namespace aadcred::cli
