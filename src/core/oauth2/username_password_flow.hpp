#pragma once
// ADAL's TokenRequest.get_token_with_username_password after its cache lookup
// (reference §2.3, §2.5): ADFS authorities get the password grant straight away; others
// ask the user realm, then use the password grant (managed) or WS-Trust and a SAML
// bearer grant (federated).

#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "core/oauth2/authority.hpp"
#include "core/oauth2/token_entry.hpp"
#include "util/log.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

/// grant_type=password&scope=openid&client_id=..&resource=..&password=..&username=..
SecretString password_grant_body(std::string_view client_id, std::string_view resource,
                                 std::string_view username, const SecretString &password);

/// grant_type=<grant>&scope=openid&client_id=..&resource=..&assertion=<base64(token)>
SecretString saml_grant_body(std::string_view grant_type, std::string_view client_id,
                             std::string_view resource, const SecretString &token);

struct UsernamePasswordRequest {
    const Authority &authority;
    std::string token_url;  ///< the token endpoint, with api-version when the context has one
    std::string_view resource;
    std::string_view client_id;
    std::string_view username;
    const SecretString &password;
    bool enable_pii = false;  ///< the context's enable_pii, for the sub-loggers
};

/// The network part of the flow. Throws AdalError with ADAL's texts ("Server returned an
/// unknown AccountType: unknown", "AAD did not return a WSTrust endpoint. Unable to
/// proceed.", the user realm, MEX, WS-Trust and token endpoint errors). A federated
/// account in a -Dwstrust=disabled build: AdalError(invalid) "... this aadcred was built
/// without WS-Trust support (-Dwstrust=disabled)".
/// @param log component "TokenRequest"; its correlation id goes on every request
TokenEntry username_password_token(HttpTransport &transport, const Logger &log,
                                   const UsernamePasswordRequest &request);

}  // namespace aadcred
