#pragma once
// ADAL's WSTrustResponse (reference §2.5): a RequestSecurityTokenResponse is checked for a
// SOAP fault with a real XML parser, and its token is then cut out of the raw text (as
// ADAL's findall_content does) so the SAML assertion keeps the exact bytes its signature
// covers, whatever namespace declarations it repeats.

#include <optional>
#include <string>
#include <string_view>

#include "core/wstrust/mex.hpp"
#include "util/log.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

struct WsTrustToken {
    SecretString token;      ///< the raw inner XML of RequestedSecurityToken
    std::string token_type;  ///< the raw text of TokenType
};

/// ADAL's findall_content(text, tag)[0]: the text between the first
/// `<[prefix:]tag...>` and the last following `</[prefix:]tag`, or nullopt.
std::optional<std::string_view> raw_element_content(std::string_view text, std::string_view tag);

/// Parses an RSTR. Throws AdalError with ADAL's texts: "Received empty RSTR response
/// body.", "Failed to parse RSTR in to DOM" (also for a DTD: XXE is refused), "Server
/// returned error in RSTR - ErrorCode: <code|NONE> : FaultMessage: <text|NONE>", "Found
/// too many fault code values: <n>", "No TokenType nodes found in RSTR", "Unable to find
/// any tokens in RSTR.".
WsTrustToken parse_rstr(std::string_view body, WsTrustVersion version, const Logger &log);

/// The OAuth grant for a token type: saml1_1-bearer for SAML 1.1, saml2-bearer for
/// SAML 2.0. Else AdalError "RSTR returned unknown token type: <type>".
std::string_view saml_grant_type(std::string_view token_type);

}  // namespace aadcred
