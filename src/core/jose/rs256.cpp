// RS256 verification on OpenSSL 3: the public key from (n, e) through OSSL_PARAM_BLD and
// EVP_PKEY_fromdata (the RSA_* functions are deprecated in 3.0), the signature through
// EVP_DigestVerify, whose default RSA padding is PKCS #1 v1.5 as RFC 7518 §3.3 wants.
// Every failure clears this thread's OpenSSL error queue: a PAM module shares the
// thread with its host (sshd, gdm), which may read that queue for its own errors.

#include "core/jose/rs256.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <string>

#include "core/adal_error.hpp"

namespace aadcred {
namespace {

struct BnFree {
    void operator()(BIGNUM *bn) const noexcept { BN_free(bn); }
};
struct ParamBuildFree {
    void operator()(OSSL_PARAM_BLD *bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
    void operator()(OSSL_PARAM *params) const noexcept { OSSL_PARAM_free(params); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX *ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using Bignum = std::unique_ptr<BIGNUM, BnFree>;

[[noreturn]] void bad_key(const std::string &why) {
    ERR_clear_error();
    throw AdalError(ErrorClass::protocol, "Unusable RSA signing key: " + why);
}

Bignum to_bignum(std::string_view bytes, const char *name) {
    if (bytes.empty()) bad_key(std::string(name) + " is empty");
    Bignum bn(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.data()),
                        static_cast<int>(bytes.size()), nullptr));
    if (!bn) bad_key(std::string("cannot read ") + name);
    return bn;
}

}  // namespace

void RsaPublicKey::PkeyFree::operator()(EVP_PKEY *key) const noexcept {
    EVP_PKEY_free(key);
}

RsaPublicKey::RsaPublicKey(std::string_view modulus, std::string_view exponent) {
    // Bytes first, so BN_bin2bn never sees a hostile length (its int parameter).
    if (modulus.size() > kMaxRsaBits / 8 + 1) bad_key("the modulus is larger than 8192 bits");
    if (exponent.size() > 8) bad_key("the exponent is longer than 8 bytes");
    const Bignum n = to_bignum(modulus, "the modulus");
    const Bignum e = to_bignum(exponent, "the exponent");
    const int bits = BN_num_bits(n.get());
    if (bits < kMinRsaBits)
        bad_key("the modulus has " + std::to_string(bits) + " bits, below 2048");
    if (bits > kMaxRsaBits) bad_key("the modulus is larger than 8192 bits");
    // e = 1 makes every "signature" its own message; an even e is no RSA key at all.
    if (!BN_is_odd(e.get()) || BN_is_one(e.get())) bad_key("the exponent is not an odd number > 1");

    const std::unique_ptr<OSSL_PARAM_BLD, ParamBuildFree> build(OSSL_PARAM_BLD_new());
    if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        bad_key("OpenSSL could not hold the parameters");
    const std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(build.get()));
    const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        bad_key("OpenSSL refused the key");
    key_.reset(raw);
    bits_ = bits;
}

bool RsaPublicKey::verify_rs256(std::string_view signing_input,
                                std::string_view signature) const noexcept {
    // RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus. Checked
    // here so no shorter or padded byte string ever reaches the RSA primitive.
    if (!key_ || signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key_.get())))
        return false;
    const std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
    const bool ok =
        md &&
        EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, key_.get(),
                                nullptr) == 1 &&
        EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                         signature.size(),
                         reinterpret_cast<const unsigned char *>(signing_input.data()),
                         signing_input.size()) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace aadcred
