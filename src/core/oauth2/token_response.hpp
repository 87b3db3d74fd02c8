#pragma once
// The token endpoint's reply turned into ADAL's token dict (reference §4): numbers that
// arrive as strings, expiresOn in ADAL's local-time text, id_token claims (tenantId,
// givenName, familyName, identityProvider, oid; userId = upn → email → sub → uuid4).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/oauth2/token_entry.hpp"

namespace aadcred {

/// Parses a 2xx token reply. Throws AdalError(protocol) with ADAL's texts for bad
/// input ("wire_response is missing token_type", "... missing access_token", bad ints,
/// unparsable id_token payload), keeping the raw body as error_response.
/// `now` is injectable for tests.
TokenEntry parse_token_response(std::string_view body, std::chrono::system_clock::time_point now =
                                                           std::chrono::system_clock::now());

/// ADAL's str(datetime): "YYYY-MM-DD HH:MM:SS.ffffff" in local time, the fraction left
/// out when microseconds are zero.
std::string format_adal_time(std::chrono::system_clock::time_point when);
/// Reads ADAL's text back (also without fraction, and ISO "T"); nullopt if unreadable.
std::optional<std::chrono::system_clock::time_point> parse_adal_time(std::string_view text);

/// The id_token's claims added to `entry` in ADAL's order and names. A token ADAL's
/// regex would not split is ignored (logged); a payload that is not base64url JSON
/// throws AdalError(protocol). Does not verify signatures (PAM does, in its layer).
void add_id_token_claims(TokenEntry &entry, std::string_view id_token);

}  // namespace aadcred
