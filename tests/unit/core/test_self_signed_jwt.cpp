// ADAL's client assertion (reference §2.4, vector V7): thumbprint normalisation and x5t,
// the header and payload a server reads, an RS256 signature the certificate's public key
// verifies, and ADAL's error texts.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <regex>
#include <string>

#include "../common/client_cert_fixture.hpp"
#include "core/adal_error.hpp"
#include "core/jose/self_signed_jwt.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;

namespace {

constexpr const char *kAudience =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token";
constexpr const char *kClient = "d6835713-b745-48d1-bb62-7a8248477d35";
constexpr std::int64_t kNbf = 1418433646;  // V7's nbf

struct Jwt {
    rapidjson::Document header;
    rapidjson::Document payload;
    std::string signing_input;
    std::string signature;
};

Jwt split(const SecretString &jwt) {
    const std::string &text = jwt.reveal();
    const auto first = text.find('.');
    const auto second = text.find('.', first + 1);
    assert_true(first != std::string::npos && second != std::string::npos);
    assert_true(text.find('.', second + 1) == std::string::npos);
    Jwt out;
    const auto header = base64url_decode_strict(text.substr(0, first));
    const auto payload = base64url_decode_strict(text.substr(first + 1, second - first - 1));
    const auto signature = base64url_decode_strict(text.substr(second + 1));
    assert_true(header && payload && signature);
    out.header = json::parse(*header);
    out.payload = json::parse(*payload);
    out.signing_input = text.substr(0, second);
    out.signature = *signature;
    return out;
}

SelfSignedJwtInput input() {
    SelfSignedJwtInput in;
    in.client_id = kClient;
    in.audience = kAudience;
    in.thumbprint = test::kClientCertThumbprint;
    in.now = std::chrono::system_clock::from_time_t(kNbf);
    return in;
}

std::string error_of(const std::function<void()> &call) {
    try {
        call();
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::invalid));
        return e.message();
    }
    return "<no error>";
}

struct X509Free {
    void operator()(X509 *x) const noexcept { X509_free(x); }
};
struct BioFree {
    void operator()(BIO *b) const noexcept { BIO_free(b); }
};

bool verifies_with_certificate(const std::string &input, const std::string &signature) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(test::kClientCertPem, -1));
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    assert_non_null(cert.get());
    EVP_PKEY *key = X509_get0_pubkey(cert.get());
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    const bool ok =
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                         signature.size(), reinterpret_cast<const unsigned char *>(input.data()),
                         input.size()) == 1;
    ERR_clear_error();
    return ok;
}

std::string pkcs8_of_fixture_key() {
    std::unique_ptr<BIO, BioFree> in(BIO_new_mem_buf(test::kClientKeyPem, -1));
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY *)> key(
        PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    assert_non_null(key.get());
    std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
    assert_int_equal(
        PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
        1);
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

void v7_thumbprint_to_x5t(void **) {
    const std::string normalized =
        normalize_thumbprint("B8:D3:FC:F1:51:50:63:7F:B0:ED:EE:32:C5:A2:4B:A2:28:D8:93:91");
    assert_string_equal(normalized.c_str(), "b8d3fcf15150637fb0edee32c5a24ba228d89391");
    assert_string_equal(x5t_of_thumbprint(normalized).c_str(), "uNP88VFQY3-w7e4yxaJLoijYk5E=");
    // Spaces, colons and case do not matter (upstream test_self_signed_jwt).
    assert_string_equal(
        normalize_thumbprint("b8 d3 fc f1 51 50 63 7f b0 ed ee 32 c5 a2 4b a2 28 d8 93 91").c_str(),
        normalized.c_str());
    // An MD5 thumbprint (32 hex digits) is accepted too.
    assert_string_equal(normalize_thumbprint("00112233445566778899AABBCCDDEEFF").c_str(),
                        "00112233445566778899aabbccddeeff");
}

void bad_thumbprints_use_adals_text(void **) {
    for (const char *bad :
         {"", "b8d3fc", "b8d3fcf15150637fb0edee32c5a24ba228d893911",
          "g8d3fcf15150637fb0edee32c5a24ba228d89391", "b8d3fcf15150637fb0edee32c5a24ba228d8939-"}) {
        assert_string_equal(error_of([&] { normalize_thumbprint(bad); }).c_str(),
                            "The thumbprint does not match a known format");
    }
    // The thumbprint is checked before the key is even read.
    SelfSignedJwtInput in = input();
    in.thumbprint = "nope";
    assert_string_equal(
        error_of([&] { create_self_signed_jwt(SecretString(std::string("junk")), in); }).c_str(),
        "The thumbprint does not match a known format");
}

void header_and_payload_fields(void **) {
    SelfSignedJwtInput in = input();
    in.jti = "09841beb-a2c2-4777-a347-34ef055238a8";
    const Jwt jwt =
        split(create_self_signed_jwt(SecretString(std::string(test::kClientKeyPem)), in));
    assert_string_equal(jwt.header["typ"].GetString(), "JWT");
    assert_string_equal(jwt.header["alg"].GetString(), "RS256");
    assert_string_equal(jwt.header["x5t"].GetString(),
                        x5t_of_thumbprint(normalize_thumbprint(in.thumbprint)).c_str());
    assert_false(jwt.header.HasMember("x5c"));
    assert_int_equal(jwt.header.MemberCount(), 3);

    assert_string_equal(jwt.payload["aud"].GetString(), kAudience);
    assert_string_equal(jwt.payload["iss"].GetString(), kClient);
    assert_string_equal(jwt.payload["sub"].GetString(), kClient);
    assert_int_equal(jwt.payload["nbf"].GetInt64(), kNbf);
    assert_int_equal(jwt.payload["exp"].GetInt64(), kNbf + 600);  // V7: exp = nbf + 600
    assert_string_equal(jwt.payload["jti"].GetString(), "09841beb-a2c2-4777-a347-34ef055238a8");
    assert_int_equal(jwt.payload.MemberCount(), 6);
}

void fresh_jti_each_time(void **) {
    const SecretString key{std::string(test::kClientKeyPem)};
    const Jwt a = split(create_self_signed_jwt(key, input()));
    const Jwt b = split(create_self_signed_jwt(key, input()));
    const std::regex uuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assert_true(std::regex_match(a.payload["jti"].GetString(), uuid4));
    assert_string_not_equal(a.payload["jti"].GetString(), b.payload["jti"].GetString());
}

void signature_verifies_with_the_certificate(void **) {
    const Jwt jwt =
        split(create_self_signed_jwt(SecretString(std::string(test::kClientKeyPem)), input()));
    assert_int_equal(jwt.signature.size(), 256);  // RSA 2048
    assert_true(verifies_with_certificate(jwt.signing_input, jwt.signature));
    std::string tampered = jwt.signing_input;
    tampered[tampered.size() - 2] ^= 1;
    assert_false(verifies_with_certificate(tampered, jwt.signature));
}

void pkcs8_key_is_accepted(void **) {
    const Jwt jwt = split(create_self_signed_jwt(SecretString(pkcs8_of_fixture_key()), input()));
    assert_true(verifies_with_certificate(jwt.signing_input, jwt.signature));
}

void x5c_from_public_certificate(void **) {
    SelfSignedJwtInput in = input();
    // A chain of two: both bodies, in order, without line breaks.
    in.public_certificate_pem = std::string(test::kClientCertPem) + test::kClientCertPem;
    const Jwt jwt =
        split(create_self_signed_jwt(SecretString(std::string(test::kClientKeyPem)), in));
    const rapidjson::Value &x5c = jwt.header["x5c"];
    assert_true(x5c.IsArray());
    assert_int_equal(x5c.Size(), 2);
    const std::string body = x5c[0].GetString();
    assert_true(body.find('\n') == std::string::npos);
    assert_string_equal(x5c[1].GetString(), body.c_str());
    // RFC 7515 §4.1.6: base64 (not url) DER; it starts with a DER SEQUENCE (0x30).
    const auto der = base64_decode(body);
    assert_true(der.has_value());
    assert_int_equal(static_cast<unsigned char>((*der)[0]), 0x30);
    // ADAL's fallback: text without a CERTIFICATE block is sent trimmed.
    assert_int_equal(x5c_of_public_certificate("  MIIBxyz \n").size(), 1);
    assert_string_equal(x5c_of_public_certificate("  MIIBxyz \n")[0].c_str(), "MIIBxyz");
}

void key_errors_use_adals_texts(void **) {
    const std::string bad_key =
        "Error:Invalid Certificate: Expected Start of Certificate to be "
        "'-----BEGIN RSA PRIVATE KEY-----'";
    assert_string_equal(error_of([] {
                            create_self_signed_jwt(SecretString(std::string("garbage")), input());
                        }).c_str(),
                        bad_key.c_str());
    // A certificate where the private key belongs.
    assert_string_equal(error_of([] {
                            create_self_signed_jwt(SecretString(std::string(test::kClientCertPem)),
                                                   input());
                        }).c_str(),
                        bad_key.c_str());
    // A private key where the public certificate belongs.
    SelfSignedJwtInput in = input();
    in.public_certificate_pem = test::kClientKeyPem;
    assert_string_equal(error_of([&] {
                            create_self_signed_jwt(SecretString(std::string(test::kClientKeyPem)),
                                                   in);
                        }).c_str(),
                        "We expect your public key but detect a private key instead");
    assert_int_equal(ERR_peek_error(), 0);  // the OpenSSL error queue is left clean
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v7_thumbprint_to_x5t),
        cmocka_unit_test(bad_thumbprints_use_adals_text),
        cmocka_unit_test(header_and_payload_fields),
        cmocka_unit_test(fresh_jti_each_time),
        cmocka_unit_test(signature_verifies_with_the_certificate),
        cmocka_unit_test(pkcs8_key_is_accepted),
        cmocka_unit_test(x5c_from_public_certificate),
        cmocka_unit_test(key_errors_use_adals_texts),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
