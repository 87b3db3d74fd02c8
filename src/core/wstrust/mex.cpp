#include "core/wstrust/mex.hpp"

#include <map>
#include <optional>
#include <vector>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/wstrust/xml_document.hpp"

namespace aadcred {

namespace {

constexpr std::string_view kRstAction13 =
    "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue";
constexpr std::string_view kRstAction2005 = "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue";
constexpr std::string_view kSoapHttpTransport = "http://schemas.xmlsoap.org/soap/http";
constexpr const char *kWsuNamespace =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

// The UsernameToken assertions of WS-SecurityPolicy 1.2 (ADFS /trust/13/usernamemixed)
// and of the 2005 draft (/trust/2005/usernamemixed), relative to wsdl:definitions.
constexpr const char *kUsernamePolicy13 =
    "wsp:Policy/wsp:ExactlyOne/wsp:All/sp:SignedEncryptedSupportingTokens/wsp:Policy/"
    "sp:UsernameToken/wsp:Policy/sp:WssUsernameToken10";
constexpr const char *kUsernamePolicy2005 =
    "wsp:Policy/wsp:ExactlyOne/wsp:All/sp2005:SignedSupportingTokens/wsp:Policy/"
    "sp2005:UsernameToken/wsp:Policy/sp2005:WssUsernameToken10";
// WssUsernameToken10 sits seven elements below its wsp:Policy.
constexpr int kPolicyDepth = 7;

struct Policy {
    std::string url;
    WsTrustVersion version = WsTrustVersion::undefined;
};

// Insertion order matters (ADAL keeps the last 1.3 and the last 2005 policy it sees),
// so policies live in a vector with a lookup by "#Id".
struct Policies {
    std::vector<std::pair<std::string, Policy>> items;
    Policy *get(const std::string &ref) {
        for (auto &[key, policy] : items)
            if (key == ref) return &policy;
        return nullptr;
    }
};

void select_policies(const xml::Document &doc, const char *xpath, Policies &out,
                     const Logger &log) {
    for (xml::Node node : doc.find(xpath)) {
        xml::Node policy = node;
        for (int i = 0; i < kPolicyDepth && policy != nullptr; ++i) policy = xml::parent(policy);
        const std::string id = xml::attribute_ns(policy, "Id", kWsuNamespace);
        if (id.empty()) continue;
        log.verbose("Found matching policy id: " + id);
        if (out.get("#" + id) == nullptr) out.items.emplace_back("#" + id, Policy{});
    }
}

WsTrustVersion binding_version(const xml::Document &doc, xml::Node binding) {
    const auto operations = doc.find("wsdl:operation/soap12:operation", binding);
    const auto transports = doc.find("soap12:binding", binding);
    if (operations.empty() || transports.empty()) return WsTrustVersion::undefined;
    if (xml::attribute(transports.front(), "transport") != kSoapHttpTransport)
        return WsTrustVersion::undefined;
    const std::string action = xml::attribute(operations.front(), "soapAction");
    if (action == kRstAction13) return WsTrustVersion::v13;
    if (action == kRstAction2005) return WsTrustVersion::v2005;
    return WsTrustVersion::undefined;
}

bool is_https(std::string_view url) {
    return url.substr(0, 8) == "https://";
}

}  // namespace

WsTrustVersion wstrust_version_from_url(std::string_view url) {
    if (url.find("/trust/2005/usernamemixed") != std::string_view::npos)
        return WsTrustVersion::v2005;
    if (url.find("/trust/13/usernamemixed") != std::string_view::npos) return WsTrustVersion::v13;
    return WsTrustVersion::undefined;
}

MexPolicy parse_mex(std::string_view document, const Logger &log) {
    std::optional<xml::Document> parsed;
    try {
        parsed.emplace(xml::Document::parse(document));
    } catch (const xml::XmlError &e) {
        log.info("Failed to parse mex response in to DOM");
        throw AdalError(ErrorClass::protocol,
                        std::string("Failed to parse mex response: ") + e.what());
    }
    const xml::Document &doc = *parsed;

    Policies policies;
    select_policies(doc, kUsernamePolicy13, policies, log);
    select_policies(doc, kUsernamePolicy2005, policies, log);
    if (policies.items.empty()) throw AdalError(ErrorClass::protocol, "No matching policies.");

    // binding name -> (policy ref, version)
    std::map<std::string, std::pair<std::string, WsTrustVersion>> bindings;
    for (xml::Node reference : doc.find("wsdl:binding/wsp:PolicyReference")) {
        const std::string uri = xml::attribute(reference, "URI");
        if (policies.get(uri) == nullptr) continue;
        xml::Node binding = xml::parent(reference);
        const WsTrustVersion version = binding_version(doc, binding);
        if (version != WsTrustVersion::undefined)
            bindings[xml::attribute(binding, "name")] = {uri, version};
    }
    if (bindings.empty()) throw AdalError(ErrorClass::protocol, "No matching bindings.");

    for (xml::Node port : doc.find("wsdl:service/wsdl:port")) {
        std::string binding = xml::attribute(port, "binding");
        const auto colon = binding.rfind(':');
        if (colon != std::string::npos) binding.erase(0, colon + 1);  // "tns:Name" -> "Name"
        const auto found = bindings.find(binding);
        if (found == bindings.end()) continue;
        Policy *policy = policies.get(found->second.first);
        if (policy == nullptr || !policy->url.empty()) continue;
        policy->version = found->second.second;
        const auto addresses = doc.find("wsa10:EndpointReference/wsa10:Address", port);
        if (addresses.empty()) throw AdalError(ErrorClass::protocol, "No address nodes on port");
        const std::string address = xml::text(addresses.front());
        if (is_https(address))
            policy->url = address;
        else
            log.warning("Skipping insecure endpoint: " + log.pii(address));
    }

    std::optional<MexPolicy> v13, v2005;
    for (const auto &[ref, policy] : policies.items) {
        if (policy.url.empty()) continue;
        if (policy.version == WsTrustVersion::v13) v13 = MexPolicy{policy.url, policy.version};
        if (policy.version == WsTrustVersion::v2005) v2005 = MexPolicy{policy.url, policy.version};
    }
    if (v13) return *v13;
    if (v2005) return *v2005;
    log.warning("No policies found for either wstrust13 or wstrust2005");
    throw AdalError(ErrorClass::protocol, "No ws-trust endpoints match requirements.");
}

MexPolicy discover_mex(HttpTransport &transport, const Logger &log, const std::string &url) {
    log.verbose("Mex created with url: " + log.pii(url));
    const HttpResponse response =
        get_successful(transport, log, "Mex Get", url, {{"Content-Type", "application/soap+xml"}});
    return parse_mex(response.body.reveal(), log);
}

}  // namespace aadcred
