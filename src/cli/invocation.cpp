#include "invocation.hpp"

namespace aadcred::cli {
namespace {

const char *nullable(const std::string &s) {
    return s.empty() ? nullptr : s.c_str();
}

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

ProviderPtr make_provider(const Settings &settings, bool allow_prompt, aadcred_prompt_cb prompt,
                          void *prompt_payload) {
    aadcred_request request = AADCRED_REQUEST_INIT;
    request.authority = settings.authority.c_str();
    request.client_id = settings.client_id.c_str();
    request.resource = nullable(settings.resource);
    request.scopes = nullable(settings.scopes);
    request.user_id = nullable(settings.user);
    request.api = settings.api;
    request.ca_file = nullable(settings.ca_file);
    request.validate_authority = settings.validate_authority ? 1 : 0;
    request.timeout = settings.timeout;
    request.store = settings.store.c_str();
    request.allow_prompt = allow_prompt ? 1 : 0;
    request.prompt = prompt;
    request.prompt_payload = prompt_payload;
    ProviderPtr provider;
    if (aadcred_provider_new(out(provider), &request) != AADCRED_OK) provider.reset();
    return provider;
}

ContextPtr make_context(const Settings &settings) {
    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    options.validate_authority = settings.validate_authority ? 1 : 0;
    options.timeout = settings.timeout;
    options.enable_pii = settings.log_pii ? 1 : 0;
    options.ca_file = nullable(settings.ca_file);
    options.api = settings.api;
    ContextPtr context;
    if (aadcred_context_new(out(context), settings.authority.c_str(), &options) != AADCRED_OK) {
        context.reset();
    }
    return context;
}

}  // namespace aadcred::cli
