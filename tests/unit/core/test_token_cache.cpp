// TokenCache: ADAL's semantics (reference §1.2) and serialize() byte for byte. Every
// expected cache text below was printed by /usr/bin/python3 with python3-adal 1.2.7:
//   c = adal.TokenCache(); c.add([...]); print(c.serialize())

#include "core/adal/token_cache.hpp"

#include <string>

#include "core/adal_error.hpp"

#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

using namespace aadcred;
using unit_test::expect_error;

namespace {

// Reference §5.1, the entry of `TokenCache()` + `add([entry])`.
const char kAlice[] =
    R"({"tokenType": "Bearer", "expiresIn": 3600, "expiresOn": "2019-01-01 10:00:00.000000", )"
    R"("resource": "https://graph.windows.net/", "accessToken": "AT", "refreshToken": "RT", )"
    R"("userId": "alice@contoso.com", "isUserIdDisplayable": true, "isMRRT": true, )"
    R"("_clientId": "client-1", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"})";
// Reference §5.1, the client-credentials entry (no refresh token, no userId).
const char kApp[] =
    R"({"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
    R"("resource": "https://management.core.windows.net/", "accessToken": "AT-app", )"
    R"("isMRRT": true, "_clientId": "app-id", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"})";
// Non-ASCII names, which json.dumps escapes.
const char kBob[] =
    R"({"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
    R"("resource": "https://management.core.windows.net/", "accessToken": "AT1", )"
    R"("refreshToken": "RT1", "tenantId": "cceba14c", "familyName": "Guinebertière", )"
    R"("givenName": "Zoë", "userId": "bob@contoso.com", "isMRRT": true, "_clientId": "04b07795", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"})";

// python3-adal: c.add([alice, app, bob]); c.serialize()
const char kThree[] =
    R"([{"tokenType": "Bearer", "expiresIn": 3600, "expiresOn": "2019-01-01 10:00:00.000000", )"
    R"("resource": "https://graph.windows.net/", "accessToken": "AT", "refreshToken": "RT", )"
    R"("userId": "alice@contoso.com", "isUserIdDisplayable": true, "isMRRT": true, )"
    R"("_clientId": "client-1", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"}, )"
    R"({"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
    R"("resource": "https://management.core.windows.net/", "accessToken": "AT-app", )"
    R"("isMRRT": true, "_clientId": "app-id", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"}, )"
    R"({"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
    R"("resource": "https://management.core.windows.net/", "accessToken": "AT1", )"
    R"("refreshToken": "RT1", "tenantId": "cceba14c", "familyName": "Guineberti\u00e8re", )"
    R"("givenName": "Zo\u00eb", "userId": "bob@contoso.com", "isMRRT": true, )"
    R"("_clientId": "04b07795", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"}])";

TokenEntry entry(const char *json) {
    return TokenEntry::from_json(json);
}

void empty_cache_serializes_as_empty_list(void **) {
    TokenCache cache;
    assert_sv_equal(cache.serialize(), "[]");
    assert_int_equal(cache.size(), 0);
    assert_false(cache.has_state_changed());
    // ADAL: TokenCache('') is an empty cache too.
    TokenCache from_empty{std::string_view{}};
    assert_sv_equal(from_empty.serialize(), "[]");
}

void one_entry_matches_adal_literal(void **) {
    TokenCache cache;
    cache.add({entry(kAlice)});
    assert_sv_equal(cache.serialize(), std::string("[") + kAlice + "]");
}

void several_entries_keep_insertion_order(void **) {
    TokenCache cache;
    cache.add({entry(kAlice), entry(kApp), entry(kBob)});
    assert_sv_equal(cache.serialize(), kThree);
    const auto items = cache.read_items();
    assert_int_equal(items.size(), 3);
    assert_sv_equal(*items[2].string(key::user_id), "bob@contoso.com");
}

void add_replaces_by_key_in_place(void **) {
    TokenCache cache;
    cache.add({entry(kAlice), entry(kApp), entry(kBob)});
    TokenEntry newer = entry(kAlice);
    newer.set_string(key::access_token, "AT2");
    cache.add({newer});
    // Python dict assignment: same position, new value (python3-adal printed this).
    std::string want = kThree;
    want.replace(want.find(R"("accessToken": "AT")"), 19, R"("accessToken": "AT2")");
    assert_sv_equal(cache.serialize(), want);
    assert_int_equal(cache.size(), 3);
}

void keys_compare_without_case(void **) {
    TokenCache cache;
    cache.add({entry(kAlice)});
    TokenEntry shouted = entry(kAlice);
    shouted.set_string(key::user_id, "ALICE@Contoso.COM");
    shouted.set_string(key::authority, "HTTPS://LOGIN.microsoftonline.com/Contoso.onmicrosoft.com");
    shouted.set_string(key::resource, "https://GRAPH.windows.net/");
    shouted.set_string(key::client_id, "CLIENT-1");
    shouted.set_string(key::access_token, "AT-shouted");
    assert_true(same_cache_key(shouted, entry(kAlice)));
    cache.add({shouted});
    assert_int_equal(cache.size(), 1);
    assert_sv_equal(cache.read_items()[0].secret(key::access_token).reveal(), "AT-shouted");

    // find: userId and _clientId without case.
    CacheQuery query;
    query.user_id = "Alice@CONTOSO.com";
    query.client_id = "Client-1";
    assert_int_equal(cache.find(query).size(), 1);
    query.user_id = "bob@contoso.com";
    assert_int_equal(cache.find(query).size(), 0);

    // remove with other case removes (ADAL's case-sensitive hash would not).
    cache.set_state_changed(false);
    cache.remove({entry(kAlice)});
    assert_int_equal(cache.size(), 0);
    assert_true(cache.has_state_changed());
}

void find_wildcards_and_mrrt(void **) {
    TokenCache cache;
    TokenEntry not_mrrt = entry(kBob);
    not_mrrt.erase(key::is_mrrt);
    cache.add({entry(kAlice), entry(kApp), not_mrrt});
    assert_int_equal(cache.find(CacheQuery{}).size(), 3);
    CacheQuery mrrt;
    mrrt.is_mrrt = true;
    assert_int_equal(cache.find(mrrt).size(), 2);  // an entry without isMRRT is no match
    CacheQuery app;
    app.client_id = "APP-ID";
    const auto found = cache.find(app);
    assert_int_equal(found.size(), 1);
    assert_sv_equal(found[0].secret(key::access_token).reveal(), "AT-app");
    // A missing userId equals '' (ADAL's None ≡ '').
    CacheQuery nobody;
    nobody.user_id = "";
    assert_int_equal(cache.find(nobody).size(), 1);
}

// Issue 13: what python3-adal 1.2.7 prints for find({'isMRRT': True}) and
// find({'isMRRT': False}) over entries whose isMRRT is each of these (or missing):
// ['t', 'one', 'fl'] and ['f', 'zero']. Python's == decides, not truthiness, so an entry
// without isMRRT (or with null) is neither MRRT nor not MRRT to a query.
void is_mrrt_query_uses_python_equality(void **) {
    TokenCache cache(R"([{"userId": "t", "isMRRT": true}, {"userId": "f", "isMRRT": false},)"
                     R"( {"userId": "one", "isMRRT": 1}, {"userId": "zero", "isMRRT": 0},)"
                     R"( {"userId": "n", "isMRRT": null}, {"userId": "s", "isMRRT": "x"},)"
                     R"( {"userId": "fl", "isMRRT": 1.0}, {"userId": "missing"}])");
    auto users = [&cache](bool mrrt) {
        CacheQuery query;
        query.is_mrrt = mrrt;
        std::string found;
        for (const TokenEntry &e : cache.find(query))
            found += std::string(e.string(key::user_id).value_or("?")) + " ";
        return found;
    };
    assert_sv_equal(users(true), "t one fl ");
    assert_sv_equal(users(false), "f zero ");
}

void has_state_changed_follows_adal(void **) {
    TokenCache cache;
    assert_false(cache.has_state_changed());
    cache.add({});  // ADAL sets the flag on every add, even an empty one
    assert_true(cache.has_state_changed());
    cache.set_state_changed(false);
    cache.remove({entry(kAlice)});  // nothing removed: unchanged
    assert_false(cache.has_state_changed());
    cache.add({entry(kAlice)});
    cache.set_state_changed(false);
    cache.deserialize(kThree);  // deserialize does not touch the flag
    assert_false(cache.has_state_changed());
    cache.remove({entry(kApp)});
    assert_true(cache.has_state_changed());

    TokenCache loaded(kThree);  // TokenCache(state): flag cleared after loading
    assert_false(loaded.has_state_changed());
    assert_int_equal(loaded.size(), 3);
}

void deserializes_python_adal_output(void **) {
    TokenCache cache;
    cache.add({entry(kApp)});
    cache.deserialize(kThree);  // replaces everything
    assert_int_equal(cache.size(), 3);
    assert_sv_equal(cache.serialize(), kThree);
    const auto items = cache.read_items();
    assert_sv_equal(*items[2].string(key::family_name), "Guineberti\xc3\xa8re");
    assert_sv_equal(items[1].secret(key::access_token).reveal(), "AT-app");
}

void tolerant_reader_keeps_incomplete_entries(void **) {
    // python3-adal: TokenCache('[{"accessToken": "x"}, {"userId": "u", "foo": [1, 2]}]')
    const char *state = R"([{"accessToken": "x"}, {"userId": "u", "foo": [1, 2]}])";
    TokenCache cache(state);
    assert_int_equal(cache.size(), 2);
    assert_sv_equal(cache.serialize(), state);
    // Compact input (other writers) comes out in json.dumps' spacing.
    TokenCache compact(R"([{"accessToken":"x"},{"userId":"u","foo":[1,2]}])");
    assert_sv_equal(compact.serialize(), state);
}

void rejects_anything_but_an_array_of_objects(void **) {
    TokenCache cache;
    cache.add({entry(kAlice)});
    for (const char *bad : {"{}", "[1]", "[{}, []]", "[", "not json", "\"[]\"", "[{}] x"}) {
        const std::string message =
            expect_error(ErrorClass::invalid, [&] { cache.deserialize(bad); });
        assert_true(std::string(message).find("Invalid token cache") != std::string::npos);
    }
    // A failed deserialize leaves the cache as it was.
    assert_sv_equal(cache.serialize(), std::string("[") + kAlice + "]");
}

void duplicate_keys_in_state_collapse(void **) {
    // Two entries with one key (differing only in case): the later wins, at the first's place.
    std::string state = std::string("[") + kAlice + ", " + kApp + ", " + kAlice + "]";
    state.replace(state.rfind(R"("accessToken": "AT")"), 19, R"("accessToken": "AT9")");
    state.replace(state.rfind("alice@contoso.com"), 17, "Alice@Contoso.com");
    TokenCache cache(state);
    assert_int_equal(cache.size(), 2);
    const auto items = cache.read_items();
    assert_sv_equal(items[0].secret(key::access_token).reveal(), "AT9");
    assert_sv_equal(items[1].secret(key::access_token).reveal(), "AT-app");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_cache_serializes_as_empty_list),
        cmocka_unit_test(one_entry_matches_adal_literal),
        cmocka_unit_test(several_entries_keep_insertion_order),
        cmocka_unit_test(add_replaces_by_key_in_place),
        cmocka_unit_test(keys_compare_without_case),
        cmocka_unit_test(find_wildcards_and_mrrt),
        cmocka_unit_test(is_mrrt_query_uses_python_equality),
        cmocka_unit_test(has_state_changed_follows_adal),
        cmocka_unit_test(deserializes_python_adal_output),
        cmocka_unit_test(tolerant_reader_keeps_incomplete_entries),
        cmocka_unit_test(rejects_anything_but_an_array_of_objects),
        cmocka_unit_test(duplicate_keys_in_state_collapse),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
