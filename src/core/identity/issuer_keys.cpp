#include "core/identity/issuer_keys.hpp"

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/http/http_transport.hpp"
#include "core/json/json.hpp"
#include "util/log.hpp"

namespace aadcred {
namespace {

[[noreturn]] void protocol(std::string message) {
    throw AdalError(ErrorClass::protocol, std::move(message));
}

// "https://host:port/tenant" -> "host:port": the v2 issuer keeps the authority's port.
std::string netloc_of(const std::string &url) {
    constexpr std::string_view scheme = "https://";
    std::string_view rest(url);
    if (rest.substr(0, scheme.size()) == scheme) rest.remove_prefix(scheme.size());
    return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

std::string openid_configuration_url(const Authority &authority) {
    const char *suffix = authority.api() == ApiKind::v2 ? "/v2.0/.well-known/openid-configuration"
                                                        : "/.well-known/openid-configuration";
    return authority.url() + suffix;
}

IssuerMetadata aad_default_metadata(const Authority &authority) {
    switch (authority.api()) {
        case ApiKind::v1:
            return {"https://sts.windows.net/{tenantid}/", authority.endpoints().jwks};
        case ApiKind::v2:
            return {"https://" + netloc_of(authority.url()) + "/{tenantid}/v2.0",
                    authority.endpoints().jwks};
        case ApiKind::oidc:
            break;
    }
    return {};
}

IssuerMetadata fetch_issuer_metadata(HttpTransport &transport, const Authority &authority,
                                     const Logger &log) {
    constexpr std::string_view operation = "OpenID Configuration";
    const std::string url = openid_configuration_url(authority);
    log.verbose("Fetching the issuer metadata: " + log.pii(url));
    const HttpResponse response = get_with_correlation(transport, log, operation, url);
    const bool aad = authority.api() != ApiKind::oidc;
    if (aad && response.status >= 400 && response.status < 500) {
        log.verbose("No discovery document; using Azure AD's keys endpoint");
        return aad_default_metadata(authority);
    }
    if (!is_http_success(response.status)) throw http_error(operation, response);
    const rapidjson::Document doc = json::parse(response.body.reveal(), "OpenID configuration");
    if (!doc.IsObject()) protocol("Failed to parse the OpenID configuration");
    IssuerMetadata fallback = aad_default_metadata(authority);
    IssuerMetadata out;
    out.issuer = json::get_string(doc, "issuer").value_or(fallback.issuer);
    out.jwks_uri = json::get_string(doc, "jwks_uri").value_or(fallback.jwks_uri);
    if (out.issuer.empty()) protocol("OpenID configuration is missing issuer");
    if (out.jwks_uri.empty()) protocol("OpenID configuration is missing jwks_uri");
    return out;
}

KeySet fetch_jwks(HttpTransport &transport, const std::string &uri, const Logger &log) {
    constexpr std::string_view operation = "JWK Set";
    log.verbose("Fetching the signing keys: " + log.pii(uri));
    const HttpResponse response = get_successful(transport, log, operation, uri);
    return parse_jwks(response.body.reveal());
}

JwksCache::JwksCache(Clock clock) : clock_(std::move(clock)) {}

std::chrono::system_clock::time_point JwksCache::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

void JwksCache::refresh(HttpTransport &transport, const Authority &authority, const Logger &log,
                        bool force) {
    const std::string id =
        authority.url() + "|" + std::to_string(static_cast<int>(authority.api()));
    const auto t = now();
    const auto age = t - entry_.fetched;
    const bool current = entry_.keys && entry_.authority == id && age < kMaxAge;
    if (current && (!force || age < kMinRefresh)) return;
    Entry fresh;
    fresh.authority = id;
    fresh.metadata = fetch_issuer_metadata(transport, authority, log);
    fresh.keys =
        std::make_shared<const KeySet>(fetch_jwks(transport, fresh.metadata.jwks_uri, log));
    fresh.fetched = t;
    entry_ = std::move(fresh);
}

IssuerMetadata JwksCache::metadata(HttpTransport &transport, const Authority &authority,
                                   const Logger &log) {
    std::lock_guard lock(mutex_);
    refresh(transport, authority, log, false);
    return entry_.metadata;
}

std::shared_ptr<const SigningKey> JwksCache::find_key(HttpTransport &transport,
                                                      const Authority &authority, const Logger &log,
                                                      std::string_view kid, std::string_view x5t) {
    std::lock_guard lock(mutex_);
    refresh(transport, authority, log, false);
    const SigningKey *key = entry_.keys->find(kid, x5t);
    if (key == nullptr) {
        // AAD rolls its keys over: a new kid may mean a newer set, not a forgery.
        refresh(transport, authority, log, true);
        key = entry_.keys->find(kid, x5t);
    }
    if (key == nullptr) return nullptr;
    // Aliasing: the key lives as long as the set it came from, even after a refresh.
    return std::shared_ptr<const SigningKey>(entry_.keys, key);
}

}  // namespace aadcred
