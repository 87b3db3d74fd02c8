// JWK Set parsing and the key cache: where keys come from (discovery, or AAD's keys
// endpoint), which keys are kept, and how often the authority is asked again.

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../common/jws_fixture.hpp"
#include "core/adal_error.hpp"
#include "core/http/http_transport.hpp"
#include "core/identity/issuer_keys.hpp"
#include "core/oauth2/authority.hpp"
#include "util/log.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::AdalError;
using aadcred::ApiKind;
using aadcred::Authority;
using aadcred::HttpRequest;
using aadcred::HttpResponse;
using aadcred::JwksCache;
using aadcred::test::jwks;
using aadcred::test::TestKey;

std::unique_ptr<TestKey> g_key;
std::unique_ptr<TestKey> g_new_key;

int setup(void **) {
    g_key = std::make_unique<TestKey>(2048, "key-1");
    g_new_key = std::make_unique<TestKey>(2048, "key-2");
    return 0;
}

int teardown(void **) {
    g_key.reset();
    g_new_key.reset();
    return 0;
}

// Answers GETs from a table of URL -> (status, body); records every URL asked for.
class TableTransport final : public aadcred::HttpTransport {
  public:
    std::map<std::string, std::pair<long, std::string>> table;
    std::vector<std::string> asked;
    bool unreachable = false;

    HttpResponse send(const HttpRequest &request) override {
        asked.push_back(request.url);
        if (unreachable) throw AdalError(aadcred::ErrorClass::network, "connect refused");
        HttpResponse r;
        auto it = table.find(request.url);
        r.status = it == table.end() ? 404 : it->second.first;
        r.body = aadcred::SecretString(it == table.end() ? std::string("{}") : it->second.second);
        return r;
    }
    std::size_t count(const std::string &url) const {
        std::size_t n = 0;
        for (const auto &u : asked) n += u == url;
        return n;
    }
};

const aadcred::Logger &log() {
    static const aadcred::Logger logger("test", "");
    return logger;
}

constexpr const char *kBase = "https://login.example.test/contoso";

void keeps_rsa_signing_keys_only(void **) {
    const std::string ec =
        "{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}";
    const std::string good = g_key->jwk();
    std::string enc_key = g_new_key->jwk();
    enc_key.replace(enc_key.find("\"use\":\"sig\""), 11, "\"use\":\"enc\"");
    std::string ps256 = g_new_key->jwk("\"alg\":\"PS256\"");
    std::string bad_n = g_new_key->jwk();
    bad_n.replace(bad_n.find("\"n\":\"") + 5, 2, "==");
    const aadcred::KeySet set = aadcred::parse_jwks(jwks({ec, enc_key, ps256, bad_n, good}));
    assert_int_equal(set.keys.size(), 1);
    assert_string_equal(set.keys[0].kid.c_str(), "key-1");
    assert_non_null(set.find("key-1", ""));
    assert_non_null(set.find("", "key-1"));
    assert_null(set.find("key-2", "key-1"));  // a kid that is given must match
}

void refuses_unusable_sets(void **) {
    for (const char *text : {"{}", "{\"keys\":{}}", "[]", "{\"keys\":[]}", "not json"}) {
        try {
            aadcred::parse_jwks(text);
            fail_msg("accepted %s", text);
        } catch (const AdalError &e) {
            assert_int_equal(static_cast<int>(e.klass()),
                             static_cast<int>(aadcred::ErrorClass::protocol));
        }
    }
    std::vector<std::string> many(65, g_key->jwk());
    std::string text = "{\"keys\":[";
    for (std::size_t i = 0; i < many.size(); ++i) text += (i ? "," : "") + many[i];
    text += "]}";
    try {
        aadcred::parse_jwks(text);
        fail();
    } catch (const AdalError &e) {
        assert_non_null(std::strstr(e.what(), "more than 64"));
    }
}

void reads_discovery_for_issuer_and_keys(void **) {
    TableTransport t;
    t.table[std::string(kBase) + "/.well-known/openid-configuration"] = {
        200,
        "{\"issuer\":\"https://sts.windows.net/{tenantid}/\",\"jwks_uri\":\"https://"
        "keys.example.test/k\"}"};
    t.table["https://keys.example.test/k"] = {200, jwks({g_key->jwk()})};
    const Authority authority(kBase, false, ApiKind::v1);
    JwksCache cache;
    assert_string_equal(cache.metadata(t, authority, log()).issuer.c_str(),
                        "https://sts.windows.net/{tenantid}/");
    assert_true(cache.find_key(t, authority, log(), "key-1", "") != nullptr);
    assert_int_equal(t.asked.size(), 2);  // fetched once, then cached
}

void falls_back_to_aad_keys_without_discovery(void **) {
    TableTransport t;
    t.table[std::string(kBase) + "/discovery/keys"] = {200, jwks({g_key->jwk()})};
    JwksCache cache;
    const Authority v1(kBase, false, ApiKind::v1);
    assert_string_equal(cache.metadata(t, v1, log()).issuer.c_str(),
                        "https://sts.windows.net/{tenantid}/");
    // v2 keeps the authority's host and port in the issuer.
    TableTransport t2;
    t2.table["https://127.0.0.1:8443/contoso/discovery/v2.0/keys"] = {200, jwks({g_key->jwk()})};
    const Authority v2("https://127.0.0.1:8443/contoso", false, ApiKind::v2);
    JwksCache cache2;
    assert_string_equal(cache2.metadata(t2, v2, log()).issuer.c_str(),
                        "https://127.0.0.1:8443/{tenantid}/v2.0");
    assert_int_equal(
        t2.count("https://127.0.0.1:8443/contoso/v2.0/.well-known/openid-configuration"), 1);
}

void generic_oidc_needs_discovery(void **) {
    TableTransport t;
    const Authority oidc("https://idp.example.test/realms/x", false, ApiKind::oidc);
    JwksCache cache;
    try {
        cache.metadata(t, oidc, log());
        fail();
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()),
                         static_cast<int>(aadcred::ErrorClass::server));
    }
}

void unreachable_is_a_network_error(void **) {
    TableTransport t;
    t.unreachable = true;
    JwksCache cache;
    try {
        cache.find_key(t, Authority(kBase, false, ApiKind::v1), log(), "key-1", "");
        fail();
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()),
                         static_cast<int>(aadcred::ErrorClass::network));
    }
}

void refetches_for_a_new_kid_at_most_every_five_minutes(void **) {
    TableTransport t;
    const std::string keys_url = std::string(kBase) + "/discovery/keys";
    t.table[keys_url] = {200, jwks({g_key->jwk()})};
    auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    JwksCache cache([&] { return now; });
    const Authority authority(kBase, false, ApiKind::v1);
    assert_true(cache.find_key(t, authority, log(), "key-1", "") != nullptr);
    assert_int_equal(t.count(keys_url), 1);

    // The authority rolled over; within 5 minutes an unknown kid does not refetch.
    t.table[keys_url] = {200, jwks({g_key->jwk(), g_new_key->jwk()})};
    now += std::chrono::minutes(1);
    assert_true(cache.find_key(t, authority, log(), "key-2", "") == nullptr);
    assert_int_equal(t.count(keys_url), 1);
    now += std::chrono::minutes(5);
    assert_true(cache.find_key(t, authority, log(), "key-2", "") != nullptr);
    assert_int_equal(t.count(keys_url), 2);
    // A forged kid right after costs no request; after a day the set is fetched again.
    assert_true(cache.find_key(t, authority, log(), "forged", "") == nullptr);
    assert_int_equal(t.count(keys_url), 2);
    now += std::chrono::hours(25);
    assert_true(cache.find_key(t, authority, log(), "key-1", "") != nullptr);
    assert_int_equal(t.count(keys_url), 3);
}

void keys_survive_a_refresh(void **) {
    TableTransport t;
    const std::string keys_url = std::string(kBase) + "/discovery/keys";
    t.table[keys_url] = {200, jwks({g_key->jwk()})};
    auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    JwksCache cache([&] { return now; });
    const Authority authority(kBase, false, ApiKind::v1);
    const auto held = cache.find_key(t, authority, log(), "key-1", "");
    t.table[keys_url] = {200, jwks({g_new_key->jwk()})};
    now += std::chrono::hours(25);
    assert_true(cache.find_key(t, authority, log(), "key-2", "") != nullptr);
    assert_string_equal(held->kid.c_str(), "key-1");  // still valid: the set is shared
}

void another_authority_is_fetched_anew(void **) {
    TableTransport t;
    t.table[std::string(kBase) + "/discovery/keys"] = {200, jwks({g_key->jwk()})};
    t.table["https://login.example.test/fabrikam/discovery/keys"] = {200, jwks({g_new_key->jwk()})};
    JwksCache cache;
    assert_true(cache.find_key(t, Authority(kBase, false, ApiKind::v1), log(), "key-1", "") !=
                nullptr);
    const Authority other("https://login.example.test/fabrikam", false, ApiKind::v1);
    assert_true(cache.find_key(t, other, log(), "key-1", "") == nullptr);
    assert_true(cache.find_key(t, other, log(), "key-2", "") != nullptr);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_rsa_signing_keys_only),
        cmocka_unit_test(refuses_unusable_sets),
        cmocka_unit_test(reads_discovery_for_issuer_and_keys),
        cmocka_unit_test(falls_back_to_aad_keys_without_discovery),
        cmocka_unit_test(generic_oidc_needs_discovery),
        cmocka_unit_test(unreachable_is_a_network_error),
        cmocka_unit_test(refetches_for_a_new_kid_at_most_every_five_minutes),
        cmocka_unit_test(keys_survive_a_refresh),
        cmocka_unit_test(another_authority_is_fetched_anew),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
