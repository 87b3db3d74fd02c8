#pragma once
// Claims challenges (OpenID Connect Core §5.5 `claims`, Azure AD's Continuous Access
// Evaluation): a resource that refuses a token names the claims a new one must carry
// (`WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64 JSON>"`), and
// the next sign-in or refresh asks the authority for them, declaring the client
// capability "cp1" ("this client handles claims challenges") as MSAL does.

#include <string>
#include <string_view>

namespace aadcred {

/// Largest claims challenge accepted (decoded or not); real ones are a few hundred bytes.
inline constexpr std::size_t kMaxClaimsBytes = 16 * 1024;

/// The `claims` parameter to send for `challenge`: the challenge's JSON object (given as
/// JSON, or as base64 / base64url of it, as Azure AD sends it) with
/// {"access_token":{"xms_cc":{"values":["cp1"]}}} merged in: `access_token` is created
/// when missing and its `xms_cc` replaced, every other member is kept as sent.
/// Throws AdalError(invalid) when `challenge` is empty, too large, not decodable, not a
/// JSON object, or has an `access_token` that is not an object.
std::string claims_with_client_capability(std::string_view challenge);

}  // namespace aadcred
