#include "options.hpp"

#include <array>
#include <string_view>

namespace aadcred::cli {
namespace {

enum class Kind {
    profile,       // a profile setting with a value: stored under `key`
    profile_flag,  // a profile setting without a value: stores `fixed` under `key`
    scope,         // --scope S: repeatable, joined with spaces (OAuth scope syntax, RFC 6749 §3.3)
    profile_name,
    help,
    version,
    json,
    no_prompt,
    all,
    user_code_info,
    language,
    unsupported,  // a secret-based flow of `token` (issue #3)
    flow_option,  // a confidential-client / code / refresh option of `token` (cmd_token_flows)
};

// Which commands an option belongs to; profile options belong to all.
constexpr unsigned bit(Command c) {
    return 1u << static_cast<unsigned>(c);
}
constexpr unsigned k_all = ~0u;
constexpr unsigned k_token = bit(Command::token);

struct OptionSpec {
    std::string_view name;
    bool takes_value;
    Kind kind;
    std::string_view key;    // config key for profile settings
    std::string_view fixed;  // value stored by a profile flag
    unsigned commands;
};

constexpr std::array k_options = {
    OptionSpec{"authority", true, Kind::profile, "authority", "", k_all},
    OptionSpec{"client-id", true, Kind::profile, "client-id", "", k_all},
    OptionSpec{"resource", true, Kind::profile, "resource", "", k_all},
    OptionSpec{"scope", true, Kind::scope, "scope", "", k_all},
    OptionSpec{"api", true, Kind::profile, "api", "", k_all},
    OptionSpec{"flow", true, Kind::profile, "flow", "", k_all},
    OptionSpec{"ca-file", true, Kind::profile, "ca-file", "", k_all},
    OptionSpec{"no-validate-authority", false, Kind::profile_flag, "validate-authority", "false",
               k_all},
    OptionSpec{"timeout", true, Kind::profile, "timeout", "", k_all},
    OptionSpec{"store", true, Kind::profile, "store", "", k_all},
    OptionSpec{"user", true, Kind::profile, "user", "", k_all},
    OptionSpec{"qr", false, Kind::profile_flag, "qr", "true", k_all},
    OptionSpec{"log-level", true, Kind::profile, "log-level", "", k_all},
    OptionSpec{"log-pii", false, Kind::profile_flag, "log-pii", "true", k_all},
    OptionSpec{"profile", true, Kind::profile_name, "", "", k_all},
    OptionSpec{"help", false, Kind::help, "", "", k_all},
    OptionSpec{"version", false, Kind::version, "", "", k_all},
    OptionSpec{"json", false, Kind::json, "", "",
               k_token | bit(Command::user_code) | bit(Command::device_token) | bit(Command::list) |
                   bit(Command::logout)},
    OptionSpec{"no-prompt", false, Kind::no_prompt, "", "", k_token},
    OptionSpec{"all", false, Kind::all, "", "", bit(Command::logout)},
    OptionSpec{"user-code-info", true, Kind::user_code_info, "", "", bit(Command::device_token)},
    OptionSpec{"language", true, Kind::language, "", "", bit(Command::user_code)},
    OptionSpec{"no-store", false, Kind::flow_option, "", "", bit(Command::device_token)},
    OptionSpec{"client-secret-file", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"certificate", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"thumbprint", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"public-certificate", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"username", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"password-file", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"auth-code-file", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"redirect-uri", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"code-verifier-file", true, Kind::flow_option, "", "", k_token},
    OptionSpec{"refresh-token-file", true, Kind::flow_option, "", "", k_token},
};

struct CommandName {
    std::string_view name;
    Command command;
};

constexpr std::array k_commands = {
    CommandName{"token", Command::token},
    CommandName{"user-code", Command::user_code},
    CommandName{"device-token", Command::device_token},
    CommandName{"list", Command::list},
    CommandName{"logout", Command::logout},
    CommandName{"cache", Command::cache},
    CommandName{"help", Command::help},
};

const OptionSpec *find_option(std::string_view name) {
    for (const auto &spec : k_options) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

class Parser {
  public:
    explicit Parser(const std::vector<std::string> &args) : args_(args) {}

    CommandLine run() {
        bool options_done = false;
        for (i_ = 0; i_ < args_.size(); ++i_) {
            const std::string &arg = args_[i_];
            if (!options_done && arg == "--") {
                options_done = true;
            } else if (!options_done && arg.size() > 2 && arg.starts_with("--")) {
                long_option(std::string_view(arg).substr(2));
            } else if (!options_done && (arg == "-h" || arg == "-V")) {
                (arg == "-h" ? out_.help : out_.version) = true;
            } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
                // "-" alone is an operand (stdin); other short options do not exist.
                throw UsageError("unknown option " + quoted(arg), out_.command);
            } else {
                operand(arg);
            }
        }
        check_command_options();
        return out_;
    }

  private:
    void long_option(std::string_view text) {
        const size_t eq = text.find('=');
        const std::string_view name = text.substr(0, eq);
        const OptionSpec *spec = find_option(name);
        if (spec == nullptr) {
            throw UsageError("unknown option " + quoted("--" + std::string(name)), out_.command);
        }
        std::string value;
        if (spec->takes_value) {
            if (eq != std::string_view::npos) {
                value = std::string(text.substr(eq + 1));
            } else if (i_ + 1 < args_.size()) {
                value = args_[++i_];
            } else {
                throw UsageError("option --" + std::string(name) + " needs a value", out_.command);
            }
            if (value.empty()) {
                throw UsageError("option --" + std::string(name) + " needs a non-empty value",
                                 out_.command);
            }
        } else if (eq != std::string_view::npos) {
            throw UsageError("option --" + std::string(name) + " takes no value", out_.command);
        }
        seen_.push_back(spec);
        apply(*spec, std::move(value));
    }

    void apply(const OptionSpec &spec, std::string value) {
        const std::string origin = "--" + std::string(spec.name);
        switch (spec.kind) {
            case Kind::profile:
                out_.profile[std::string(spec.key)] = Setting{std::move(value), origin};
                break;
            case Kind::profile_flag:
                out_.profile[std::string(spec.key)] = Setting{std::string(spec.fixed), origin};
                break;
            case Kind::scope: {
                auto [it, fresh] = out_.profile.try_emplace("scope", Setting{value, origin});
                if (!fresh) it->second.value += " " + value;
                break;
            }
            case Kind::profile_name:
                out_.profile_name = std::move(value);
                break;
            case Kind::help:
                out_.help = true;
                break;
            case Kind::version:
                out_.version = true;
                break;
            case Kind::json:
                out_.json = true;
                break;
            case Kind::no_prompt:
                out_.no_prompt = true;
                break;
            case Kind::all:
                out_.all = true;
                break;
            case Kind::user_code_info:
                out_.user_code_info = std::move(value);
                break;
            case Kind::language:
                out_.language = std::move(value);
                break;
            case Kind::unsupported:
                out_.unsupported.push_back(origin);
                break;
            case Kind::flow_option:
                out_.flow_options[std::string(spec.name)] = std::move(value);
                break;
        }
    }

    void operand(const std::string &arg) {
        if (out_.command != Command::none) {
            out_.operands.push_back(arg);
            return;
        }
        out_.command = find_command(arg);
        if (out_.command != Command::none) {
            out_.command_name = arg;
            return;
        }
        throw UsageError("unknown command " + quoted(arg), Command::none);
    }

    // Options may come before the command, so they are matched to it only at the end.
    void check_command_options() const {
        if (out_.command == Command::none || out_.command == Command::help) return;
        for (const OptionSpec *spec : seen_) {
            if ((spec->commands & bit(out_.command)) == 0) {
                throw UsageError("option --" + std::string(spec->name) + " does not apply to '" +
                                     out_.command_name + "'",
                                 out_.command);
            }
        }
    }

    const std::vector<std::string> &args_;
    size_t i_ = 0;
    CommandLine out_;
    std::vector<const OptionSpec *> seen_;
};

}  // namespace

CommandLine parse_command_line(const std::vector<std::string> &args) {
    return Parser(args).run();
}

Command find_command(std::string_view name) {
    for (const auto &c : k_commands) {
        if (c.name == name) return c.command;
    }
    return Command::none;
}

const char *command_name(Command command) {
    for (const auto &c : k_commands) {
        if (c.command == command) return c.name.data();
    }
    return "";
}

}  // namespace aadcred::cli
