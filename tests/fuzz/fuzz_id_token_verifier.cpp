// id_token verification (RFC 7515 compact JWS, RS256, OpenID Connect Core §3.1.3.7 and
// AAD's tid rules). The verifier parses no claim before the signature holds, so random
// tokens never get past it: odd first bytes therefore make the target sign the input
// itself — "HEADER_JSON\nPAYLOAD_JSON" — with a key the lookup knows, and the claim
// checks see hostile claims. Even first bytes pass the rest as a raw token.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/adal_error.hpp"
#include "core/jose/id_token_verifier.hpp"
#include "core/jose/jwk_set.hpp"
#include "fuzz_core.hpp"
#include "util/base64.hpp"

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY *key) const noexcept { EVP_PKEY_free(key); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct BnFree {
    void operator()(BIGNUM *bn) const noexcept { BN_free(bn); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string big_endian(const Pkey &key, const char *param) {
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key.get(), param, &raw) != 1) std::abort();
    const std::unique_ptr<BIGNUM, BnFree> bn(raw);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

// One key per process: generating RSA keys per input would dominate the run.
struct Signer {
    Pkey private_key{EVP_RSA_gen(2048)};
    std::shared_ptr<const aadcred::SigningKey> public_key;

    Signer() {
        if (!private_key) std::abort();
        auto key = std::make_shared<aadcred::SigningKey>(aadcred::SigningKey{
            "fuzz-kid", "fuzz-x5t",
            aadcred::RsaPublicKey(big_endian(private_key, OSSL_PKEY_PARAM_RSA_N),
                                  big_endian(private_key, OSSL_PKEY_PARAM_RSA_E))});
        public_key = std::move(key);
    }

    std::string sign(std::string_view signing_input) const {
        const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
        std::size_t length = 0;
        if (!ctx ||
            EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, private_key.get()) != 1 ||
            EVP_DigestSign(ctx.get(), nullptr, &length,
                           reinterpret_cast<const unsigned char *>(signing_input.data()),
                           signing_input.size()) != 1) {
            std::abort();
        }
        std::string signature(length, '\0');
        if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                           reinterpret_cast<const unsigned char *>(signing_input.data()),
                           signing_input.size()) != 1) {
            std::abort();
        }
        signature.resize(length);
        return signature;
    }
};

const Signer &signer() {
    static const Signer instance;
    return instance;
}

aadcred::IdentityPolicy policy_for(std::uint8_t mode) {
    aadcred::IdentityPolicy policy;
    policy.client_id = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    policy.issuer = (mode & 2) ? "https://login.microsoftonline.com/{tenantid}/v2.0"
                               : "https://sts.windows.net/{tenantid}/";
    if (mode & 4) policy.allowed_tenants = {"72f988bf-86f1-41af-91ab-2d7cd011db47"};
    if (mode & 8) policy.authority_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    policy.require_tid = (mode & 16) == 0;
    return policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view rest = aadcred::fuzz::as_text(data + 1, size - 1);
    std::string token;
    if (mode & 1) {
        const auto newline = rest.find('\n');
        if (newline == std::string_view::npos) return 0;
        token = aadcred::base64url_encode(rest.substr(0, newline)) + '.' +
                aadcred::base64url_encode(rest.substr(newline + 1));
        token += '.' + aadcred::base64url_encode(signer().sign(token));
    } else {
        token = std::string(rest);
    }
    // Claims in the seeds are issued around this instant (2023-11-14).
    const aadcred::IdTokenVerifier verifier(policy_for(mode), [] {
        return std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}};
    });
    const auto lookup = [](std::string_view kid, std::string_view x5t) {
        const auto &key = signer().public_key;
        return (kid == key->kid || x5t == key->x5t) ? key : nullptr;
    };
    try {
        const aadcred::VerifiedIdToken verified = verifier.verify(token, lookup);
        for (const auto &[name, value] : verified.claims) {
            if (verified.claim(name) == nullptr) std::abort();
        }
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
