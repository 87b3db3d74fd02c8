// AuthenticationContext's confidential-client flows (client secret, client certificate)
// and the authorization code flow, in ADAL's order (reference §1.1 table, §2.3, §2.4,
// §5.2): authority validation, then (certificate) the assertion, then the cache lookup,
// then the token request; only the secret and code flows write the cache.

#include "core/adal/authentication_context.hpp"
#include "core/adal/cache_driver.hpp"
#include "core/adal/flow_call.hpp"
#include "core/adal_error.hpp"
#include "core/jose/self_signed_jwt.hpp"
#include "core/oauth2/device_code_poller.hpp"
#include "core/oauth2/flow_requests.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "util/log.hpp"

namespace aadcred {
namespace {

// ADAL's _find_token_from_cache in the client credential flows: an AdalError from the
// cache step (an ambiguous match, a failed refresh) is logged and the flow goes on to the
// network. Other errors propagate.
std::optional<TokenEntry> find_or_continue(CacheDriver &driver, const Logger &log,
                                           std::chrono::seconds buffer) {
    try {
        return driver.find({}, buffer);
    } catch (const AdalError &e) {
        if (e.klass() == ErrorClass::internal) throw;
        log.warning("Attempt to look for token in cache resulted in Error");
        return std::nullopt;
    }
}

}  // namespace

TokenEntry AuthenticationContext::acquire_token_with_client_credentials(
    std::string_view resource, std::string_view client_id, const SecretString &client_secret) {
    Call call = open_call("TokenRequest");
    call.log.info("Getting token with client credentials.");
    // A client credentials entry has no refresh token, so the driver removes it once it
    // expires instead of refreshing (ADAL's fix for issue #82); the refresh is never used.
    CacheDriver driver = cache_driver(resource, client_id, call.correlation_id,
                                      refresh_within(call, client_id, resource));
    if (auto cached = find_or_continue(driver, call.log, kExpiryBuffer)) return std::move(*cached);

    TokenEntry entry = call.client.get_token(
        call.token_url, client_credentials_body(options_.api, client_id, resource, client_secret));
    call.log.verbose("Storing retrieved token into cache");
    driver.add(entry);
    return entry;
}

TokenEntry AuthenticationContext::acquire_token_with_client_certificate(
    std::string_view resource, std::string_view client_id, const SecretString &certificate_pem,
    std::string_view thumbprint, std::string_view public_certificate_pem) {
    Call call = open_call("TokenRequest");
    call.log.info("Getting a token via certificate.");

    // The assertion first, as ADAL: a bad key or thumbprint fails before any cache use.
    SelfSignedJwtInput jwt;
    jwt.client_id = std::string(client_id);
    jwt.audience = call.endpoints.token;  // without ?api-version (reference §2.4)
    jwt.thumbprint = std::string(thumbprint);
    jwt.public_certificate_pem = std::string(public_certificate_pem);
    jwt.now = poll_clock().now();
    const SecretString assertion = create_self_signed_jwt(certificate_pem, jwt);

    CacheDriver driver = cache_driver(resource, client_id, call.correlation_id,
                                      refresh_within(call, client_id, resource));
    if (auto cached = find_or_continue(driver, call.log, kExpiryBuffer)) return std::move(*cached);

    // ADAL does not cache this result (reference §1.1): the next call signs a new
    // assertion and asks again unless something else cached a token for this client.
    return call.client.get_token(
        call.token_url, client_assertion_body(options_.api, client_id, resource, assertion));
}

TokenEntry AuthenticationContext::acquire_token_with_authorization_code(
    const SecretString &authorization_code, std::string_view redirect_uri,
    std::string_view resource, std::string_view client_id, const SecretString &client_secret,
    const SecretString &code_verifier) {
    Call call = open_call("TokenRequest");
    call.log.info("Getting token with auth code.");
    return redeem_authorization_code(call, authorization_code, redirect_uri, resource, client_id,
                                     client_secret, code_verifier);
}

TokenEntry AuthenticationContext::redeem_authorization_code(
    Call &call, const SecretString &authorization_code, std::string_view redirect_uri,
    std::string_view resource, std::string_view client_id, const SecretString &client_secret,
    const SecretString &code_verifier) {
    TokenEntry entry = call.client.get_token(
        call.token_url,
        authorization_code_body(options_.api, authorization_code, redirect_uri, resource, client_id,
                                client_secret, code_verifier, options_.claims));
    CacheDriver driver = cache_driver(resource, client_id, call.correlation_id, {});
    call.log.verbose("Storing retrieved token into cache");
    driver.add(entry);
    return entry;
}

}  // namespace aadcred
