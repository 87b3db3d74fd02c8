// The authorization request the browser makes (RFC 6749 §4.1.1, PKCE's S256 challenge)
// and the authorization code grant (RFC 6749 §4.1.3) with PKCE's code_verifier (RFC 7636
// §4.5), in ADAL's order: redirect_uri belongs to the common parameters, so it comes
// before code.

#include "core/oauth2/flow_requests.hpp"
#include "core/oauth2/oauth2_client.hpp"

namespace aadcred {

std::string authorization_request_url(ApiKind api, std::string_view authorize_endpoint,
                                      std::string_view client_id, std::string_view resource,
                                      std::string_view redirect_uri, std::string_view state,
                                      std::string_view code_challenge, std::string_view login_hint,
                                      std::string_view claims) {
    FormEncoder query;
    query.add("response_type", "code");
    add_client_and_target(query, api, client_id, resource,
                          api == ApiKind::v1 ? std::string() : with_sign_in_scopes(resource));
    query.add("redirect_uri", redirect_uri);
    query.add("state", state);
    query.add("code_challenge", code_challenge);
    query.add("code_challenge_method", "S256");
    if (!login_hint.empty()) query.add("login_hint", login_hint);
    if (!claims.empty()) query.add("claims", claims);
    std::string url(authorize_endpoint);
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += query.body().reveal();
    return url;
}

SecretString authorization_code_body(ApiKind api, const SecretString &code,
                                     std::string_view redirect_uri, std::string_view resource,
                                     std::string_view client_id, const SecretString &client_secret,
                                     const SecretString &code_verifier, std::string_view claims) {
    FormEncoder form;
    form.add("grant_type", "authorization_code");
    add_client_and_target(form, api, client_id, resource,
                          api == ApiKind::v1 ? std::string() : with_sign_in_scopes(resource));
    if (!redirect_uri.empty()) form.add("redirect_uri", redirect_uri);
    form.add("code", code);
    if (!client_secret.empty()) form.add("client_secret", client_secret);
    if (!code_verifier.empty()) form.add("code_verifier", code_verifier);
    if (!claims.empty()) form.add("claims", claims);
    return form.body();
}

}  // namespace aadcred
