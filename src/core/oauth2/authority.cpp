// Authority parsing and validation, following ADAL's authority.py (reference §2.1) with
// its messages, plus the v2 and OpenID Connect endpoints SPEC §3 adds.

#include "core/oauth2/authority.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/http/http_transport.hpp"
#include "core/json/json.hpp"
#include "util/environment.hpp"
#include "util/form_encode.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's AADConstants.WELL_KNOWN_AUTHORITY_HOSTS.
constexpr std::array<std::string_view, 5> kWellKnownHosts = {
    "login.windows.net",        "login.microsoftonline.com", "login.chinacloudapi.cn",
    "login.microsoftonline.us", "login.microsoftonline.de",
};
constexpr std::string_view kWorldWideAuthority = "https://login.microsoftonline.com";

[[noreturn]] void invalid(std::string message) {
    throw AdalError(ErrorClass::invalid, std::move(message));
}

// dSTS hosts are accepted by name, with two path segments (ADAL's _whitelisted).
bool is_dsts(std::string_view host) {
    return host.find(".dsts.") != std::string_view::npos;
}

// urlparse's hostname: no userinfo, no port, no IPv6 brackets, lower case.
std::string hostname_of(std::string_view netloc) {
    if (auto at = netloc.rfind('@'); at != std::string_view::npos) netloc.remove_prefix(at + 1);
    if (!netloc.empty() && netloc.front() == '[') {
        const auto close = netloc.find(']');
        return ascii_lower(netloc.substr(1, close == std::string_view::npos ? close : close - 1));
    }
    return ascii_lower(netloc.substr(0, netloc.find(':')));
}

std::vector<std::string> path_segments(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        if (slash > start) parts.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

std::string join(const std::vector<std::string> &parts, std::string_view separator) {
    std::string out;
    for (const auto &part : parts) {
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

}  // namespace

Authority::Authority(std::string_view url, bool validate, ApiKind api)
    : validate_(validate), api_(api) {
    const auto colon = url.find(':');
    if (colon == std::string_view::npos || ascii_lower(url.substr(0, colon)) != "https")
        invalid("The authority url must be an https endpoint.");
    std::string_view rest = url.substr(colon + 1);
    if (rest.substr(0, 2) != "//") invalid("The authority url must be an https endpoint.");
    rest.remove_prefix(2);

    const auto hash = rest.find('#');
    const auto question = rest.find('?');
    if (question != std::string_view::npos && question + 1 < std::min(hash, rest.size()))
        invalid("The authority url must not have a query string.");
    // ADAL keeps a fragment and then builds "…#frag/oauth2/token"; refuse it instead.
    if (hash != std::string_view::npos) invalid("The authority url must not have a fragment.");
    rest = rest.substr(0, question);

    const auto slash = rest.find('/');
    const std::string_view netloc = rest.substr(0, slash);
    const std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
    host_ = hostname_of(netloc);
    if (host_.empty()) invalid("The authority url must have a host name.");

    const std::vector<std::string> segments = path_segments(path);
    std::string full = "https://" + std::string(rest);
    // A generic OpenID Connect issuer may have any path ("/realms/x", none at all), so
    // ADAL's one-segment tenant rule is for Azure AD only.
    if (api_ != ApiKind::oidc) {
        if (segments.size() > 1 && !is_dsts(host_))
            invalid(
                "The path of authority_url (also known as tenant) is invalid, it should "
                "either be a domain name (e.g. mycompany.onmicrosoft.com) or a tenant GUID "
                "id. Your tenant input was \"" +
                join(segments, "/") + "\" and your entire authority_url was \"" + full + "\".");
        // ADAL accepts "https://host/" with an empty tenant and then calls
        // "https://host//oauth2/token"; treat it like a missing path.
        if (segments.empty()) invalid("Could not determine tenant.");
    }
    while (!full.empty() && full.back() == '/') full.pop_back();
    url_ = std::move(full);
    tenant_ = segments.empty() ? std::string() : segments.front();
    is_adfs_ = ascii_lower(tenant_) == "adfs";
    // An OpenID Connect provider's endpoints are only known from its discovery document.
    validated_ = !validate_ && api_ != ApiKind::oidc;

    switch (api_) {
        case ApiKind::v1:
            endpoints_ = {url_ + "/oauth2/token",
                          url_ + "/oauth2/devicecode",
                          url_ + "/discovery/keys",
                          {},
                          url_ + "/oauth2/authorize"};
            break;
        case ApiKind::v2:
            endpoints_ = {url_ + "/oauth2/v2.0/token",
                          url_ + "/oauth2/v2.0/devicecode",
                          url_ + "/discovery/v2.0/keys",
                          {},
                          url_ + "/oauth2/v2.0/authorize"};
            break;
        case ApiKind::oidc:
            break;
    }
}

std::string Authority::instance_discovery_base() {
    // Through caller_env: in su or sudo the caller must not choose whom root asks whether
    // an authority is genuine.
    const char *env = caller_env("AADCRED_INSTANCE_DISCOVERY_URL");
    std::string base = env != nullptr && *env != '\0' ? env : std::string(kWorldWideAuthority);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

void Authority::set_instance_discovery(std::string base) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    instance_discovery_ = std::move(base);
}

std::string Authority::instance_discovery() const {
    return instance_discovery_.empty() ? instance_discovery_base() : instance_discovery_;
}

namespace {

bool is_statically_known(std::string_view host, const Logger &log) {
    log.verbose("Performing static instance discovery");
    const bool known = is_dsts(host) || std::find(kWellKnownHosts.begin(), kWellKnownHosts.end(),
                                                  host) != kWellKnownHosts.end();
    if (known) log.verbose("Authority validated via static instance discovery");
    return known;
}

void discover_instance(const Authority &authority, HttpTransport &transport, const Logger &log) {
    const std::string authorize =
        "https://" + authority.host() + "/" + authority.tenant() + "/oauth2/authorize";
    const std::string url =
        authority.instance_discovery() +
        "/common/discovery/instance?authorization_endpoint=" + percent_quote(authorize, "~()*!.'") +
        "&api-version=1.0";
    log.verbose("Attempting instance discover at: " + log.pii(url));
    const HttpResponse response = get_successful(transport, log, "Instance Discovery", url);

    auto document = json::try_parse(response.body.reveal());
    const bool ok = document && document->IsObject() &&
                    !json::get_string(*document, "tenant_discovery_endpoint").value_or("").empty();
    if (!ok) throw AdalError(ErrorClass::protocol, "Failed to parse instance discovery response");
}

std::string required_endpoint(const rapidjson::Value &document, const char *name) {
    auto value = json::get_string(document, name);
    if (!value || value->empty())
        throw AdalError(ErrorClass::protocol,
                        std::string("OpenID configuration is missing ") + name);
    return *value;
}

// OpenID Connect Discovery 1.0 §4; RFC 8628 §4 adds device_authorization_endpoint.
Endpoints discover_openid_configuration(const std::string &base, HttpTransport &transport,
                                        const Logger &log) {
    constexpr std::string_view operation = "OpenID Configuration";
    const std::string url = base + "/.well-known/openid-configuration";
    log.verbose("Fetching the OpenID configuration: " + log.pii(url));
    const HttpResponse response = get_successful(transport, log, operation, url);

    const rapidjson::Document document =
        json::parse(response.body.reveal(), "OpenID configuration");
    if (!document.IsObject())
        throw AdalError(ErrorClass::protocol, "Failed to parse the OpenID configuration");
    Endpoints endpoints;
    endpoints.token = required_endpoint(document, "token_endpoint");
    endpoints.device_code = required_endpoint(document, "device_authorization_endpoint");
    endpoints.jwks = json::get_string(document, "jwks_uri").value_or("");
    endpoints.issuer = json::get_string(document, "issuer").value_or("");
    // Only the browser sign-in needs it; a device-flow-only provider may leave it out.
    endpoints.authorize = json::get_string(document, "authorization_endpoint").value_or("");
    return endpoints;
}

}  // namespace

void Authority::validate(HttpTransport &transport, const Logger &log) {
    if (validated_) {
        log.verbose(
            "Instance discovery/validation has either already been completed or is turned "
            "off: " +
            log.pii(url_));
        return;
    }
    if (api_ == ApiKind::oidc) {
        // The provider is whoever answers its discovery document over verified TLS;
        // Azure AD's instance list says nothing about Keycloak or Okta.
        endpoints_ = discover_openid_configuration(url_, transport, log);
    } else {
        log.verbose("Performing instance discovery: " + log.pii(url_));
        if (!is_statically_known(host_, log)) discover_instance(*this, transport, log);
    }
    validated_ = true;
}

}  // namespace aadcred
