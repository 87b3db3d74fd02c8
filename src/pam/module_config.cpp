// Argument parsing for pam_aadcred. Values are checked for shape only (the library
// validates the authority URL itself); characters a later syslog line or URL could be
// confused by are refused here.

#include "module_config.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "api_kind.hpp"

namespace aadcred_pam {
namespace {

constexpr std::size_t kMaxArguments = 64;
constexpr std::size_t kMaxValueBytes = 2048;

bool printable_ascii(std::string_view s, bool allow_space = false) {
    return std::all_of(s.begin(), s.end(),
                       [&](char c) { return (c > ' ' && c < 0x7f) || (allow_space && c == ' '); });
}

bool tenant_list_ok(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '.' || c == ',';
    });
}

bool domain_ok(std::string_view s) {
    return s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '-' || c == '.';
           });
}

std::optional<int> parse_seconds(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    int value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value < 1 || value > kMaxTimeoutSeconds) return std::nullopt;
    return value;
}

class Parser {
  public:
    std::optional<ConfigError> argument(std::string_view arg) {
        const auto eq = arg.find('=');
        const std::string_view name = arg.substr(0, eq);
        if (eq == std::string_view::npos) return flag(name);
        const std::string_view value = arg.substr(eq + 1);
        if (value.empty()) return error("argument '" + std::string(name) + "' has an empty value");
        if (value.size() > kMaxValueBytes)
            return error("argument '" + std::string(name) + "' is longer than 2048 bytes");
        if (name != "scope" && !seen(name))
            return error("argument '" + std::string(name) + "' is given twice");
        return keyed(name, value);
    }

    ModuleConfig config;

  private:
    static std::optional<ConfigError> error(std::string message) {
        return ConfigError{std::move(message)};
    }

    bool seen(std::string_view name) {
        if (std::find(names_.begin(), names_.end(), name) != names_.end()) return false;
        names_.emplace_back(name);
        return true;
    }

    std::optional<ConfigError> flag(std::string_view name) {
        bool *target = name == "qr"      ? &config.qr
                       : name == "debug" ? &config.debug
                       : name == "quiet" ? &config.quiet
                                         : nullptr;
        if (name == "no_sso") {
            if (!seen(name)) return error("argument 'no_sso' is given twice");
            config.sso = false;
            return std::nullopt;
        }
        if (target == nullptr)
            return error("unknown argument '" + std::string(name.substr(0, 64)) + "'");
        if (!seen(name)) return error("argument '" + std::string(name) + "' is given twice");
        *target = true;
        return std::nullopt;
    }

    std::optional<ConfigError> keyed(std::string_view name, std::string_view value) {
        const std::string v(value);
        if (name == "authority" || name == "client_id" || name == "resource") {
            if (!printable_ascii(value)) return bad(name, "has spaces or control characters");
            (name == "authority"   ? config.authority
             : name == "client_id" ? config.client_id
                                   : config.resource) = v;
        } else if (name == "scope") {
            if (!printable_ascii(value, true)) return bad(name, "has control characters");
            if (config.scopes.size() + v.size() > kMaxValueBytes) return bad(name, "is too long");
            if (!config.scopes.empty()) config.scopes += ' ';
            config.scopes += v;
        } else if (name == "api") {
            const auto api = aadcred::frontend::parse_api_kind(v);
            if (!api) return bad(name, "must be v1, v2 or oidc");
            config.api = *api;
        } else if (name == "ca_file" || name == "runtime_dir" || name == "config") {
            if (value.front() != '/' || !printable_ascii(value))
                return bad(name, "must be an absolute path");
            (name == "ca_file"       ? config.ca_file
             : name == "runtime_dir" ? config.runtime_dir
                                     : config.config_file) = v;
        } else if (name == "validate_authority") {
            if (v == "true" || v == "yes")
                config.validate_authority = true;
            else if (v == "false" || v == "no")
                config.validate_authority = false;
            else
                return bad(name, "must be true or false");
        } else if (name == "instance_discovery") {
            // Who answers "is this authority genuine" must be reached over verified TLS.
            if (!value.starts_with("https://") || value.size() == 8 || !printable_ascii(value))
                return bad(name, "must be an https:// URL");
            config.instance_discovery = v;
        } else if (name == "timeout") {
            const auto seconds = parse_seconds(value);
            if (!seconds) return bad(name, "must be a number of seconds from 1 to 3600");
            config.timeout = *seconds;
        } else if (name == "user_claim") {
            const bool known = std::any_of(std::begin(kUserClaims), std::end(kUserClaims),
                                           [&](const char *c) { return v == c; });
            if (!known) return bad(name, "must be upn, preferred_username, email or unique_name");
            config.user_claim = v;
        } else if (name == "domain") {
            if (!domain_ok(value)) return bad(name, "is not a domain name");
            config.domain = v;
        } else if (name == "allowed_tenants") {
            if (!tenant_list_ok(value)) return bad(name, "must be tenant ids separated by commas");
            config.allowed_tenants = v;
        } else if (name == "key_cache") {
            if (v != "none" && (value.front() != '/' || !printable_ascii(value)))
                return bad(name, "must be an absolute path or none");
            config.key_cache = v;
        } else {
            return error("unknown argument '" + std::string(name.substr(0, 64)) + "'");
        }
        return std::nullopt;
    }

    static std::optional<ConfigError> bad(std::string_view name, std::string_view why) {
        return error("argument '" + std::string(name) + "' " + std::string(why));
    }

    std::vector<std::string> names_;
};

}  // namespace

std::variant<ModuleConfig, ConfigError> parse_arguments(int argc, const char **argv) {
    return merge_arguments({}, {}, argc, argv);
}

std::variant<ModuleConfig, ConfigError> merge_arguments(const std::string &path,
                                                        const std::vector<FileSetting> &file,
                                                        int argc, const char **argv) {
    if (argc < 0 || static_cast<std::size_t>(argc) > kMaxArguments)
        return ConfigError{"more than 64 arguments"};
    if (argc > 0 && argv == nullptr) return ConfigError{"no argument vector"};
    std::vector<std::string_view> on_line;
    for (int i = 0; i < argc; ++i) {
        if (argv[i] == nullptr || argv[i][0] == '\0') return ConfigError{"an argument is empty"};
        const std::string_view arg(argv[i]);
        on_line.push_back(arg.substr(0, arg.find('=')));
    }
    Parser parser;
    for (const FileSetting &setting : file) {
        const std::string_view text(setting.text);
        const std::string_view name = text.substr(0, text.find('='));
        const auto where = [&] {
            return "config file " + path + " line " + std::to_string(setting.line) + ": ";
        };
        if (name == "config") return ConfigError{where() + "'config' cannot name another file"};
        if (std::find(on_line.begin(), on_line.end(), name) != on_line.end()) continue;
        if (auto error = parser.argument(text)) return ConfigError{where() + error->message};
    }
    for (int i = 0; i < argc; ++i) {
        if (auto error = parser.argument(argv[i])) return *error;
    }
    return parser.config;
}

std::optional<ConfigError> check_for_authentication(const ModuleConfig &c) {
    if (c.authority.empty()) return ConfigError{"argument 'authority' is required"};
    if (c.client_id.empty()) return ConfigError{"argument 'client_id' is required"};
    if (c.api == AADCRED_API_V1) {
        if (c.resource.empty()) return ConfigError{"api=v1 needs argument 'resource'"};
        if (!c.scopes.empty()) return ConfigError{"api=v1 takes 'resource', not 'scope'"};
    } else {
        if (c.scopes.empty()) return ConfigError{"api=v2 and api=oidc need argument 'scope'"};
        if (!c.resource.empty())
            return ConfigError{"api=v2 and api=oidc take 'scope', not 'resource'"};
    }
    return std::nullopt;
}

}  // namespace aadcred_pam
