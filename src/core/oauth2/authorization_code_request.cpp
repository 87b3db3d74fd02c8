// The authorization code grant (RFC 6749 §4.1.3) with PKCE's code_verifier (RFC 7636
// §4.5), in ADAL's order: redirect_uri belongs to the common parameters, so it comes
// before code.

#include "core/oauth2/flow_requests.hpp"
#include "core/oauth2/oauth2_client.hpp"

namespace aadcred {

SecretString authorization_code_body(ApiKind api, const SecretString &code,
                                     std::string_view redirect_uri, std::string_view resource,
                                     std::string_view client_id, const SecretString &client_secret,
                                     const SecretString &code_verifier) {
    FormEncoder form;
    form.add("grant_type", "authorization_code");
    add_client_and_target(form, api, client_id, resource,
                          api == ApiKind::v1 ? std::string() : with_sign_in_scopes(resource));
    if (!redirect_uri.empty()) form.add("redirect_uri", redirect_uri);
    form.add("code", code);
    if (!client_secret.empty()) form.add("client_secret", client_secret);
    if (!code_verifier.empty()) form.add("code_verifier", code_verifier);
    return form.body();
}

}  // namespace aadcred
