#pragma once
// Which tenant an Azure DevOps organisation belongs to, remembered per organisation so the
// probe (aadcred_discover_tenant) runs once, not before every git command: one small file
// per organisation in $XDG_CACHE_HOME/aadcred/azure-devops/ (~/.cache without it), mode
// 0600 in a 0700 directory, holding the authority URL. Nothing secret is in it; what is
// read back is checked as strictly as a probe's answer.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gitcred {

/// How long a remembered tenant is used without asking again.
inline constexpr std::chrono::hours kTenantCacheLifetime{24 * 7};

struct CachedTenant {
    std::string authority;  ///< https://<Azure AD host>/<tenant>
    bool fresh = false;     ///< younger than kTenantCacheLifetime
};

/// The remembered authority of `organisation` (lower-case [a-z0-9._-]), if any; a file
/// that is not ours, not a regular file or holds anything but an authority is ignored.
std::optional<CachedTenant> read_cached_tenant(std::string_view organisation);

/// Remembers `authority` for `organisation`; failures are silent (the probe runs again).
void cache_tenant(std::string_view organisation, std::string_view authority);

}  // namespace gitcred
