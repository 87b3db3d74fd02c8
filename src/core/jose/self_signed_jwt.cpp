// The RS256 client assertion (reference §2.4) signed with OpenSSL 3's EVP_DigestSign,
// whose default RSA padding is PKCS #1 v1.5 as RFC 7518 §3.3 wants. Every failure clears
// this thread's OpenSSL error queue (the host process may read it for its own errors).

#include "core/jose/self_signed_jwt.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <ctime>
#include <memory>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"
#include "util/uuid.hpp"

namespace aadcred {
namespace {

constexpr std::string_view kBadKey =
    "Error:Invalid Certificate: Expected Start of Certificate to be "
    "'-----BEGIN RSA PRIVATE KEY-----'";
constexpr std::string_view kSignFailed =
    "Failed to sign JWT. This is most likely due to an invalid certificate.";
constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

struct BioFree {
    void operator()(BIO *bio) const noexcept { BIO_free(bio); }
};
struct PkeyFree {
    void operator()(EVP_PKEY *key) const noexcept { EVP_PKEY_free(key); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

[[noreturn]] void fail(std::string_view message) {
    ERR_clear_error();
    throw AdalError(ErrorClass::invalid, std::string(message));
}

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::unique_ptr<EVP_PKEY, PkeyFree> read_rsa_key(const SecretString &pem) {
    if (pem.empty() || pem.size() > kMaxPemBytes) fail(kBadKey);
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.c_str(), static_cast<int>(pem.size())));
    if (!bio) fail(kBadKey);
    // No passphrase callback: an encrypted key fails here rather than prompting on a tty.
    std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char *, int, int, void *) { return 0; }, nullptr));
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) fail(kBadKey);
    return key;
}

std::string sign_rs256(EVP_PKEY *key, std::string_view input) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char *>(input.data()), input.size()) != 1 ||
        size == 0) {
        fail(kSignFailed);
    }
    std::string signature(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &size,
                       reinterpret_cast<const unsigned char *>(input.data()), input.size()) != 1 ||
        size == 0) {
        fail(kSignFailed);
    }
    signature.resize(size);
    return signature;
}

std::string header_json(const SelfSignedJwtInput &input) {
    // ADAL's header dict order: typ, alg, x5t, then x5c when a public certificate is given.
    std::string out = R"({"typ":"JWT","alg":"RS256","x5t":)";
    json::append_quoted(out, x5t_of_thumbprint(normalize_thumbprint(input.thumbprint)));
    if (!input.public_certificate_pem.empty()) {
        out += R"(,"x5c":[)";
        bool first = true;
        for (const auto &cert : x5c_of_public_certificate(input.public_certificate_pem)) {
            if (!first) out += ',';
            first = false;
            json::append_quoted(out, cert);
        }
        out += ']';
    }
    out += '}';
    return out;
}

std::string payload_json(const SelfSignedJwtInput &input) {
    // ADAL's nbf is int(time.mktime(now)): whole seconds since the epoch.
    const auto nbf =
        std::chrono::duration_cast<std::chrono::seconds>(input.now.time_since_epoch()).count();
    std::string out = R"({"aud":)";
    json::append_quoted(out, input.audience);
    out += R"(,"iss":)";
    json::append_quoted(out, input.client_id);
    out += R"(,"sub":)";
    json::append_quoted(out, input.client_id);
    out += R"(,"nbf":)" + std::to_string(nbf);
    out += R"(,"exp":)" + std::to_string(nbf + kSelfSignedJwtLifetime.count());
    out += R"(,"jti":)";
    json::append_quoted(out, input.jti.empty() ? uuid4() : input.jti);
    out += '}';
    return out;
}

}  // namespace

std::string normalize_thumbprint(std::string_view thumbprint) {
    std::string out;
    for (char c : thumbprint) {
        if (c == ' ' || c == ':') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (out.size() > 40) break;
    }
    bool hex = true;
    for (char c : out) hex = hex && hex_value(c) >= 0;
    if (!hex || (out.size() != 32 && out.size() != 40))
        throw AdalError(ErrorClass::invalid, "The thumbprint does not match a known format");
    return out;
}

std::string x5t_of_thumbprint(std::string_view normalized_thumbprint) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < normalized_thumbprint.size(); i += 2) {
        bytes += static_cast<char>(hex_value(normalized_thumbprint[i]) * 16 +
                                   hex_value(normalized_thumbprint[i + 1]));
    }
    return base64url_encode(bytes, true);
}

std::vector<std::string> x5c_of_public_certificate(std::string_view pem) {
    if (pem.size() > kMaxPemBytes)
        throw AdalError(ErrorClass::invalid, "The public certificate is larger than 256 KiB");
    std::vector<std::string> certs;
    std::size_t pos = 0;
    while ((pos = pem.find(kBegin, pos)) != std::string_view::npos) {
        const std::size_t body = pos + kBegin.size();
        const std::size_t end = pem.find(kEnd, body);
        if (end == std::string_view::npos) break;
        std::string cert;
        for (char c : pem.substr(body, end - body))
            if (!is_space(c)) cert += c;
        certs.push_back(std::move(cert));
        pos = end + kEnd.size();
    }
    if (!certs.empty()) return certs;
    if (pem.find("PRIVATE KEY") != std::string_view::npos)
        throw AdalError(ErrorClass::invalid,
                        "We expect your public key but detect a private key instead");
    certs.emplace_back(trimmed(pem));
    return certs;
}

SecretString create_self_signed_jwt(const SecretString &private_key_pem,
                                    const SelfSignedJwtInput &input) {
    // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
    std::string signing_input =
        base64url_encode(header_json(input)) + '.' + base64url_encode(payload_json(input));
    const auto key = read_rsa_key(private_key_pem);
    const std::string signature = sign_rs256(key.get(), signing_input);
    signing_input += '.';
    signing_input += base64url_encode(signature);
    return SecretString(std::move(signing_input));
}

}  // namespace aadcred
