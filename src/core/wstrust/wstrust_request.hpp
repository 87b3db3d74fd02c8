#pragma once
// ADAL's WSTrustRequest (reference §2.5): the RequestSecurityToken SOAP 1.2 envelope with
// a UsernameToken, posted to an ADFS usernamemixed endpoint. The envelope carries the
// password, so it is a SecretString and is never logged.

#include <chrono>
#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "core/wstrust/mex.hpp"
#include "core/wstrust/wstrust_response.hpp"
#include "util/log.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

/// SOAPAction and wsa:Action of an Issue request for `version` (1.3 unless 2005).
std::string_view rst_soap_action(WsTrustVersion version);

/// ADAL's _escape_password: & " ' < > as XML entities (the user name is sent raw).
SecretString escape_password(const SecretString &password);

/// ISO 8601 UTC with milliseconds, "2026-11-26T18:00:00.123Z" (wsu:Timestamp).
std::string wsu_time(std::chrono::system_clock::time_point when);

/// The RST envelope byte for byte as ADAL builds it: Timestamp now..now+10 min,
/// AppliesTo `applies_to`, KeyType Bearer (1.3) or NoProofKey (2005).
SecretString build_rst(std::string_view endpoint_url, WsTrustVersion version,
                       std::string_view applies_to, std::string_view username,
                       const SecretString &password, std::chrono::system_clock::time_point now,
                       std::string_view message_id);

/// ADAL's WSTrustRequest.acquire_token: POST the RST (Content-type application/soap+xml;
/// charset=utf-8, SOAPAction) and parse the RSTR. Throws AdalError: "Unsupported wstrust
/// endpoint version. Current support version is wstrust2005 or wstrust13." first for an
/// undefined version; "WS-Trust RST request returned http error: ..." for non-2xx; the
/// RSTR errors of parse_rstr.
WsTrustToken request_wstrust_token(HttpTransport &transport, const Logger &log,
                                   const std::string &endpoint_url, WsTrustVersion version,
                                   std::string_view applies_to, std::string_view username,
                                   const SecretString &password);

}  // namespace aadcred
