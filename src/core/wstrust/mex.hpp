#pragma once
// ADAL's Mex (reference §2.5): reads a WS-MetadataExchange document (WSDL + WS-Policy)
// for the UsernameToken policy whose binding speaks WS-Trust 1.3 or 2005 over SOAP 1.2
// and whose port is https. WS-Trust 1.3 wins over 2005, as in ADAL.

#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "util/log.hpp"

namespace aadcred {

enum class WsTrustVersion { undefined, v2005, v13 };

/// ADAL's _parse_wstrust_version_from_federation_active_authurl: by substring
/// "/trust/2005/usernamemixed" or "/trust/13/usernamemixed", else undefined.
WsTrustVersion wstrust_version_from_url(std::string_view url);

struct MexPolicy {
    std::string url;  ///< the https usernamemixed endpoint
    WsTrustVersion version = WsTrustVersion::undefined;
};

/// The username/password policy of a MEX document. Throws AdalError with ADAL's texts:
/// "No matching policies.", "No matching bindings.", "No address nodes on port", and
/// "No ws-trust endpoints match requirements." when no https port is left (where ADAL
/// fails with a TypeError); a malformed or DTD-carrying document is a protocol error.
MexPolicy parse_mex(std::string_view document, const Logger &log);

/// ADAL's Mex.discover: GET `url` (Content-Type: application/soap+xml), then parse_mex.
/// Non-2xx: "Mex Get request returned http error: <status>[ and server response: ...]".
MexPolicy discover_mex(HttpTransport &transport, const Logger &log, const std::string &url);

}  // namespace aadcred
