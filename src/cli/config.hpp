#pragma once
// Settings of one run, layered (SPEC §4): command line options > AADCRED_* environment >
// config file ([profile NAME] over [default]) > built-in defaults.
// The config file's format is in config_file.hpp.

#include <aadcred/aadcred.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "options.hpp"

namespace aadcred::cli {

/// A bad config file, environment variable or option value: exit 2.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Settings {
    std::string authority;
    std::string client_id;
    std::string resource;
    std::string scopes;  ///< space-separated
    aadcred_api api = AADCRED_API_V1;
    std::string ca_file;
    std::string store = "auto";
    std::string user;
    int timeout = 0;  ///< seconds; 0: the library's default
    aadcred_log_level log_level = AADCRED_LOG_ERROR;
    bool log_pii = false;
    bool validate_authority = true;
    bool qr = false;
    /// How a needed sign-in happens: the browser at a desktop, else the device code.
    aadcred_sign_in_flow flow = AADCRED_FLOW_AUTO;
    /// The config file consulted, for messages ("... or 'authority' in PATH").
    std::string config_path;
};

/// Reads environment variables; tests and main pass getenv.
using GetEnv = std::function<const char *(const char *name)>;

/// Resolves the settings of this run. Throws ConfigError naming the option, variable or
/// FILE:LINE at fault.
Settings resolve_settings(const CommandLine &command_line, const GetEnv &getenv);

/// The system-wide config file an admin writes: $AADCRED_SYSTEM_CONFIG, else
/// $sysconfdir/aadcred/config (/etc/aadcred/config when installed under /usr).
std::string system_config_file_path(const GetEnv &getenv);

/// The config file path: $XDG_CONFIG_HOME/aadcred/config or $HOME/.config/aadcred/config.
std::string config_file_path(const GetEnv &getenv);

}  // namespace aadcred::cli
