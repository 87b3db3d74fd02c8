#include "core/oauth2/username_password_federated.hpp"

#include <string>

#include "core/adal_error.hpp"
#include "core/wstrust/mex.hpp"
#include "core/wstrust/wstrust_request.hpp"

namespace aadcred {

namespace {

constexpr std::string_view kNoWsTrustEndpoint =
    "AAD did not return a WSTrust endpoint. Unable to proceed.";

struct Endpoint {
    std::string url;
    WsTrustVersion version = WsTrustVersion::undefined;
};

// MEX when the realm names a metadata URL, falling back to federation_active_auth_url on
// any MEX failure, as ADAL does.
Endpoint wstrust_endpoint(HttpTransport &transport, const Logger &log, const UserRealm &realm,
                          bool enable_pii) {
    const Logger mex_log("MEX", log.correlation_id(), enable_pii);
    if (!realm.federation_metadata_url.empty()) {
        log.verbose("Attempting mex at: " + log.pii(realm.federation_metadata_url));
        try {
            const MexPolicy policy =
                discover_mex(transport, mex_log, realm.federation_metadata_url);
            return Endpoint{policy.url, policy.version};
        } catch (const AdalError &e) {
            log.warning("MEX exchange failed for " + log.pii(realm.federation_metadata_url) +
                        ". Attempting fallback to AAD supplied endpoint.");
            log.verbose(std::string("MEX error: ") + e.what());
        }
    } else {
        log.warning(
            "Unable to retrieve federationMetadataUrl from AAD. "
            "Attempting fallback to AAD supplied endpoint.");
    }
    if (realm.federation_active_auth_url.empty())
        throw AdalError(ErrorClass::protocol, std::string(kNoWsTrustEndpoint));
    return Endpoint{realm.federation_active_auth_url,
                    wstrust_version_from_url(realm.federation_active_auth_url)};
}

}  // namespace

TokenEntry federated_username_password_token(HttpTransport &transport, const Logger &log,
                                             OAuth2Client &client, const UserRealm &realm,
                                             const UsernamePasswordRequest &request) {
    const Endpoint endpoint = wstrust_endpoint(transport, log, realm, request.enable_pii);
    const WsTrustToken token = request_wstrust_token(
        transport, Logger("WSTrustRequest", log.correlation_id(), request.enable_pii), endpoint.url,
        endpoint.version, realm.cloud_audience_urn, request.username, request.password);
    const std::string_view grant = saml_grant_type(token.token_type);
    log.verbose("Performing OAuth assertion grant type exchange.");
    return client.get_token(request.token_url, saml_grant_body(grant, request.client_id,
                                                               request.resource, token.token));
}

}  // namespace aadcred
