// The TokenCache API of the C ABI and the C++ wrapper (issue 3): read_items, add, remove
// and has_state_changed with ADAL's semantics (reference §1.2), and the provider's store
// hand-off (store_token, export_json, import_json) on the memory and file stores.

#include <aadcred/aadcred.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "lib_test.hpp"

namespace {

using namespace lib_test;

// A second entry: another user, another resource.
constexpr const char *kBob =
    "{\"tokenType\": \"Bearer\", \"expiresIn\": 3600, \"expiresOn\": \"2099-01-01 "
    "10:00:00.000000\", \"resource\": \"https://vault.azure.net\", \"accessToken\": \"AT-bob\", "
    "\"refreshToken\": \"RT-bob\", \"userId\": \"bob@contoso.com\", \"_clientId\": "
    "\"client-1\", \"_authority\": \"https://login.microsoftonline.com/contoso.onmicrosoft.com\"}";

std::string user_at(const rapidjson::Document &items, rapidjson::SizeType i) {
    return items[i]["userId"].GetString();
}

void test_read_items_in_insertion_order(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kAdalCache), 0);
    assert_int_equal(aadcred_token_cache_add(cache, kBob), 0);  // a single object is allowed

    const rapidjson::Document items = parse(take(aadcred_token_cache_read_items, cache));
    assert_true(items.IsArray());
    assert_int_equal(items.Size(), 2);
    assert_string_equal(user_at(items, 0).c_str(), "alice@contoso.com");
    assert_string_equal(user_at(items, 1).c_str(), "bob@contoso.com");
    // The entry keeps ADAL's keys and types, tokens included.
    assert_string_equal(items[0]["refreshToken"].GetString(), "RT");
    assert_int_equal(items[0]["expiresIn"].GetInt(), 3600);
    assert_true(items[0]["isMRRT"].GetBool());

    aadcred_token *token = nullptr;
    assert_int_equal(aadcred_token_cache_get_item(&token, cache, 1), 0);
    assert_string_equal(aadcred_token_user_id(token), "bob@contoso.com");
    assert_string_equal(aadcred_token_access_token(token), "AT-bob");
    aadcred_token_free(token);
    token = nullptr;
    expect_error(aadcred_token_cache_get_item(&token, cache, 2), AADCRED_ENOTFOUND,
                 AADCRED_ERROR_CLASS_NONE, "no entry");
    assert_null(token);
    aadcred_token_cache_free(cache);
}

void test_add_sets_state_changed_unconditionally(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kAdalCache), 0);
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 0);
    // ADAL: add([]) still sets the flag.
    assert_int_equal(aadcred_token_cache_add(cache, "[]"), 0);
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 1);
    assert_int_equal(aadcred_token_cache_count(cache), 1);

    // Same key (user id in other case: aadcred compares keys without case): replaced in
    // place, not appended.
    std::string again = kAdalCache;
    again.replace(again.find("\"AT\""), 4, "\"AT2\"");
    again.replace(again.find("alice@"), 6, "ALICE@");
    assert_int_equal(aadcred_token_cache_add(cache, again.c_str()), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 1);
    aadcred_token *token = nullptr;
    assert_int_equal(aadcred_token_cache_get_item(&token, cache, 0), 0);
    assert_string_equal(aadcred_token_access_token(token), "AT2");

    // add_token: a token handle goes in as it is.
    aadcred_token_cache *other = nullptr;
    assert_int_equal(aadcred_token_cache_new(&other, nullptr), 0);
    assert_int_equal(aadcred_token_cache_add_token(other, token), 0);
    assert_int_equal(aadcred_token_cache_count(other), 1);
    assert_int_equal(aadcred_token_cache_has_state_changed(other), 1);
    aadcred_token_free(token);
    aadcred_token_cache_free(other);
    aadcred_token_cache_free(cache);
}

void test_remove_sets_state_changed_only_when_removed(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kAdalCache), 0);
    assert_int_equal(aadcred_token_cache_remove(cache, kBob), 0);  // not there
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 1);

    // Only the key fields count: an entry with another token still removes it.
    const char *key_only =
        "[{\"resource\": \"https://graph.windows.net/\", \"userId\": \"alice@contoso.com\", "
        "\"_clientId\": \"client-1\", \"_authority\": "
        "\"https://login.microsoftonline.com/contoso.onmicrosoft.com\"}]";
    assert_int_equal(aadcred_token_cache_remove(cache, key_only), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 0);
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 1);
    assert_string_equal(take(aadcred_token_cache_read_items, cache).c_str(), "[]");
    aadcred_token_cache_free(cache);
}

void test_bad_input_changes_nothing(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kAdalCache), 0);
    const std::string mixed = std::string("[") + kBob + ", 42]";
    expect_error(aadcred_token_cache_add(cache, mixed.c_str()), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "not a JSON object");
    expect_error(aadcred_token_cache_add(cache, "[{"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "aadcred_token_cache_add");
    expect_error(aadcred_token_cache_remove(cache, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "entries_json is NULL");
    expect_error(aadcred_token_cache_add(nullptr, "[]"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "cache is NULL");
    assert_int_equal(aadcred_token_cache_count(cache), 1);
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 0);
    aadcred_token_cache_free(cache);
}

void test_cpp_token_cache(void **) {
    aadcred::TokenCache cache(kAdalCache);
    cache.add(std::string("[") + kBob + "]");
    assert_true(cache.has_state_changed());
    assert_int_equal(cache.count(), 2);
    assert_true(cache.item(1).user_id() == "bob@contoso.com");
    const rapidjson::Document items = parse(cache.read_items());
    assert_int_equal(items.Size(), 2);

    aadcred::TokenCache copy;
    copy.add(cache.item(0));
    assert_true(copy.item(0).refresh_token() == "RT");
    copy.remove(std::string(cache.read_items().view()));
    assert_int_equal(copy.count(), 0);
    try {
        (void)cache.item(5);
        fail_msg("item(5) did not throw");
    } catch (const aadcred::AdalError &e) {
        assert_int_equal(e.code(), AADCRED_ENOTFOUND);
    }
}

aadcred_provider *file_provider(const std::string &path, const char *resource) {
    aadcred_request request = AADCRED_REQUEST_INIT;
    request.authority = kAuthority;
    request.client_id = "client-1";
    request.resource = resource;  // NULL: only get_token needs it
    request.validate_authority = 0;
    request.allow_prompt = 0;
    const std::string store = "file:" + path;
    request.store = store.c_str();
    aadcred_provider *provider = nullptr;
    assert_int_equal(aadcred_provider_new(&provider, &request), 0);
    return provider;
}

void test_provider_import_export_store_token(void **) {
    char dir[] = "/tmp/aadcred-cacheapi-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const std::string path = std::string(dir) + "/cache.json";

    aadcred_provider *provider = file_provider(path, nullptr);
    const std::string both =
        std::string(kFreshCache).substr(0, std::strlen(kFreshCache) - 1) + ", " + kBob + "]";
    assert_int_equal(aadcred_provider_import_json(provider, both.c_str()), 2);
    // Importing again replaces by key: still two entries.
    assert_int_equal(aadcred_provider_import_json(provider, both.c_str()), 2);
    const rapidjson::Document listed = parse(take(aadcred_provider_list_json, provider));
    assert_int_equal(listed.Size(), 2);

    // The export reads in a fresh TokenCache, with both entries and their tokens.
    aadcred_token_cache *cache = nullptr;
    const std::string exported = take(aadcred_provider_export_json, provider);
    assert_int_equal(aadcred_token_cache_new(&cache, exported.c_str()), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 2);
    aadcred_token *token = nullptr;
    assert_int_equal(aadcred_token_cache_get_item(&token, cache, 1), 0);
    assert_string_equal(aadcred_token_refresh_token(token), "RT-bob");

    // A token from elsewhere goes into the store; a token without its authority does not.
    assert_int_equal(aadcred_provider_logout(provider, nullptr, 1), 2);
    assert_int_equal(aadcred_provider_store_token(provider, token), 0);
    assert_int_equal(parse(take(aadcred_provider_list_json, provider)).Size(), 1);
    aadcred_token_free(token);
    token = nullptr;
    aadcred_token_cache_free(cache);
    expect_error(aadcred_provider_import_json(provider, "[{\"accessToken\": \"x\"}]"),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "_authority");
    expect_error(aadcred_provider_import_json(provider, "{}"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "not a JSON array");
    assert_int_equal(parse(take(aadcred_provider_list_json, provider)).Size(), 1);
    // get_token is the one call that needs the resource.
    expect_error(aadcred_provider_get_token(&token, provider), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "resource is required");
    aadcred_provider_free(provider);

    // Issue 11: without an authority and client id the whole store is listed, exported,
    // imported into and emptied; a token is not stored (no account to lock).
    aadcred_request anywhere = AADCRED_REQUEST_INIT;
    anywhere.validate_authority = 0;
    const std::string store = "file:" + path;
    anywhere.store = store.c_str();
    assert_int_equal(aadcred_provider_new(&provider, &anywhere), 0);
    assert_int_equal(aadcred_provider_import_json(provider, both.c_str()), 2);
    assert_int_equal(parse(take(aadcred_provider_list_json, provider)).Size(), 2);
    assert_int_equal(
        aadcred_token_cache_new(&cache, take(aadcred_provider_export_json, provider).c_str()), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 2);
    assert_int_equal(aadcred_token_cache_get_item(&token, cache, 0), 0);
    expect_error(aadcred_provider_store_token(provider, token), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "authority is required");
    aadcred_token_free(token);
    aadcred_token_cache_free(cache);
    assert_int_equal(aadcred_provider_logout(provider, nullptr, 1), 2);
    assert_int_equal(parse(take(aadcred_provider_list_json, provider)).Size(), 0);
    aadcred_provider_free(provider);
    std::filesystem::remove_all(dir);
}

void test_cpp_provider_hand_off(void **) {
    aadcred::CredentialProvider::Request request;
    request.authority = kAuthority;
    request.client_id = "client-1";
    request.store = "memory";
    request.validate_authority = false;
    aadcred::CredentialProvider provider(request);
    assert_int_equal(provider.import_json(kFreshCache), 1);
    aadcred::TokenCache cache(std::string(provider.export_json().view()));
    assert_int_equal(cache.count(), 1);
    provider.store_token(aadcred::TokenCache(std::string("[") + kBob + "]").item(0));
    assert_int_equal(aadcred::TokenCache(std::string(provider.export_json().view())).count(), 2);
}

// Issue 13: kBob has no isMRRT. Through the C ABI's cache, as through the core's own
// and the provider's, such an entry serves its own resource and is never redeemed for
// another (no refresh, no network: the authority here is unreachable).
void test_entry_without_is_mrrt_through_the_c_abi(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, (std::string("[") + kBob + "]").c_str()), 0);
    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    options.cache = cache;
    options.validate_authority = 0;
    aadcred_context *ctx = nullptr;
    assert_int_equal(aadcred_context_new(&ctx, kAuthority, &options), 0);
    aadcred_token *token = nullptr;
    assert_int_equal(aadcred_context_acquire_token(&token, ctx, "https://vault.azure.net",
                                                   "bob@contoso.com", "client-1"),
                     0);
    assert_string_equal(aadcred_token_access_token(token), "AT-bob");
    aadcred_token_free(token);
    token = nullptr;
    expect_error(
        aadcred_context_acquire_token(&token, ctx, kResource, "bob@contoso.com", "client-1"),
        AADCRED_ENOTFOUND, AADCRED_ERROR_CLASS_NONE, nullptr);
    assert_null(token);
    assert_int_equal(aadcred_token_cache_count(cache), 1);
    aadcred_context_free(ctx);
    aadcred_token_cache_free(cache);
}

}  // namespace

int main() {
    const PrivateRuntimeDir runtime;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_items_in_insertion_order),
        cmocka_unit_test(test_add_sets_state_changed_unconditionally),
        cmocka_unit_test(test_remove_sets_state_changed_only_when_removed),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_cpp_token_cache),
        cmocka_unit_test(test_provider_import_export_store_token),
        cmocka_unit_test(test_cpp_provider_hand_off),
        cmocka_unit_test(test_entry_without_is_mrrt_through_the_c_abi),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
