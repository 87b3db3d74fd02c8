#pragma once
// Proof Key for Code Exchange (RFC 7636) and the `state` of an authorization request
// (RFC 6749 §10.12), for the browser sign-in: the verifier never leaves this process
// until the code is redeemed, so a code caught on its way back (another program on the
// loopback port, a browser extension) is useless to whoever caught it.

#include <string>
#include <string_view>

#include "util/secret_string.hpp"

namespace aadcred {

struct PkcePair {
    SecretString verifier;  ///< 43 characters of base64url from 32 random bytes (§4.1)
    std::string challenge;  ///< BASE64URL(SHA256(verifier)) without padding (§4.2, S256)
};

/// A new verifier and its S256 challenge, from OpenSSL's CSPRNG. Throws
/// std::runtime_error when RAND_bytes fails.
PkcePair make_pkce_pair();

/// The S256 challenge of `verifier` (RFC 7636 §4.2; Appendix B is its test vector).
std::string pkce_s256_challenge(std::string_view verifier);

/// An unguessable `state`: 22 characters of base64url from 16 random bytes.
std::string random_state();

}  // namespace aadcred
