#pragma once
// The module's arguments (SPEC §6), parsed strictly: a PAM line with a typo must fail
// closed with a syslog line naming the argument, never run with a silent default. The
// same settings may come from a file the line names (config=, pam_config_file.hpp):
// sshd wipes the environment before authentication, so nothing is read from there.

#include <aadcred/aadcred.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace aadcred_pam {

/// The claims that may name the local user (SPEC §6).
inline constexpr const char *kUserClaims[] = {"upn", "preferred_username", "email", "unique_name"};

inline constexpr int kDefaultTimeoutSeconds = 120;
inline constexpr int kMaxTimeoutSeconds = 3600;

struct ModuleConfig {
    std::string authority;
    std::string client_id;
    std::string resource;  ///< v1
    std::string scopes;    ///< v2/oidc, space-separated (scope= may be repeated)
    aadcred_api api = AADCRED_API_V1;
    std::string ca_file;
    int timeout = kDefaultTimeoutSeconds;  ///< seconds; the deadline is min(expiresIn, this)
    std::string user_claim = "upn";
    std::string domain;           ///< stripped as "@domain" from the claim when set
    std::string allowed_tenants;  ///< comma-separated tids, as aadcred_identity_options wants
    bool qr = false;
    bool debug = false;
    /// Extensions beyond SPEC §6, documented in pam_aadcred(8):
    bool sso = true;                   ///< "no_sso" turns the session hand-over off
    std::string runtime_dir = "/run";  ///< "runtime_dir=": where hand-overs go (tests)
    /// ADAL's validate_authority ("validate_authority=false" for ADFS, private clouds and
    /// authorities Azure AD's instance list does not know).
    bool validate_authority = true;
    std::string instance_discovery;  ///< "instance_discovery=": who vouches for the authority
    std::string config_file;         ///< "config=": the file the settings came from
    bool quiet = false;              ///< "quiet": no syslog notice for each sign-in or refusal
    std::string key_cache;  ///< "key_cache=": DIR or "none"; empty: key_cache_setup.hpp's default
};

/// One setting of the config file, as its argument text ("key=value" or "flag"), and
/// where it was written, for error messages.
struct FileSetting {
    std::string text;
    int line = 0;
};

/// What went wrong with the arguments, worded for syslog.
struct ConfigError {
    std::string message;
};

/// Parses argv as PAM passes it. Any unknown, repeated (except scope=), empty or
/// malformed argument is an error.
std::variant<ModuleConfig, ConfigError> parse_arguments(int argc, const char **argv);

/// The settings of config file `path` under the line's: a key given on the line replaces
/// every setting of that key in the file (scope= included); the file's own keys follow
/// the line's rules (no repeats but scope=, no config=). Errors name the file and line.
std::variant<ModuleConfig, ConfigError> merge_arguments(const std::string &path,
                                                        const std::vector<FileSetting> &file,
                                                        int argc, const char **argv);

/// What authenticate needs on top of a well-formed line: authority, client_id and
/// resource (v1) or scope (v2, oidc). nullopt when complete.
std::optional<ConfigError> check_for_authentication(const ModuleConfig &config);

}  // namespace aadcred_pam
