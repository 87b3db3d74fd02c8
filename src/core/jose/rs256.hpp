#pragma once
// RS256 (RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256) verification with OpenSSL 3's
// EVP API, the key built from a JWK's modulus and exponent. The one place identity
// verification touches OpenSSL, so the C handles and their deleters stay here.

#include <openssl/types.h>

#include <memory>
#include <string_view>

namespace aadcred {

/// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used".
inline constexpr int kMinRsaBits = 2048;
/// Larger keys cost seconds to verify and no authority uses them.
inline constexpr int kMaxRsaBits = 8192;

/// An RSA public key checked against the limits above.
class RsaPublicKey {
  public:
    /// @param modulus, exponent the unsigned big-endian bytes of n and e (JWK "n", "e"
    ///        after base64url decoding). Throws AdalError(protocol) naming the problem:
    ///        a key too small or too large, an even or tiny exponent, OpenSSL failing.
    RsaPublicKey(std::string_view modulus, std::string_view exponent);

    /// True only when `signature` is a valid RS256 signature of `signing_input` by this
    /// key. Never throws; leaves OpenSSL's error queue of this thread empty.
    bool verify_rs256(std::string_view signing_input, std::string_view signature) const noexcept;

    int bits() const noexcept { return bits_; }

  private:
    struct PkeyFree {
        void operator()(EVP_PKEY *key) const noexcept;
    };
    std::unique_ptr<EVP_PKEY, PkeyFree> key_;
    int bits_ = 0;
};

}  // namespace aadcred
