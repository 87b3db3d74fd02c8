#include "config.hpp"

#include <array>
#include <charconv>
#include <string_view>

#include "api_kind.hpp"
#include "config_file.hpp"
#include "sign_in_flow.hpp"

namespace aadcred::cli {
namespace {

struct EnvName {
    const char *variable;
    const char *key;
};

constexpr std::array k_environment = {
    EnvName{"AADCRED_AUTHORITY", "authority"},
    EnvName{"AADCRED_CLIENT_ID", "client-id"},
    EnvName{"AADCRED_RESOURCE", "resource"},
    EnvName{"AADCRED_SCOPE", "scope"},
    EnvName{"AADCRED_API", "api"},
    EnvName{"AADCRED_FLOW", "flow"},
    EnvName{"AADCRED_CA_FILE", "ca-file"},
    EnvName{"AADCRED_STORE", "store"},
    EnvName{"AADCRED_USER", "user"},
    EnvName{"AADCRED_TIMEOUT", "timeout"},
    EnvName{"AADCRED_LOG_LEVEL", "log-level"},
    EnvName{"AADCRED_VALIDATE_AUTHORITY", "validate-authority"},
};

// The request timeout bounds each HTTP request, not the sign-in; an hour is plenty.
constexpr int k_max_timeout = 3600;

const char *env(const GetEnv &getenv, const char *name) {
    const char *value = getenv(name);
    // An empty variable counts as unset, the way shells make "unsetting" easy.
    return value != nullptr && *value != '\0' ? value : nullptr;
}

[[noreturn]] void bad_value(const Setting &s, std::string_view key, std::string_view expected) {
    throw ConfigError(s.origin + ": invalid " + std::string(key) + " '" + s.value + "' (expected " +
                      std::string(expected) + ")");
}

bool parse_bool(const Setting &s, std::string_view key) {
    std::string v;
    for (char c : s.value) v += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    bad_value(s, key, "true or false");
}

int parse_timeout(const Setting &s) {
    int value = 0;
    const char *end = s.value.data() + s.value.size();
    const auto [ptr, ec] = std::from_chars(s.value.data(), end, value);
    if (ec != std::errc() || ptr != end || value < 1 || value > k_max_timeout) {
        bad_value(s, "timeout", "whole seconds, 1 to 3600");
    }
    return value;
}

aadcred_sign_in_flow parse_flow(const Setting &s) {
    if (const auto flow = frontend::parse_sign_in_flow(s.value)) return *flow;
    bad_value(s, "flow", "auto, device or browser");
}

aadcred_api parse_api(const Setting &s) {
    if (const auto api = frontend::parse_api_kind(s.value)) return *api;
    bad_value(s, "api", "v1, v2 or oidc");
}

aadcred_log_level parse_log_level(const Setting &s) {
    if (s.value == "error") return AADCRED_LOG_ERROR;
    if (s.value == "warning") return AADCRED_LOG_WARNING;
    if (s.value == "info") return AADCRED_LOG_INFO;
    if (s.value == "verbose") return AADCRED_LOG_VERBOSE;
    bad_value(s, "log-level", "error, warning, info or verbose");
}

const std::string &check_store(const Setting &s) {
    const std::string &v = s.value;
    const bool ok = v == "auto" || v == "secret-service" || v == "keyring" || v == "memory" ||
                    (v.starts_with("file:") && v.size() > 5);
    if (!ok) bad_value(s, "store", "auto, secret-service, keyring, memory or file:PATH");
    return v;
}

Settings convert(const Layer &layer) {
    Settings out;
    for (const auto &[key, s] : layer) {
        if (key == "authority") {
            out.authority = s.value;
        } else if (key == "client-id") {
            out.client_id = s.value;
        } else if (key == "resource") {
            out.resource = s.value;
        } else if (key == "scope") {
            out.scopes = s.value;
        } else if (key == "api") {
            out.api = parse_api(s);
        } else if (key == "flow") {
            out.flow = parse_flow(s);
        } else if (key == "ca-file") {
            out.ca_file = s.value;
        } else if (key == "store") {
            out.store = check_store(s);
        } else if (key == "user") {
            out.user = s.value;
        } else if (key == "timeout") {
            out.timeout = parse_timeout(s);
        } else if (key == "log-level") {
            out.log_level = parse_log_level(s);
        } else if (key == "log-pii") {
            out.log_pii = parse_bool(s, key);
        } else if (key == "validate-authority") {
            out.validate_authority = parse_bool(s, key);
        } else if (key == "qr") {
            out.qr = parse_bool(s, key);
        }
    }
    return out;
}

}  // namespace

std::string config_file_path(const GetEnv &getenv) {
    // XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and must be ignored.
    const char *xdg = env(getenv, "XDG_CONFIG_HOME");
    if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/aadcred/config";
    const char *home = env(getenv, "HOME");
    if (home != nullptr) return std::string(home) + "/.config/aadcred/config";
    return {};
}

std::string system_config_file_path(const GetEnv &getenv) {
    // The override lets tests and staged installs point at their own file; the CLI is no
    // setuid program, so the variable cannot widen anyone's rights.
    if (const char *file = env(getenv, "AADCRED_SYSTEM_CONFIG")) return file;
    return std::string(AADCRED_SYSCONFDIR) + "/aadcred/config";
}

Settings resolve_settings(const CommandLine &command_line, const GetEnv &getenv) {
    std::string profile;
    if (command_line.profile_name) {
        profile = *command_line.profile_name;
    } else if (const char *p = env(getenv, "AADCRED_PROFILE")) {
        profile = p;
    }
    if (profile == "default") profile.clear();  // [default] is always read

    // The admin's defaults first, then the user's file over them, key by key.
    const std::string system_path = system_config_file_path(getenv);
    const std::string path = config_file_path(getenv);
    Layer layer;
    bool found_profile = profile.empty();
    for (const std::string *file : {&system_path, &path}) {
        if (file->empty()) continue;
        ConfigLayer read = read_config_layer(*file, profile);
        found_profile = found_profile || read.found_profile;
        for (auto &[key, setting] : read.layer) layer[key] = std::move(setting);
    }
    if (!found_profile) {
        throw ConfigError("profile '" + profile + "' asked for, but no [profile " + profile +
                          "] section is in " + system_path +
                          (path.empty() ? std::string(" (neither XDG_CONFIG_HOME nor HOME is set)")
                                        : " or " + path));
    }
    for (const auto &e : k_environment) {
        if (const char *value = env(getenv, e.variable)) {
            layer[e.key] = Setting{value, e.variable};
        }
    }
    for (const auto &[key, setting] : command_line.profile) layer[key] = setting;

    Settings settings = convert(layer);
    settings.config_path = path.empty() ? "the config file" : path;
    return settings;
}

}  // namespace aadcred::cli
