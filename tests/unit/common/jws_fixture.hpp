#pragma once
// Tokens signed in the test with OpenSSL: a real RSA key, real RS256 signatures, so the
// verifier is tested against what an authority (or a forger) would really send.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/base64.hpp"

namespace aadcred::test {

struct PkeyFree {
    void operator()(EVP_PKEY *k) const noexcept { EVP_PKEY_free(k); }
};
struct MdFree {
    void operator()(EVP_MD_CTX *c) const noexcept { EVP_MD_CTX_free(c); }
};
struct BnFree {
    void operator()(BIGNUM *b) const noexcept { BN_free(b); }
};

inline std::string b64url(std::string_view bytes) {
    return aadcred::base64url_encode(bytes);
}

class TestKey {
  public:
    TestKey(unsigned bits, std::string kid) : kid_(std::move(kid)) {
        key_.reset(EVP_RSA_gen(bits));
        if (!key_) throw std::runtime_error("EVP_RSA_gen failed");
        n_ = param("n");
        e_ = param("e");
    }

    const std::string &kid() const { return kid_; }
    const std::string &n() const { return n_; }
    const std::string &e() const { return e_; }

    /// RS256 over the signing input "b64(header).b64(payload)".
    std::string sign_input(std::string_view input) const {
        std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
        std::size_t len = 0;
        if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
            EVP_DigestSign(md.get(), nullptr, &len,
                           reinterpret_cast<const unsigned char *>(input.data()),
                           input.size()) != 1)
            throw std::runtime_error("sign failed");
        std::string sig(len, '\0');
        if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                           reinterpret_cast<const unsigned char *>(input.data()),
                           input.size()) != 1)
            throw std::runtime_error("sign failed");
        sig.resize(len);
        return sig;
    }

    /// A compact JWS of these header and claims JSON texts.
    std::string sign(std::string_view header, std::string_view claims) const {
        const std::string input = b64url(header) + "." + b64url(claims);
        return input + "." + b64url(sign_input(input));
    }

    /// The key as a JWK (what the authority's JWKS lists).
    std::string jwk(std::string_view extra = {}) const {
        std::string out = "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + kid_ + "\",\"x5t\":\"" +
                          kid_ + "\",\"n\":\"" + b64url(n_) + "\",\"e\":\"" + b64url(e_) + "\"";
        if (!extra.empty()) out += "," + std::string(extra);
        return out + "}";
    }

  private:
    std::string param(const char *name) const {
        BIGNUM *raw = nullptr;
        if (EVP_PKEY_get_bn_param(key_.get(), name, &raw) != 1)
            throw std::runtime_error("get_bn_param failed");
        std::unique_ptr<BIGNUM, BnFree> bn(raw);
        std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
        BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(out.data()));
        return out;
    }

    std::unique_ptr<EVP_PKEY, PkeyFree> key_;
    std::string kid_;
    std::string n_;
    std::string e_;
};

/// A JSON object from (name, raw JSON value) pairs, in this order.
inline std::string object(const std::vector<std::pair<std::string, std::string>> &members) {
    std::string out = "{";
    for (const auto &[name, value] : members) {
        if (out.size() > 1) out += ",";
        out += "\"" + name + "\":" + value;
    }
    return out + "}";
}

/// A JWK Set (what the authority's keys endpoint returns) of these JWKs, in this order.
inline std::string jwks(std::initializer_list<std::string> keys) {
    std::string out = "{\"keys\":[";
    for (const auto &k : keys) out += (out.back() == '[' ? "" : ",") + k;
    return out + "]}";
}

inline std::string quoted(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

}  // namespace aadcred::test
