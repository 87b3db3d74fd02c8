#include "core/oauth2/user_realm.hpp"

#include <algorithm>
#include <array>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/json/json.hpp"
#include "util/form_encode.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's _validate_constant_value: falsy or not one of `allowed` (after lower()) is False.
std::string validated(const rapidjson::Value &value,
                      const std::array<std::string_view, 3> &allowed) {
    if (!value.IsString()) return {};
    std::string text = ascii_lower({value.GetString(), value.GetStringLength()});
    return std::find(allowed.begin(), allowed.end(), text) != allowed.end() ? text : "";
}

const rapidjson::Value &required(const rapidjson::Value &object, std::string_view name) {
    // ADAL indexes the dict (KeyError); a clear protocol error instead.
    const rapidjson::Value *value = json::find(object, name);
    if (value == nullptr)
        throw AdalError(ErrorClass::protocol,
                        "User realm discovery response is missing " + std::string(name));
    return *value;
}

std::string optional_string(const rapidjson::Value &value) {
    return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : "";
}

}  // namespace

std::string user_realm_url(std::string_view authority_url, std::string_view username) {
    const auto scheme_end = authority_url.find("://");
    const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const auto path_start = authority_url.find('/', host_start);
    const std::string_view origin = authority_url.substr(0, path_start);
    // ADAL: quote(user, safe="~()*!.'"), so '@' becomes %40.
    return std::string(origin) + "/common/UserRealm/" + percent_quote(username, "~()*!.'") +
           "?api-version=1.0";
}

UserRealm parse_user_realm(std::string_view body) {
    const rapidjson::Document doc = json::parse(body, "user realm discovery response");
    if (!doc.IsObject())
        throw AdalError(ErrorClass::protocol, "Failed to parse the user realm discovery response");
    UserRealm realm;
    realm.account_type =
        validated(required(doc, "account_type"), {"federated", "managed", "unknown"});
    // ADAL formats the validated value, which is False here.
    if (realm.account_type.empty())
        throw AdalError(ErrorClass::protocol, "Cannot parse account_type: False");
    if (realm.account_type != "federated") return realm;

    realm.federation_protocol =
        validated(required(doc, "federation_protocol"), {"wstrust", "saml20", "unknown"});
    if (realm.federation_protocol.empty())
        throw AdalError(ErrorClass::protocol, "Cannot parse federation protocol: False");
    realm.federation_metadata_url = optional_string(required(doc, "federation_metadata_url"));
    realm.federation_active_auth_url = optional_string(required(doc, "federation_active_auth_url"));
    const rapidjson::Value *urn = json::find(doc, "cloud_audience_urn");
    realm.cloud_audience_urn =
        urn != nullptr ? optional_string(*urn) : "urn:federation:MicrosoftOnline";
    return realm;
}

UserRealm discover_user_realm(HttpTransport &transport, const Logger &log,
                              std::string_view authority_url, std::string_view username) {
    const std::string url = user_realm_url(authority_url, username);
    log.verbose("Performing user realm discovery at: " + log.pii(url));
    const HttpResponse response = get_successful(transport, log, "User Realm Discovery", url,
                                                 {{"Accept", "application/json"}});
    UserRealm realm = parse_user_realm(response.body.reveal());
    log.verbose("UserRealm response: AccountType: " + realm.account_type +
                ", FederationProtocol: " + realm.federation_protocol);
    return realm;
}

}  // namespace aadcred
