#pragma once
// Built-in settings for Azure DevOps (dev.azure.com, *.visualstudio.com), so that
// `credential.helper=aadcred` alone works there (SPEC §5): the Azure DevOps resource, the
// public client Microsoft registered for it, and the tenant the server names: in its
// `WWW-Authenticate: Bearer authorization_uri=...` challenge (git ≥ 2.41 passes it as
// wwwauth[]), else in the reply to one unauthenticated request to the organisation
// (aadcred_discover_tenant: X-VSS-ResourceTenant), remembered per organisation
// (tenant_cache.hpp); `organizations` only when both fail.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helper_settings.hpp"
#include "target.hpp"

namespace gitcred {

inline constexpr std::string_view kAzureDevOpsResource = "499b84ac-1321-427f-aa17-267ca6975798";
inline constexpr std::string_view kAzureDevOpsClientId = "872cd9fa-d31f-45e0-9eab-6e460a02d1f1";

/// dev.azure.com or a *.visualstudio.com organisation (`hostname` lower-case, no port).
bool is_azure_devops_host(std::string_view hostname);

/// The authority named by the first Bearer challenge whose authorization_uri is an Azure
/// AD sign-in host, as https://<host>/<tenant>. A challenge naming any other host is
/// ignored: the git server must not be able to send our users to a sign-in page of its
/// choosing.
std::optional<std::string> authority_from_challenges(const std::vector<std::string_view> &wwwauth);

/// The organisation of an Azure DevOps target, lower-case: <org>.visualstudio.com, else
/// the user name of https://<org>@dev.azure.com/..., else the first path segment (with
/// credential.useHttpPath); empty when none is known or it has characters no
/// organisation name has.
std::string azure_devops_organisation(const Target &target);

/// Fills what the person did not configure with the Azure DevOps defaults; the tenant
/// may cost one request to the organisation (see above), made with `settings.ca_file`.
void apply_azure_devops_defaults(HelperSettings &settings, const Target &target,
                                 const std::vector<std::string_view> &wwwauth);

/// Azure DevOps remote URLs carry the organisation as user name
/// (https://org@dev.azure.com/org/...): only a user name with '@' names an account.
bool names_an_account(std::string_view username);

}  // namespace gitcred
