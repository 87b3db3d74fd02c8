#include "invocation.hpp"

#include <chrono>

#include "output.hpp"

namespace aadcred::cli {
namespace {

[[noreturn]] void missing(const Settings &settings, const char *what, const char *option,
                          const char *variable, const char *key) {
    throw ConfigError(std::string("no ") + what + " given: use " + option + ", " + variable +
                      " or '" + key + " = ...' in " + settings.config_path);
}

}  // namespace

void require_account(const Settings &settings) {
    if (settings.authority.empty()) {
        missing(settings, "authority", "--authority URL", "AADCRED_AUTHORITY", "authority");
    }
    if (settings.client_id.empty()) {
        missing(settings, "client id", "--client-id ID", "AADCRED_CLIENT_ID", "client-id");
    }
    if (settings.api == AADCRED_API_V1 && settings.resource.empty()) {
        missing(settings, "resource", "--resource URI", "AADCRED_RESOURCE", "resource");
    }
    if (settings.api != AADCRED_API_V1 && settings.scopes.empty()) {
        missing(settings, "scope (--api v2 and oidc ask for scopes)", "--scope S", "AADCRED_SCOPE",
                "scope");
    }
}

void require_store_access(const Settings &settings) {
    if (settings.authority.empty()) {
        missing(settings, "authority", "--authority URL", "AADCRED_AUTHORITY", "authority");
    }
    if (settings.client_id.empty()) {
        missing(settings, "client id", "--client-id ID", "AADCRED_CLIENT_ID", "client-id");
    }
}

const std::string &target(const Settings &settings) {
    return settings.api == AADCRED_API_V1 ? settings.resource : settings.scopes;
}

CredentialProvider make_provider(const Settings &settings, bool allow_prompt, bool hot_cache) {
    CredentialProvider::Request request;
    request.authority = settings.authority;
    request.client_id = settings.client_id;
    request.resource = settings.resource;
    request.scopes = settings.scopes;
    request.user_id = settings.user;
    request.api = static_cast<Api>(settings.api);
    request.ca_file = settings.ca_file;
    request.validate_authority = settings.validate_authority;
    request.timeout = std::chrono::seconds(settings.timeout);
    request.store = settings.store;
    request.allow_prompt = allow_prompt;
    request.flow = static_cast<SignInFlow>(settings.flow);
    request.hot_cache = hot_cache;
    try {
        return CredentialProvider(request);
    } catch (const AdalError &e) {
        throw SettingsRefused(e);
    }
}

AuthenticationContext make_context(const Settings &settings) {
    ContextOptions options;
    options.validate_authority = settings.validate_authority;
    options.timeout = std::chrono::seconds(settings.timeout);
    options.enable_pii = settings.log_pii;
    options.ca_file = settings.ca_file;
    options.api = static_cast<Api>(settings.api);
    try {
        return AuthenticationContext(settings.authority, options);
    } catch (const AdalError &e) {
        throw SettingsRefused(e);
    }
}

}  // namespace aadcred::cli
