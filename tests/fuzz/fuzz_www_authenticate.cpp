// WWW-Authenticate challenges as git forwards them (wwwauth[], one challenge per line):
// the Azure DevOps tenant lookup must only ever name a Microsoft sign-in host and a
// tenant made of safe characters, whatever a hostile git server sends.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "azure_devops.hpp"
#include "www_authenticate.hpp"

namespace {

constexpr std::string_view kAllowedHosts[] = {
    "login.microsoftonline.com", "login.windows.net",        "login.microsoftonline.us",
    "login.chinacloudapi.cn",    "login.microsoftonline.de", "login.partner.microsoftonline.cn",
};

void check_authority(const std::string &authority) {
    constexpr std::string_view kScheme = "https://";
    if (!authority.starts_with(kScheme)) std::abort();
    const std::string_view rest = std::string_view(authority).substr(kScheme.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) std::abort();
    const std::string_view host = rest.substr(0, slash);
    if (std::find(std::begin(kAllowedHosts), std::end(kAllowedHosts), host) ==
        std::end(kAllowedHosts)) {
        std::abort();
    }
    const std::string_view tenant = rest.substr(slash + 1);
    if (tenant.empty() || tenant.size() > 128) std::abort();
    for (const char c : tenant) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    std::vector<std::string_view> challenges;
    for (std::size_t start = 0; start <= input.size();) {
        const auto end = std::min(input.find('\n', start), input.size());
        challenges.push_back(input.substr(start, end - start));
        start = end + 1;
    }
    const auto authority = gitcred::authority_from_challenges(challenges);
    if (authority) check_authority(*authority);

    // The defaults never replace what the person configured.
    gitcred::HelperSettings settings;
    gitcred::apply_azure_devops_defaults(settings, gitcred::Target{}, challenges);
    if (!settings.authority || !settings.client_id || !settings.resource) std::abort();
    if (authority && *settings.authority != *authority) std::abort();
    gitcred::HelperSettings configured;
    configured.authority = "https://login.microsoftonline.com/contoso.example";
    gitcred::apply_azure_devops_defaults(configured, gitcred::Target{}, challenges);
    if (*configured.authority != "https://login.microsoftonline.com/contoso.example") std::abort();

    // Claims challenges: whatever is found was a non-empty param of a Bearer challenge.
    const auto claims = gitcred::claims_from_challenges(challenges);
    if (claims && claims->empty()) std::abort();
    for (const auto &challenge : gitcred::parse_challenges(input)) {
        if (challenge.scheme.empty()) std::abort();
    }

    (void)gitcred::is_azure_devops_host(input);
    (void)gitcred::names_an_account(input);
    return 0;
}
