#pragma once
// The helper's settings for one URL, read the way git reads its own per-URL settings:
// `git config -z --get-urlmatch credential <url>` applies credential.<url>.* sections with
// git's matching rules (most specific URL wins, user@ in a section must match), and also
// sees repository config and `git -c` overrides, which git passes down to helpers.

#include <optional>
#include <string>
#include <string_view>

namespace gitcred {

struct HelperSettings {
    std::optional<std::string> authority;           ///< credential.<url>.aadcredAuthority
    std::optional<std::string> client_id;           ///< aadcredClientId
    std::optional<std::string> resource;            ///< aadcredResource (v1)
    std::optional<std::string> scopes;              ///< aadcredScopes (v2, oidc; space-separated)
    std::optional<std::string> api;                 ///< aadcredApi: v1, v2 or oidc
    std::optional<std::string> flow;                ///< aadcredFlow: auto, device or browser
    std::optional<std::string> ca_file;             ///< aadcredCaFile: PEM bundle
    std::optional<std::string> store;               ///< aadcredStore: auto, secret-service, ...
    std::optional<std::string> allow_http;          ///< aadcredAllowHttp (git bool; loopback only)
    std::optional<std::string> validate_authority;  ///< aadcredValidateAuthority (git bool)
    std::optional<std::string> username;            ///< credential.<url>.username
    std::optional<std::string> qr;                  ///< aadcredQr (git bool): draw the QR code

    /// True when any aadcred* key applies to the URL: this host is ours to serve. Not
    /// aadcredQr, a display preference that may well be set for every URL.
    bool configured() const;
};

/// Either settings or why they could not be read.
struct SettingsResult {
    std::optional<HelperSettings> settings;
    std::string error;
};

/// Runs `git config` (argv, no shell) for `url` and collects the keys above.
SettingsResult load_settings(const std::string &url);

/// git's boolean syntax (git-config(1)): true/yes/on, false/no/off, an integer (non-zero is
/// true), "" is false; case-insensitive. A valueless key (`[credential] aadcredAllowHttp`)
/// is loaded as "true". Returns nullopt for anything else.
std::optional<bool> parse_git_bool(std::string_view value);

}  // namespace gitcred
