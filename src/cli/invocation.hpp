#pragma once
// What every command gets, and the helpers that turn settings into library objects.

#include <aadcred/aadcred.hpp>

#include <string>

#include "config.hpp"
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

/// Throws ConfigError when the authority or the client id is missing: what logout --user
/// and cache export|import need (no resource or scopes; issue 3). list and logout --all
/// need neither (issue 11).
void require_store_access(const Settings &settings);

/// The resource (v1) or the scopes (v2, oidc): what the token is for.
const std::string &target(const Settings &settings);

/// The provider for `settings`; prompts (device code sign-in, keyring unlock) only with
/// `allow_prompt`; a warm token may come from the hot cache (then without its refresh
/// token) only with `hot_cache`. Throws SettingsRefused when the library refuses the
/// settings.
CredentialProvider make_provider(const Settings &settings, bool allow_prompt,
                                 bool hot_cache = true);

/// An AuthenticationContext for `settings` (user-code, device-token, the secret-based
/// flows). Throws SettingsRefused when the library refuses the settings.
AuthenticationContext make_context(const Settings &settings);

}  // namespace aadcred::cli
