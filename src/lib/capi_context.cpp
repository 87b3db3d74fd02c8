// aadcred_context: ADAL's AuthenticationContext behind the C ABI.

#include <cstdint>

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace aadcred::capi {

aadcred::AuthenticationContext &context_of(aadcred_context *context, const char *function) {
    require(context != nullptr, function, "context is NULL");
    return *context->context;
}

}  // namespace aadcred::capi

namespace {

using aadcred::capi::context_of;
using aadcred::capi::firewall;
using aadcred::capi::require;

// The longest request timeout accepted: a day is already far past any device code.
constexpr int kMaxTimeoutSeconds = 86400;

aadcred::ApiKind to_api_kind(const aadcred_api &api, const char *function) {
    switch (aadcred::capi::enum_value(api)) {
        case AADCRED_API_V1:
            return aadcred::ApiKind::v1;
        case AADCRED_API_V2:
            return aadcred::ApiKind::v2;
        case AADCRED_API_OIDC:
            return aadcred::ApiKind::oidc;
    }
    aadcred::capi::fail_invalid(function, "unknown api (expected AADCRED_API_V1, _V2 or _OIDC)");
}

aadcred::ContextOptions to_context_options(const aadcred_context_options &in) {
    const char *fn = "aadcred_context_new";
    aadcred::capi::require_version(in.version, AADCRED_CONTEXT_OPTIONS_VERSION, fn,
                                   "aadcred_context_options");
    require(in.timeout >= 0 && in.timeout <= kMaxTimeoutSeconds, fn,
            "timeout must be between 0 (default) and 86400 seconds");
    aadcred::ContextOptions out;
    out.validate_authority = in.validate_authority != 0;
    if (in.cache != nullptr) out.cache = in.cache->cache;
    if (in.api_version != nullptr) out.api_version = in.api_version;
    if (in.timeout > 0) out.timeout = std::chrono::seconds(in.timeout);
    out.enable_pii = in.enable_pii != 0;
    if (in.ca_file != nullptr) out.ca_file = in.ca_file;
    if (in.proxy != nullptr) out.proxy = in.proxy;
    out.api = to_api_kind(in.api, fn);
    // Version 1 callers' structs end before this field: never read past what they have.
    if (in.version >= 2 && in.instance_discovery != nullptr) {
        const std::string_view base(in.instance_discovery);
        require(base.starts_with("https://") && base.size() > 8, fn,
                "instance_discovery must be an https:// URL");
        out.instance_discovery = base;
    }
    return out;
}

// Both device code entry points; `deadline` as aadcred_device_flow_options has it.
int acquire_token_with_device_code(const char *fn, aadcred_token **out, aadcred_context *context,
                                   const char *resource, const aadcred_user_code *code,
                                   const char *client_id, std::int64_t deadline) {
    require(out != nullptr, fn, "out is NULL");
    auto &ctx = context_of(context, fn);
    require(resource != nullptr, fn, "resource is NULL");
    // ADAL's argument check text for a missing user_code_info.
    require(code != nullptr, fn, "the user_code_info parameter is required");
    require(client_id != nullptr, fn, "client_id is NULL");
    aadcred::TokenEntry entry =
        ctx.acquire_token_with_device_code(resource, code->info, client_id, deadline);
    *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
    return 0;
}

}  // namespace

extern "C" {

int aadcred_context_new(aadcred_context **out, const char *authority,
                        const aadcred_context_options *options) {
    return firewall([&] {
        const char *fn = "aadcred_context_new";
        require(out != nullptr, fn, "out is NULL");
        require(authority != nullptr, fn, "authority is NULL");
        const aadcred_context_options defaults = AADCRED_CONTEXT_OPTIONS_INIT;
        aadcred::ContextOptions converted =
            to_context_options(options != nullptr ? *options : defaults);
        // A private cache unless the caller shares one (ADAL: `cache or TokenCache()`).
        if (!converted.cache) converted.cache = std::make_shared<aadcred::TokenCache>();
        auto context =
            std::make_unique<aadcred::AuthenticationContext>(authority, std::move(converted));
        *out = aadcred::capi::new_handle<aadcred_context>(std::move(context));
        return 0;
    });
}

int aadcred_context_set_correlation_id(aadcred_context *context, const char *correlation_id) {
    return firewall([&] {
        auto &ctx = context_of(context, "aadcred_context_set_correlation_id");
        ctx.set_correlation_id(correlation_id != nullptr ? correlation_id : "");
        return 0;
    });
}

int aadcred_context_acquire_user_code(aadcred_user_code **out, aadcred_context *context,
                                      const char *resource, const char *client_id,
                                      const char *language) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_user_code";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(resource != nullptr, fn, "resource is NULL");
        require(client_id != nullptr, fn, "client_id is NULL");
        aadcred::UserCodeInfo info = ctx.acquire_user_code(
            resource, client_id, language != nullptr ? language : std::string_view());
        *out = aadcred::capi::new_handle<aadcred_user_code>(std::move(info));
        return 0;
    });
}

int aadcred_context_acquire_token_with_device_code(aadcred_token **out, aadcred_context *context,
                                                   const char *resource,
                                                   const aadcred_user_code *code,
                                                   const char *client_id) {
    return firewall([&] {
        return acquire_token_with_device_code("aadcred_context_acquire_token_with_device_code", out,
                                              context, resource, code, client_id, 0);
    });
}

int aadcred_context_acquire_token_with_device_code_ex(aadcred_token **out, aadcred_context *context,
                                                      const char *resource,
                                                      const aadcred_user_code *code,
                                                      const char *client_id,
                                                      const aadcred_device_flow_options *options) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_device_code_ex";
        std::int64_t deadline = 0;
        if (options != nullptr) {
            aadcred::capi::require_version(options->version, AADCRED_DEVICE_FLOW_OPTIONS_VERSION,
                                           fn, "aadcred_device_flow_options");
            require(options->deadline >= 0, fn,
                    "deadline must be 0 (the code's expiry) or seconds since the epoch");
            deadline = options->deadline;
        }
        return acquire_token_with_device_code(fn, out, context, resource, code, client_id,
                                              deadline);
    });
}

int aadcred_context_cancel_request_to_get_token_with_device_code(aadcred_context *context,
                                                                 const aadcred_user_code *code) {
    return firewall([&] {
        const char *fn = "aadcred_context_cancel_request_to_get_token_with_device_code";
        auto &ctx = context_of(context, fn);
        require(code != nullptr, fn, "the user_code_info parameter is required");
        ctx.cancel_request_to_get_token_with_device_code(code->info);
        return 0;
    });
}

int aadcred_context_acquire_token(aadcred_token **out, aadcred_context *context,
                                  const char *resource, const char *user_id,
                                  const char *client_id) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(resource != nullptr, fn, "resource is NULL");
        require(client_id != nullptr, fn, "client_id is NULL");
        std::optional<aadcred::TokenEntry> entry = ctx.acquire_token(
            resource, user_id != nullptr ? user_id : std::string_view(), client_id);
        if (!entry) {
            // ADAL returns None here; C needs a code, and the message says what missed.
            throw aadcred::AdalError(aadcred::ErrorClass::not_found,
                                     "No cached token for this resource, user and client");
        }
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(*entry));
        return 0;
    });
}

int aadcred_context_acquire_token_with_refresh_token(aadcred_token **out, aadcred_context *context,
                                                     const char *refresh_token,
                                                     const char *client_id, const char *resource,
                                                     const char *client_secret) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_refresh_token";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(refresh_token != nullptr && *refresh_token != '\0', fn,
                "refresh_token is NULL or empty");
        require(client_id != nullptr, fn, "client_id is NULL");
        require(resource != nullptr, fn, "resource is NULL");
        const aadcred::SecretString rt{std::string_view(refresh_token)};
        const aadcred::SecretString secret{
            std::string_view(client_secret != nullptr ? client_secret : "")};
        aadcred::TokenEntry entry =
            ctx.acquire_token_with_refresh_token(rt, client_id, resource, secret);
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

void aadcred_context_free(aadcred_context *context) {
    aadcred::capi::free_handle(context);
}

}  // extern "C"
