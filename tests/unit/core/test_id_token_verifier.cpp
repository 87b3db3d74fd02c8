// The forgery matrix (issue 4): every way a token can be wrong must be refused, and the
// right token accepted. Tokens are signed here with real RSA keys.

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "../common/jws_fixture.hpp"
#include "core/adal_error.hpp"
#include "core/jose/id_token_verifier.hpp"
#include "core/jose/jwk_set.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::AdalError;
using aadcred::IdentityPolicy;
using aadcred::IdTokenVerifier;
using aadcred::VerifiedIdToken;
using aadcred::test::object;
using aadcred::test::quoted;
using aadcred::test::TestKey;

constexpr const char *kTid = "cceba14c-6a00-49ac-b806-84de52bf1d42";
constexpr const char *kClient = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
constexpr std::int64_t kNow = 1'800'000'000;

struct Fixture {
    TestKey authority{2048, "authority-key"};
    TestKey forger{2048, "authority-key"};  // same kid, different key
    aadcred::KeySet keys;
};
std::unique_ptr<Fixture> g;

int setup(void **) {
    g = std::make_unique<Fixture>();
    g->keys = aadcred::parse_jwks(aadcred::test::jwks({g->authority.jwk()}));
    return 0;
}

int teardown(void **) {
    g.reset();
    return 0;
}

std::string header(std::string_view alg = "RS256", std::string_view kid = "authority-key") {
    return object({{"typ", quoted("JWT")}, {"alg", quoted(alg)}, {"kid", quoted(kid)}});
}

// A good v1 id_token's claims; `change` edits them (value "" removes the claim).
std::string claims(const std::map<std::string, std::string> &change = {}) {
    std::vector<std::pair<std::string, std::string>> c = {
        {"aud", quoted(kClient)},
        {"iss", quoted(std::string("https://sts.windows.net/") + kTid + "/")},
        {"iat", std::to_string(kNow - 10)},
        {"nbf", std::to_string(kNow - 10)},
        {"exp", std::to_string(kNow + 3600)},
        {"tid", quoted(kTid)},
        {"upn", quoted("alice@contoso.com")},
        {"oid", quoted("0a2a59bc-9587-51d3-8c5e-7b0e0e0e0e0e")},
    };
    std::vector<std::pair<std::string, std::string>> out;
    for (auto &[name, value] : c) {
        auto it = change.find(name);
        if (it == change.end())
            out.emplace_back(name, value);
        else if (!it->second.empty())
            out.emplace_back(name, it->second);
    }
    for (auto &[name, value] : change) {
        bool known = false;
        for (auto &m : c) known = known || m.first == name;
        if (!known && !value.empty()) out.emplace_back(name, value);
    }
    return object(out);
}

IdentityPolicy policy() {
    IdentityPolicy p;
    p.client_id = kClient;
    p.issuer = "https://sts.windows.net/{tenantid}/";
    return p;
}

VerifiedIdToken verify(const std::string &token, IdentityPolicy p = policy()) {
    const IdTokenVerifier verifier(std::move(p), [] {
        return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
    });
    return verifier.verify(token, [](std::string_view kid, std::string_view x5t) {
        const aadcred::SigningKey *k = g->keys.find(kid, x5t);
        return k == nullptr
                   ? nullptr
                   : std::shared_ptr<const aadcred::SigningKey>(std::shared_ptr<void>(), k);
    });
}

// Asserts the token is refused with a message containing `why`.
void refused(const std::string &token, const char *why, IdentityPolicy p = policy()) {
    try {
        verify(token, std::move(p));
    } catch (const AdalError &e) {
        if (std::strstr(e.what(), why) == nullptr) {
            print_error("refused for '%s', expected '%s'\n", e.what(), why);
            fail();
        }
        assert_int_equal(static_cast<int>(e.klass()),
                         static_cast<int>(aadcred::ErrorClass::protocol));
        return;
    }
    print_error("accepted a token that should be refused (%s)\n", why);
    fail();
}

void accepts_the_authoritys_token(void **) {
    const VerifiedIdToken v = verify(g->authority.sign(header(), claims()));
    assert_non_null(v.claim("upn"));
    assert_string_equal(v.claim("upn")->c_str(), "alice@contoso.com");
    assert_string_equal(v.claim("tid")->c_str(), kTid);
    assert_string_equal(v.claim("exp")->c_str(), std::to_string(kNow + 3600).c_str());
    assert_null(v.claim("email"));
    assert_non_null(std::strstr(v.payload.c_str(), "\"oid\""));
}

// Issue 9: a NUL would cut the claim short in C ("alice\u0000@evil.example" reads as
// "alice"); newlines, escapes and C1 controls are refused alike. The token itself stays
// verified: only the claim is unusable, and the others are still there.
void refuses_claims_with_control_characters(void **) {
    for (const char *upn : {"alice\\u0000@evil.example", "alice@contoso.com\\n", "alice\\u001b[2J",
                            "alice\\u007f", "alice\\u0085@contoso.com", "\\u0000"}) {
        // quoted() does not escape: the JSON escapes in `upn` reach the token as written.
        const VerifiedIdToken v =
            verify(g->authority.sign(header(), claims({{"upn", quoted(upn)}})));
        if (v.claim("upn") != nullptr) {
            print_error("claim %s was accepted\n", upn);
            fail();
        }
        assert_string_equal(v.claim("tid")->c_str(), kTid);
    }
    // Printable non-ASCII text is not a control.
    const VerifiedIdToken v =
        verify(g->authority.sign(header(), claims({{"name", quoted("Zoë Ünal")}})));
    assert_string_equal(v.claim("name")->c_str(), "Zoë Ünal");
}

void refuses_alg_none(void **) {
    const std::string unsigned_token =
        aadcred::test::b64url(header("none")) + "." + aadcred::test::b64url(claims()) + ".";
    refused(unsigned_token, "unsigned");
    // "none" with something in the signature part is still not RS256.
    refused(aadcred::test::b64url(header("none")) + "." + aadcred::test::b64url(claims()) + ".AAAA",
            "is not RS256");
}

void refuses_other_algorithms(void **) {
    // HS256 keyed with the public modulus: the classic algorithm-confusion forgery.
    const std::string input =
        aadcred::test::b64url(header("HS256")) + "." + aadcred::test::b64url(claims());
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), g->authority.n().data(), static_cast<int>(g->authority.n().size()),
         reinterpret_cast<const unsigned char *>(input.data()), input.size(), mac, &len);
    refused(input + "." + aadcred::test::b64url(std::string(reinterpret_cast<char *>(mac), len)),
            "is not RS256");
    refused(g->authority.sign(header("RS512"), claims()), "is not RS256");
    refused(g->authority.sign(header("rs256"), claims()), "is not RS256");
    refused(g->authority.sign("{\"typ\":\"JWT\",\"kid\":\"authority-key\"}", claims()),
            "no \"alg\"");
}

void refuses_a_bad_signature(void **) {
    const std::string good = g->authority.sign(header(), claims());
    const auto dot = good.rfind('.');
    std::string sig = *aadcred::base64url_decode_strict(good.substr(dot + 1));
    sig[sig.size() / 2] ^= 0x01;
    refused(good.substr(0, dot + 1) + aadcred::test::b64url(sig), "bad signature");
    // Cut short: the length no longer matches the modulus.
    refused(good.substr(0, dot + 1) + aadcred::test::b64url(sig.substr(0, 128)), "bad signature");
}

void refuses_a_forgers_key_with_the_same_kid(void **) {
    refused(g->forger.sign(header(), claims()), "bad signature");
}

void refuses_another_payload_under_a_good_signature(void **) {
    const std::string good = g->authority.sign(header(), claims());
    const auto first = good.find('.');
    const auto last = good.rfind('.');
    const std::string bob = aadcred::test::b64url(claims({{"upn", quoted("bob@contoso.com")}}));
    refused(good.substr(0, first + 1) + bob + good.substr(last), "bad signature");
}

void refuses_an_unknown_kid(void **) {
    refused(g->authority.sign(header("RS256", "rolled-over-key"), claims()), "no signing key");
    refused(g->authority.sign("{\"alg\":\"RS256\"}", claims()), "names no key");
}

void finds_the_key_by_x5t(void **) {
    const VerifiedIdToken v =
        verify(g->authority.sign("{\"alg\":\"RS256\",\"x5t\":\"authority-key\"}", claims()));
    assert_non_null(v.claim("upn"));
}

void refuses_a_wrong_audience(void **) {
    refused(g->authority.sign(header(), claims({{"aud", quoted("another-app")}})), "\"aud\"");
    refused(g->authority.sign(header(), claims({{"aud", ""}})), "no \"aud\"");
    refused(g->authority.sign(header(), claims({{"aud", "[\"x\",\"y\"]"}})), "\"aud\"");
    // Several audiences need azp = us (OIDC Core 3.1.3.7).
    const std::string both = "[\"other\",\"" + std::string(kClient) + "\"]";
    refused(g->authority.sign(header(), claims({{"aud", both}})), "azp");
    verify(g->authority.sign(header(), claims({{"aud", both}, {"azp", quoted(kClient)}})));
    // Client ids are GUIDs: case does not matter.
    verify(g->authority.sign(header(),
                             claims({{"aud", quoted("04B07795-8DDB-461A-BBEE-02F9E1BF7B46")}})));
}

void refuses_a_wrong_issuer(void **) {
    refused(g->authority.sign(header(), claims({{"iss", quoted("https://evil.example/")}})),
            "\"iss\"");
    refused(g->authority.sign(header(), claims({{"iss", ""}})), "no \"iss\"");
    // The issuer of another tenant than the token's own tid.
    refused(
        g->authority.sign(
            header(),
            claims({{"iss",
                     quoted("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/")}})),
        "\"iss\"");
    // v2 issuer for a v1 policy.
    refused(g->authority.sign(
                header(), claims({{"iss", quoted(std::string("https://login.microsoftonline.com/") +
                                                 kTid + "/v2.0")}})),
            "\"iss\"");
}

void refuses_a_tenant_other_than_the_authoritys(void **) {
    IdentityPolicy p = policy();
    p.authority_tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    refused(g->authority.sign(header(), claims()), "authority's tenant", p);
    p.authority_tenant = "contoso.onmicrosoft.com";  // a name binds nothing here
    verify(g->authority.sign(header(), claims()), p);
}

void refuses_an_expired_token(void **) {
    refused(g->authority.sign(header(), claims({{"exp", std::to_string(kNow - 301)}})), "expired");
    refused(g->authority.sign(header(), claims({{"exp", ""}})), "no \"exp\"");
    refused(g->authority.sign(header(), claims({{"exp", quoted("1900000000")}})), "NumericDate");
    // Within the 5 minutes of skew: still good.
    verify(g->authority.sign(header(), claims({{"exp", std::to_string(kNow - 299)}})));
}

void refuses_a_token_not_valid_yet(void **) {
    refused(g->authority.sign(header(), claims({{"nbf", std::to_string(kNow + 301)}})), "nbf");
    verify(g->authority.sign(header(), claims({{"nbf", std::to_string(kNow + 299)}})));
    verify(g->authority.sign(header(), claims({{"nbf", ""}})));  // nbf is optional
}

void refuses_a_tenant_not_allowed(void **) {
    IdentityPolicy p = policy();
    p.allowed_tenants = {"72f988bf-86f1-41af-91ab-2d7cd011db47"};
    refused(g->authority.sign(header(), claims()), "tenant is not allowed", p);
    p.allowed_tenants.push_back("CCEBA14C-6A00-49AC-B806-84DE52BF1D42");
    verify(g->authority.sign(header(), claims()), p);
}

void refuses_a_missing_tid(void **) {
    refused(g->authority.sign(header(), claims({{"tid", ""}})), "\"tid\"");
    refused(g->authority.sign(header(), claims({{"tid", quoted("x/../../evil")}})),
            "not a tenant id");
}

void refuses_malformed_tokens(void **) {
    const std::string good = g->authority.sign(header(), claims());
    refused(good.substr(0, good.rfind('.')), "three parts");
    refused(good + ".x", "three parts");
    refused("", "three parts");
    refused("%%%." + good.substr(good.find('.') + 1), "base64url");
    refused(g->authority.sign("[1,2]", claims()), "not a JSON object");
    refused(g->authority.sign("{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"authority-key\"}",
                              claims()),
            "repeats");
    refused(g->authority.sign(header(), "{\"upn\":\"a\",\"upn\":\"b\"}"), "repeats");
    refused(g->authority.sign(header(), "not json"), "not JSON");
    refused(g->authority.sign("{\"alg\":\"RS256\",\"kid\":\"authority-key\",\"crit\":[\"exp\"]}",
                              claims()),
            "crit");
    refused(std::string(aadcred::kMaxIdTokenBytes + 1, 'a'), "larger than");
}

void refuses_weak_keys_in_the_jwks(void **) {
    const TestKey weak(1024, "weak");
    try {
        aadcred::parse_jwks(aadcred::test::jwks({weak.jwk()}));
        fail();
    } catch (const AdalError &e) {
        assert_non_null(std::strstr(e.what(), "no usable RSA signing key"));
    }
    try {
        aadcred::RsaPublicKey key(weak.n(), weak.e());
        fail();
    } catch (const AdalError &e) {
        assert_non_null(std::strstr(e.what(), "below 2048"));
    }
}

void policy_needs_client_id_and_issuer(void **) {
    IdentityPolicy p = policy();
    p.client_id.clear();
    try {
        IdTokenVerifier v(p);
        fail();
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()),
                         static_cast<int>(aadcred::ErrorClass::invalid));
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_the_authoritys_token),
        cmocka_unit_test(refuses_claims_with_control_characters),
        cmocka_unit_test(refuses_alg_none),
        cmocka_unit_test(refuses_other_algorithms),
        cmocka_unit_test(refuses_a_bad_signature),
        cmocka_unit_test(refuses_a_forgers_key_with_the_same_kid),
        cmocka_unit_test(refuses_another_payload_under_a_good_signature),
        cmocka_unit_test(refuses_an_unknown_kid),
        cmocka_unit_test(finds_the_key_by_x5t),
        cmocka_unit_test(refuses_a_wrong_audience),
        cmocka_unit_test(refuses_a_wrong_issuer),
        cmocka_unit_test(refuses_a_tenant_other_than_the_authoritys),
        cmocka_unit_test(refuses_an_expired_token),
        cmocka_unit_test(refuses_a_token_not_valid_yet),
        cmocka_unit_test(refuses_a_tenant_not_allowed),
        cmocka_unit_test(refuses_a_missing_tid),
        cmocka_unit_test(refuses_malformed_tokens),
        cmocka_unit_test(refuses_weak_keys_in_the_jwks),
        cmocka_unit_test(policy_needs_client_id_and_issuer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
