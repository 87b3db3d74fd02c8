#pragma once
// ADAL's self_signed_jwt.py (reference §2.4): the RS256 client assertion a confidential
// client signs with its certificate's private key (RFC 7523 §2.2, RFC 7521 §4.2), with
// ADAL's thumbprint rules and error texts.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/secret_string.hpp"

namespace aadcred {

/// ADAL's SELF_SIGNED_JWT_LIFETIME: 10 minutes from nbf to exp.
inline constexpr std::chrono::seconds kSelfSignedJwtLifetime{600};

/// A PEM text larger than this is refused: a key plus a long chain fit well inside.
inline constexpr std::size_t kMaxPemBytes = 256u * 1024;

/// ADAL's thumbprint normalisation: lower case, ' ' and ':' removed, then 32 (MD5) or 40
/// (SHA-1) hex digits. Throws AdalError(invalid) "The thumbprint does not match a known
/// format" for anything else.
std::string normalize_thumbprint(std::string_view thumbprint);

/// The JWS "x5t" of a normalised thumbprint as ADAL writes it: base64url of the bytes,
/// WITH '=' padding (RFC 7515 §4.1.7 says unpadded; Azure AD accepts ADAL's form).
std::string x5t_of_thumbprint(std::string_view normalized_thumbprint);

/// The "x5c" values of a public certificate PEM (ADAL's _extract_certs): the base64 body
/// of every CERTIFICATE block, in order. Whitespace inside a body is removed (RFC 7515
/// §4.1.6 wants plain base64; ADAL keeps the line breaks). Without such a block: the
/// trimmed text, unless it holds a private key → AdalError(invalid) "We expect your public
/// key but detect a private key instead".
std::vector<std::string> x5c_of_public_certificate(std::string_view public_certificate_pem);

struct SelfSignedJwtInput {
    std::string client_id;                      ///< iss and sub
    std::string audience;                       ///< aud: the token endpoint, without query
    std::string thumbprint;                     ///< any form normalize_thumbprint accepts
    std::string public_certificate_pem;         ///< empty: no x5c header
    std::chrono::system_clock::time_point now;  ///< nbf
    std::string jti;                            ///< empty: a new uuid4
};

/// Builds and signs the assertion with the RSA private key in `private_key_pem` (PKCS#1
/// "RSA PRIVATE KEY" or PKCS#8). Errors are ADAL's: AdalError(invalid) "Error:Invalid
/// Certificate: Expected Start of Certificate to be '-----BEGIN RSA PRIVATE KEY-----'"
/// when the key cannot be read or is not RSA, "Failed to sign JWT. This is most likely due
/// to an invalid certificate." when signing fails. The thumbprint is checked first.
SecretString create_self_signed_jwt(const SecretString &private_key_pem,
                                    const SelfSignedJwtInput &input);

}  // namespace aadcred
