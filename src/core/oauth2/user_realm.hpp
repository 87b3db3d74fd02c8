#pragma once
// ADAL's UserRealm (reference §2.5): which kind of account a user name belongs to, asked
// of GET {authority host}/common/UserRealm/<user>?api-version=1.0, with ADAL's texts.

#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "util/log.hpp"

namespace aadcred {

struct UserRealm {
    /// Lower-cased: "managed", "federated" or "unknown".
    std::string account_type;
    /// Federated only, lower-cased: "wstrust", "saml20" or "unknown".
    std::string federation_protocol;
    /// Federated only; may be empty (ADAL then skips MEX).
    std::string federation_metadata_url;
    std::string federation_active_auth_url;
    /// Federated only; ADAL's default urn:federation:MicrosoftOnline when absent.
    std::string cloud_audience_urn;
};

/// `https://<authority netloc>/common/UserRealm/<quote(user, safe="~()*!.'")>?api-version=1.0`
/// @param authority_url Authority::url()
std::string user_realm_url(std::string_view authority_url, std::string_view username);

/// ADAL's _parse_discovery_response. Throws AdalError: "Cannot parse account_type: False",
/// "Cannot parse federation protocol: False", or a protocol error for missing fields and
/// bad JSON (ADAL raises KeyError / ValueError there).
UserRealm parse_user_realm(std::string_view body);

/// ADAL's UserRealm.discover: the GET (Accept: application/json) and the parse. Non-2xx:
/// "User Realm Discovery request returned http error: <status>[ and server response: ...]".
UserRealm discover_user_realm(HttpTransport &transport, const Logger &log,
                              std::string_view authority_url, std::string_view username);

}  // namespace aadcred
