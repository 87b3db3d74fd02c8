#include "core/oauth2/username_password_flow.hpp"

#include "core/adal_error.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "core/oauth2/user_realm.hpp"
#include "core/oauth2/username_password_federated.hpp"
#include "util/base64.hpp"
#include "util/form_encode.hpp"

namespace aadcred {

namespace {

// ADAL's _create_oauth_parameters for password and SAML grants: scope=openid is sent
// for every grant except authorization_code, client_credentials, refresh_token and
// device_code.
FormEncoder oauth_parameters(std::string_view grant_type, std::string_view client_id,
                             std::string_view resource) {
    FormEncoder form;
    form.add("grant_type", grant_type).add("scope", "openid");
    if (!client_id.empty()) form.add("client_id", client_id);
    if (!resource.empty()) form.add("resource", resource);
    return form;
}

}  // namespace

SecretString password_grant_body(std::string_view client_id, std::string_view resource,
                                 std::string_view username, const SecretString &password) {
    FormEncoder form = oauth_parameters("password", client_id, resource);
    form.add("password", password).add("username", username);
    return form.body();
}

SecretString saml_grant_body(std::string_view grant_type, std::string_view client_id,
                             std::string_view resource, const SecretString &token) {
    FormEncoder form = oauth_parameters(grant_type, client_id, resource);
    // The assertion is a bearer credential: keep its base64 in a SecretString too.
    const SecretString assertion(base64_encode(token.reveal()));
    form.add("assertion", assertion);
    return form.body();
}

TokenEntry username_password_token(HttpTransport &transport, const Logger &log,
                                   const UsernamePasswordRequest &request) {
    OAuth2Client client(transport,
                        Logger("OAuth2Client", log.correlation_id(), request.enable_pii));
    if (request.authority.is_adfs()) {
        // ADFS has no user realm endpoint; it takes the password grant itself.
        log.info("Skipping user realm discovery for ADFS authority");
        return client.get_token(request.token_url,
                                password_grant_body(request.client_id, request.resource,
                                                    request.username, request.password));
    }
    const UserRealm realm = discover_user_realm(
        transport, Logger("UserRealm", log.correlation_id(), request.enable_pii),
        request.authority.url(), request.username);
    if (realm.account_type == "managed") {
        log.verbose("Acquiring token with username password for managed user");
        return client.get_token(request.token_url,
                                password_grant_body(request.client_id, request.resource,
                                                    request.username, request.password));
    }
    if (realm.account_type != "federated")
        throw AdalError(ErrorClass::server,
                        "Server returned an unknown AccountType: " + realm.account_type);

    log.verbose("Acquiring token with username password for federated user");
    return federated_username_password_token(transport, log, client, realm, request);
}

}  // namespace aadcred
