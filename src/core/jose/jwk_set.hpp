#pragma once
// A JWK Set (RFC 7517) as an authority publishes its token signing keys: parsed, with the
// RSA signing keys kept and everything else skipped. Fetching and caching the set is
// identity/issuer_keys.hpp's job; this part knows the format only.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/jose/rs256.hpp"

namespace aadcred {
/// Caps on what an authority may send: AAD publishes fewer than ten keys.
inline constexpr std::size_t kMaxJwksKeys = 64;
inline constexpr std::size_t kMaxKeyIdBytes = 256;
inline constexpr std::size_t kMaxJwksBytes = 256 << 10;

struct SigningKey {
    std::string kid;
    std::string x5t;  ///< base64url SHA-1 thumbprint; AAD's kid equals it
    RsaPublicKey key;
};

struct KeySet {
    std::vector<SigningKey> keys;
    /// The key whose kid equals `kid` (when given), else whose x5t equals `x5t`.
    const SigningKey *find(std::string_view kid, std::string_view x5t) const noexcept;
};

/// Parses a JWK Set: RSA keys meant for signatures (`use` absent or "sig", `alg` absent
/// or "RS256") are kept; others (EC, encryption keys) are skipped, as are keys whose
/// n/e are not canonical base64url or fail RsaPublicKey's limits. Throws
/// AdalError(protocol) for malformed JSON, more than kMaxJwksKeys keys, or no usable key.
KeySet parse_jwks(std::string_view json);

}  // namespace aadcred
