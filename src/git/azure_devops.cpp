#include "azure_devops.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "ascii_case.hpp"

namespace gitcred {

namespace {

// ADAL's static list of Azure AD instances (adal-1.2.7 authority.py) plus the China
// partner host: the only hosts a challenge may point us to.
constexpr std::array<std::string_view, 6> kAadHosts = {
    "login.microsoftonline.com", "login.windows.net",        "login.microsoftonline.us",
    "login.chinacloudapi.cn",    "login.microsoftonline.de", "login.partner.microsoftonline.cn",
};
constexpr std::size_t kMaxTenantBytes = 128;

using aadcred::frontend::ascii_lower;
using aadcred::frontend::equal_ignoring_ascii_case;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// RFC 7235 §2.1 auth-param: name=token or name="quoted". Azure DevOps sends the value
// unquoted (`Bearer authorization_uri=https://login.microsoftonline.com/<tid>`), RFC 6750
// servers quote it; both are read. Returns the value of `wanted`, if present.
std::optional<std::string> auth_param(std::string_view params, std::string_view wanted) {
    while (!params.empty()) {
        params = trim(params);
        const auto eq = params.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const std::string_view name = trim(params.substr(0, eq));
        params.remove_prefix(eq + 1);
        params = trim(params);
        std::string value;
        if (!params.empty() && params.front() == '"') {
            std::size_t i = 1;
            for (; i < params.size() && params[i] != '"'; ++i) {
                if (params[i] == '\\' && i + 1 < params.size()) ++i;
                value.push_back(params[i]);
            }
            if (i >= params.size()) return std::nullopt;  // unterminated quote
            params.remove_prefix(i + 1);
            const auto comma = params.find(',');
            params =
                comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
        } else {
            const auto comma = params.find(',');
            value = std::string(trim(params.substr(0, comma)));
            params =
                comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
        }
        if (equal_ignoring_ascii_case(name, wanted)) return value;
    }
    return std::nullopt;
}

std::optional<std::string> authority_from_uri(std::string_view uri) {
    constexpr std::string_view kScheme = "https://";
    if (uri.size() <= kScheme.size() ||
        !equal_ignoring_ascii_case(uri.substr(0, kScheme.size()), kScheme)) {
        return std::nullopt;
    }
    uri.remove_prefix(kScheme.size());
    const auto slash = uri.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view host = uri.substr(0, slash);
    const bool known = std::any_of(kAadHosts.begin(), kAadHosts.end(), [&](std::string_view h) {
        return equal_ignoring_ascii_case(h, host);
    });
    if (!known) return std::nullopt;
    std::string_view tenant = uri.substr(slash + 1);
    tenant = tenant.substr(0, tenant.find_first_of("/?#"));
    const bool tenant_ok = !tenant.empty() && tenant.size() <= kMaxTenantBytes &&
                           std::all_of(tenant.begin(), tenant.end(), [](unsigned char c) {
                               return std::isalnum(c) || c == '-' || c == '.' || c == '_';
                           });
    if (!tenant_ok) return std::nullopt;
    std::string authority = "https://";
    authority += ascii_lower(host);
    authority.append("/").append(tenant);
    return authority;
}

}  // namespace

bool is_azure_devops_host(std::string_view hostname) {
    constexpr std::string_view kVsSuffix = ".visualstudio.com";
    return hostname == "dev.azure.com" ||
           (hostname.size() > kVsSuffix.size() && hostname.ends_with(kVsSuffix));
}

std::optional<std::string> authority_from_challenges(const std::vector<std::string_view> &wwwauth) {
    constexpr std::string_view kBearer = "bearer";
    for (std::string_view challenge : wwwauth) {
        challenge = trim(challenge);
        if (challenge.size() <= kBearer.size() ||
            !equal_ignoring_ascii_case(challenge.substr(0, kBearer.size()), kBearer) ||
            (challenge[kBearer.size()] != ' ' && challenge[kBearer.size()] != '\t')) {
            continue;
        }
        const auto uri = auth_param(challenge.substr(kBearer.size()), "authorization_uri");
        if (!uri) continue;
        if (auto authority = authority_from_uri(*uri)) return authority;
    }
    return std::nullopt;
}

void apply_azure_devops_defaults(HelperSettings &settings,
                                 const std::vector<std::string_view> &wwwauth) {
    if (!settings.authority) {
        // `organizations`: any work or school account; Azure DevOps names its tenant in
        // the challenge, which git ≥ 2.41 forwards.
        settings.authority = authority_from_challenges(wwwauth).value_or(
            "https://login.microsoftonline.com/organizations");
    }
    if (!settings.client_id) settings.client_id = std::string(kAzureDevOpsClientId);
    if (!settings.resource && !settings.scopes) {
        settings.resource = std::string(kAzureDevOpsResource);
    }
}

bool names_an_account(std::string_view username) {
    return username.find('@') != std::string_view::npos;
}

}  // namespace gitcred
