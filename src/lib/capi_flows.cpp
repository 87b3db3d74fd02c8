// aadcred_context: ADAL's confidential-client flows (client secret, client certificate)
// and the authorization code flow behind the C ABI. Secrets are copied into
// SecretString at once so the library's copies are wiped after the call.

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::context_of;
using aadcred::capi::firewall;
using aadcred::capi::require;

std::string_view or_empty(const char *text) {
    return text != nullptr ? std::string_view(text) : std::string_view();
}

aadcred::SecretString secret_of(const char *text) {
    return aadcred::SecretString(or_empty(text));
}

}  // namespace

extern "C" {

int aadcred_context_acquire_token_with_client_credentials(aadcred_token **out,
                                                          aadcred_context *context,
                                                          const char *resource,
                                                          const char *client_id,
                                                          const char *client_secret) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_client_credentials";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(resource != nullptr && *resource != '\0', fn, "resource is NULL or empty");
        require(client_id != nullptr && *client_id != '\0', fn, "client_id is NULL or empty");
        require(client_secret != nullptr && *client_secret != '\0', fn,
                "client_secret is NULL or empty");
        aadcred::TokenEntry entry = ctx.acquire_token_with_client_credentials(
            resource, client_id, secret_of(client_secret));
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

int aadcred_context_acquire_token_with_client_certificate(
    aadcred_token **out, aadcred_context *context, const char *resource, const char *client_id,
    const char *certificate_pem, const char *thumbprint, const char *public_certificate_pem) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_client_certificate";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(resource != nullptr && *resource != '\0', fn, "resource is NULL or empty");
        require(client_id != nullptr && *client_id != '\0', fn, "client_id is NULL or empty");
        require(certificate_pem != nullptr && *certificate_pem != '\0', fn,
                "certificate_pem is NULL or empty");
        require(thumbprint != nullptr, fn, "thumbprint is NULL");
        aadcred::TokenEntry entry = ctx.acquire_token_with_client_certificate(
            resource, client_id, secret_of(certificate_pem), thumbprint,
            or_empty(public_certificate_pem));
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

int aadcred_context_acquire_token_with_authorization_code(
    aadcred_token **out, aadcred_context *context, const char *authorization_code,
    const char *redirect_uri, const char *resource, const char *client_id,
    const char *client_secret, const char *code_verifier) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_authorization_code";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(authorization_code != nullptr && *authorization_code != '\0', fn,
                "authorization_code is NULL or empty");
        require(redirect_uri != nullptr && *redirect_uri != '\0', fn,
                "redirect_uri is NULL or empty");
        require(resource != nullptr, fn, "resource is NULL");
        require(client_id != nullptr && *client_id != '\0', fn, "client_id is NULL or empty");
        aadcred::TokenEntry entry = ctx.acquire_token_with_authorization_code(
            secret_of(authorization_code), redirect_uri, resource, client_id,
            secret_of(client_secret), secret_of(code_verifier));
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

}  // extern "C"
