#include "azure_devops.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <aadcred/aadcred.h>

#include "ascii_case.hpp"
#include "tenant_cache.hpp"
#include "www_authenticate.hpp"

namespace gitcred {

namespace {

// ADAL's static list of Azure AD instances (adal-1.2.7 authority.py) plus the China
// partner host: the only hosts a challenge may point us to.
constexpr std::array<std::string_view, 6> kAadHosts = {
    "login.microsoftonline.com", "login.windows.net",        "login.microsoftonline.us",
    "login.chinacloudapi.cn",    "login.microsoftonline.de", "login.partner.microsoftonline.cn",
};
constexpr std::size_t kMaxTenantBytes = 128;
// The probe only saves a guess: a slow one must not stall git for long.
constexpr int kTenantProbeTimeoutSeconds = 10;

using aadcred::frontend::ascii_lower;
using aadcred::frontend::equal_ignoring_ascii_case;

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
    for (const std::string_view header : wwwauth) {
        for (const Challenge &challenge : parse_challenges(header)) {
            if (!challenge.is("Bearer")) continue;
            const auto uri = challenge.param("authorization_uri");
            if (!uri) continue;
            if (auto authority = authority_from_uri(*uri)) return authority;
        }
    }
    return std::nullopt;
}

std::string azure_devops_organisation(const Target &target) {
    std::string org;
    constexpr std::string_view kVsSuffix = ".visualstudio.com";
    if (target.hostname.ends_with(kVsSuffix)) {
        org = target.hostname.substr(0, target.hostname.size() - kVsSuffix.size());
    } else if (!target.username.empty() && !names_an_account(target.username)) {
        org = target.username;  // https://org@dev.azure.com/org/project/_git/repo
    } else {
        org = target.path.substr(0, target.path.find('/'));  // credential.useHttpPath
    }
    org = ascii_lower(org);
    const bool ok = !org.empty() && org.size() <= 64 && org.front() != '.' &&
                    std::all_of(org.begin(), org.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
                    });
    return ok ? org : std::string();
}

namespace {

// One unauthenticated request to the organisation (aadcred_discover_tenant), with the
// helper's CA file and curl's proxy settings; nullopt when it names no tenant.
std::optional<std::string> probe_tenant(const Target &target, const std::string &org,
                                        const HelperSettings &settings) {
    const std::string url = target.hostname == "dev.azure.com"
                                ? "https://" + target.host + "/" + org + "/"
                                : "https://" + target.host + "/";
    char *found = nullptr;
    const std::string ca_file = settings.ca_file.value_or("");
    const int rc =
        aadcred_discover_tenant(&found, url.c_str(), ca_file.empty() ? nullptr : ca_file.c_str(),
                                nullptr, kTenantProbeTimeoutSeconds);
    if (rc != 0 || found == nullptr) return std::nullopt;
    std::string authority(found);
    aadcred_string_free(found);
    // The library checks the host too; the helper never trusts more than its own rule.
    if (authority_from_uri(authority) != authority) return std::nullopt;
    return authority;
}

// wwwauth[] (no request), then the remembered tenant, then one probe, then a stale
// remembered one (better than guessing), then nothing.
std::optional<std::string> tenant_authority(const Target &target, const HelperSettings &settings,
                                            const std::vector<std::string_view> &wwwauth) {
    if (auto authority = authority_from_challenges(wwwauth)) return authority;
    const std::string org = azure_devops_organisation(target);
    if (org.empty()) return std::nullopt;
    const auto cached = read_cached_tenant(org);
    if (cached && cached->fresh) return cached->authority;
    if (auto probed = probe_tenant(target, org, settings)) {
        cache_tenant(org, *probed);
        return probed;
    }
    if (cached) return cached->authority;
    return std::nullopt;
}

}  // namespace

void apply_azure_devops_defaults(HelperSettings &settings, const Target &target,
                                 const std::vector<std::string_view> &wwwauth) {
    if (!settings.authority) {
        // `organizations` (any work or school account) only when the tenant is unknown.
        settings.authority = tenant_authority(target, settings, wwwauth)
                                 .value_or("https://login.microsoftonline.com/organizations");
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
