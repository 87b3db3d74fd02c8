#include "core/oauth2/resource_tenant.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "util/log.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's well-known Azure AD hosts plus the China partner host: the only ones a reply
// may send us to, so a server cannot pick the sign-in page our users see.
constexpr std::array<std::string_view, 6> kAadHosts = {
    "login.microsoftonline.com", "login.windows.net",        "login.microsoftonline.us",
    "login.chinacloudapi.cn",    "login.microsoftonline.de", "login.partner.microsoftonline.cn",
};
constexpr std::string_view kWorldWide = "https://login.microsoftonline.com/";
constexpr std::size_t kMaxTenantBytes = 128;
constexpr std::string_view kNilGuid = "00000000-0000-0000-0000-000000000000";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_guid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

bool is_tenant_name(std::string_view s) {
    return !s.empty() && s.size() <= kMaxTenantBytes &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '.' || c == '_';
           });
}

// X-VSS-ResourceTenant: one or more tenant ids, comma-separated; the nil GUID stands for
// a Microsoft-account organisation (no tenant) and is skipped.
std::optional<std::string> from_resource_tenant(std::string_view value) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view item = trim(value.substr(0, comma));
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
        if (is_guid(item) && !iequals_ascii(item, kNilGuid)) {
            return std::string(kWorldWide) + ascii_lower(item);
        }
    }
    return std::nullopt;
}

// https://<well-known host>/<tenant>[/...] → https://<host>/<tenant>.
std::optional<std::string> from_authorization_uri(std::string_view uri) {
    constexpr std::string_view kScheme = "https://";
    if (uri.size() <= kScheme.size() || !iequals_ascii(uri.substr(0, kScheme.size()), kScheme))
        return std::nullopt;
    uri.remove_prefix(kScheme.size());
    const auto slash = uri.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view host = uri.substr(0, slash);
    if (std::none_of(kAadHosts.begin(), kAadHosts.end(),
                     [&](std::string_view h) { return iequals_ascii(h, host); }))
        return std::nullopt;
    std::string_view tenant = uri.substr(slash + 1);
    tenant = tenant.substr(0, tenant.find_first_of("/?#"));
    if (!is_tenant_name(tenant)) return std::nullopt;
    return "https://" + ascii_lower(host) + "/" + std::string(tenant);
}

// The authorization_uri param of a Bearer challenge anywhere in a WWW-Authenticate value
// (the transport joins repeated fields with commas); quoted or not.
std::optional<std::string> from_www_authenticate(std::string_view value) {
    const std::string lower = ascii_lower(value);
    constexpr std::string_view kParam = "authorization_uri";
    for (auto at = lower.find(kParam); at != std::string::npos;
         at = lower.find(kParam, at + kParam.size())) {
        // Only inside a Bearer challenge: the nearest scheme before it must be Bearer.
        const auto bearer = lower.rfind("bearer", at);
        if (bearer == std::string::npos) continue;
        std::string_view rest = trim(value.substr(at + kParam.size()));
        if (rest.empty() || rest.front() != '=') continue;
        rest = trim(rest.substr(1));
        std::string uri;
        if (!rest.empty() && rest.front() == '"') {
            const auto close = rest.find('"', 1);
            if (close == std::string_view::npos) continue;
            uri = std::string(rest.substr(1, close - 1));
        } else {
            uri = std::string(trim(rest.substr(0, rest.find(','))));
        }
        if (auto authority = from_authorization_uri(uri)) return authority;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> authority_from_probe_reply(const HttpResponse &reply) {
    if (auto tenant = reply.header("x-vss-resourcetenant")) {
        if (auto authority = from_resource_tenant(*tenant)) return authority;
    }
    if (auto challenge = reply.header("www-authenticate")) return from_www_authenticate(*challenge);
    return std::nullopt;
}

std::optional<std::string> discover_resource_authority(HttpTransport &transport, const Logger &log,
                                                       const std::string &url) {
    HttpRequest request;
    request.method = HttpRequest::Method::get;
    request.url = url;  // no credentials, no ADAL headers: this is not an authority
    const HttpResponse reply = transport.send(request);
    auto authority = authority_from_probe_reply(reply);
    log.info(authority
                 ? "The resource names its tenant: " + *authority
                 : "The resource names no tenant (HTTP " + std::to_string(reply.status) + ")");
    return authority;
}

}  // namespace aadcred
