#pragma once
// The config files: the system's, $sysconfdir/aadcred/config (/etc/aadcred/config), for an
// admin's defaults, under the user's, $XDG_CONFIG_HOME/aadcred/config (else
// ~/.config/aadcred/config).
// SPEC §4 names it but not its format; ours is git-config-like INI:
//     # comment            ; comment
//     [default]
//     authority = https://login.microsoftonline.com/contoso.onmicrosoft.com
//     [profile graph]
//     resource = https://graph.microsoft.com/
// Keys are the long option names (authority, client-id, resource, scope (space-separated),
// api, ca-file, store, user, timeout, log-level, validate-authority, log-pii, qr); a value
// may be wrapped in double quotes. Comments are whole lines only: a '#' inside a value is
// part of it (URLs have fragments). Anything else is an error naming FILE:LINE, so a
// typo never silently falls back to a default.

#include <string>

#include "options.hpp"

namespace aadcred::cli {

/// One file's settings, and whether it had the [profile NAME] asked for.
struct ConfigLayer {
    Layer layer;
    bool found_profile = false;
};

/// Like read_config_file, but a missing file or profile section is no error: the system
/// file and the user's are read in turn, and the profile may be in either.
ConfigLayer read_config_layer(const std::string &path, const std::string &profile);

/// Reads [default] and, when `profile` is not empty, [profile NAME] over it, into one
/// layer whose origins are "FILE:LINE". A missing file is an empty layer unless a profile
/// was asked for. Throws ConfigError.
Layer read_config_file(const std::string &path, const std::string &profile);

/// True when `key` is a setting the config file may hold.
bool is_config_key(std::string_view key);

}  // namespace aadcred::cli
