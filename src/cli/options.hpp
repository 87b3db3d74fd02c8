#pragma once
// The command line: `aadcred [PROFILE OPTIONS] COMMAND [ARGS]` (SPEC §4). Profile options
// may stand before or after the command, as `--name value` or `--name=value`; command
// options are checked against the command once the whole line has been read.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace aadcred::cli {

enum class Command { none, token, user_code, device_token, list, logout, cache, help };

/// One setting and where it came from ("--timeout", "AADCRED_TIMEOUT", "FILE:12"), so a
/// bad value can be blamed on the place the user must fix.
struct Setting {
    std::string value;
    std::string origin;
};

/// Settings keyed like the config file ("authority", "client-id", "scope", ...).
using Layer = std::map<std::string, Setting, std::less<>>;

struct CommandLine {
    Command command = Command::none;
    std::string command_name;
    /// The profile options given, keyed like the config file.
    Layer profile;
    std::optional<std::string> profile_name;
    bool help = false;
    bool version = false;
    bool json = false;
    bool no_prompt = false;
    bool all = false;
    std::optional<std::string> user_code_info;
    std::optional<std::string> language;
    /// Arguments after the command that are not options (`cache export FILE`).
    std::vector<std::string> operands;
    /// Options of the secret-based flows (issue #3), recognised but not implemented.
    std::vector<std::string> unsupported;
    /// Values of the confidential-client, authorization code and refresh token options of
    /// `token` (issue #3), keyed by option name ("client-secret-file", "thumbprint"...).
    std::map<std::string, std::string, std::less<>> flow_options;
};

/// A mistake on the command line: exit 2 with the message and a hint.
class UsageError : public std::runtime_error {
  public:
    UsageError(const std::string &message, Command command)
        : std::runtime_error(message), command_(command) {}
    Command command() const { return command_; }

  private:
    Command command_;
};

/// Parses argv (without argv[0]). Throws UsageError.
CommandLine parse_command_line(const std::vector<std::string> &args);

/// The name users type for a command ("user-code").
const char *command_name(Command command);

/// The command called `name`, or Command::none.
Command find_command(std::string_view name);

}  // namespace aadcred::cli
