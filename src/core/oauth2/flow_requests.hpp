#pragma once
// Token endpoint bodies of the confidential-client and authorization code flows, byte for
// byte as ADAL's _create_oauth_parameters builds them (reference §2.3): grant_type, then
// client_id, resource (v1) or scope (v2, OpenID Connect) and redirect_uri when not empty,
// then the flow's own parameters. One file per flow builds each body.

#include <string_view>

#include "core/oauth2/authority.hpp"
#include "util/form_encode.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

/// RFC 7521 §4.2 / RFC 7523 §2.2: the assertion type of a JWT client assertion.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// grant_type=client_credentials&client_id&resource&client_secret (RFC 6749 §4.4).
/// For v2/oidc `resource` is sent as scope as given (e.g. "https://graph.microsoft.com/.default").
SecretString client_credentials_body(ApiKind api, std::string_view client_id,
                                     std::string_view resource, const SecretString &client_secret);

/// grant_type=client_credentials&client_id&resource&client_assertion_type&client_assertion.
SecretString client_assertion_body(ApiKind api, std::string_view client_id,
                                   std::string_view resource, const SecretString &assertion);

/// What the browser is sent to (RFC 6749 §4.1.1 with RFC 7636 §4.3): `authorize_endpoint`
/// ?response_type=code&client_id&redirect_uri&resource (v2/oidc: scope, with the sign-in
/// scopes)&state&code_challenge&code_challenge_method=S256[&login_hint][&claims].
/// `claims`: the JSON of claims_with_client_capability(), not sent when empty.
std::string authorization_request_url(ApiKind api, std::string_view authorize_endpoint,
                                      std::string_view client_id, std::string_view resource,
                                      std::string_view redirect_uri, std::string_view state,
                                      std::string_view code_challenge,
                                      std::string_view login_hint = {},
                                      std::string_view claims = {});

/// grant_type=authorization_code&client_id&resource&redirect_uri&code[&client_secret]
/// [&code_verifier][&claims] (RFC 6749 §4.1.3, RFC 7636 §4.5). An empty secret, verifier
/// or claims is not sent (ADAL: "only if not None"; C passes NULL as empty). v2/oidc:
/// scope, with the sign-in scopes added, in place of resource.
SecretString authorization_code_body(ApiKind api, const SecretString &code,
                                     std::string_view redirect_uri, std::string_view resource,
                                     std::string_view client_id, const SecretString &client_secret,
                                     const SecretString &code_verifier,
                                     std::string_view claims = {});

/// Adds client_id, then resource (v1) or `scope` (v2/oidc), each only when not empty.
void add_client_and_target(FormEncoder &form, ApiKind api, std::string_view client_id,
                           std::string_view resource, std::string_view scope);

}  // namespace aadcred
