#pragma once
// Which tenant a resource belongs to, asked of the resource itself: one unauthenticated
// GET, whose reply names the tenant in `X-VSS-ResourceTenant: <tenant id>` (Azure DevOps)
// or in `WWW-Authenticate: Bearer authorization_uri=https://<Azure AD host>/<tenant>`.

#include <optional>
#include <string>

#include "core/http/http_transport.hpp"

namespace aadcred {

class Logger;

/// Sends one GET to `url` without credentials and returns the authority the reply names
/// (https://login.microsoftonline.com/<tenant id> for X-VSS-ResourceTenant, else the
/// authorization_uri's https://<host>/<tenant> when the host is a well-known Azure AD
/// one), or nullopt when it names none. Throws what the transport throws (network).
std::optional<std::string> discover_resource_authority(HttpTransport &transport, const Logger &log,
                                                       const std::string &url);

/// The authority a probe reply names, as discover_resource_authority() reads it.
std::optional<std::string> authority_from_probe_reply(const HttpResponse &reply);

}  // namespace aadcred
