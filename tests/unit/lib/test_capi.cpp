// The C ABI as a C caller sees it: argument checks and their messages, the last-error
// contract, ADAL's authority errors, the token cache and user code JSON, NULL-safe frees.
// Links libaadcred.so only (no engine headers), like an application would.

#include <aadcred/aadcred.h>
#include <rapidjson/document.h>

#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "lib_test.hpp"

namespace {

int sentinel_storage;
template <typename T>
T *sentinel() {
    return reinterpret_cast<T *>(&sentinel_storage);
}

void test_version(void **) {
    assert_string_equal(aadcred_version(), AADCRED_VERSION);
}

void test_null_out_and_arguments(void **) {
    expect_error(aadcred_context_new(nullptr, kAuthority, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "out is NULL");
    aadcred_context *ctx = sentinel<aadcred_context>();
    expect_error(aadcred_context_new(&ctx, nullptr, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "authority is NULL");
    assert_ptr_equal(ctx, sentinel<aadcred_context>());  // never clobbered on failure
    expect_error(aadcred_token_cache_serialize(nullptr, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "aadcred_token_cache_serialize");
    expect_error(aadcred_token_cache_count(nullptr), AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "cache is NULL");
    expect_error(aadcred_context_set_correlation_id(nullptr, "x"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "context is NULL");
}

void test_options_version(void **) {
    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    aadcred_context *ctx = sentinel<aadcred_context>();
    options.version = 0;
    expect_error(aadcred_context_new(&ctx, kAuthority, &options), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "_INIT");
    options.version = AADCRED_CONTEXT_OPTIONS_VERSION + 1;
    expect_error(aadcred_context_new(&ctx, kAuthority, &options), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "newer than this library");
    assert_ptr_equal(ctx, sentinel<aadcred_context>());
    options.version = AADCRED_CONTEXT_OPTIONS_VERSION;
    options.timeout = -1;
    expect_error(aadcred_context_new(&ctx, kAuthority, &options), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "timeout");

    aadcred_logging_options logging = AADCRED_LOGGING_OPTIONS_INIT;
    logging.version = 0;
    expect_error(aadcred_set_logging_options(&logging), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "aadcred_logging_options version is 0");
    expect_error(aadcred_get_logging_options(&logging), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "aadcred_logging_options version is 0");

    aadcred_request request = AADCRED_REQUEST_INIT;
    aadcred_provider *provider = sentinel<aadcred_provider>();
    request.version = 7;
    expect_error(aadcred_provider_new(&provider, &request), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "aadcred_request version 7");
    assert_ptr_equal(provider, sentinel<aadcred_provider>());
}

void test_success_clears_last_error(void **) {
    expect_error(aadcred_context_new(nullptr, kAuthority, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, nullptr);
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, nullptr), 0);
    assert_null(aadcred_error_last());
    aadcred_token_cache_free(cache);
}

void test_last_error_is_per_thread(void **) {
    expect_error(aadcred_context_new(nullptr, kAuthority, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "out is NULL");
    bool other_was_clear = false;
    std::thread other([&] {
        other_was_clear = aadcred_error_last() == nullptr;
        aadcred_token_cache_count(nullptr);  // an error of that thread only
    });
    other.join();
    assert_true(other_was_clear);
    expect_error(AADCRED_EINVALID, AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "out is NULL");
}

void test_authority_errors_use_adal_texts(void **) {
    struct Case {
        const char *authority;
        const char *message;
    };
    const Case cases[] = {
        {"http://login.microsoftonline.com/contoso",
         "The authority url must be an https endpoint."},
        {"https://login.microsoftonline.com/contoso?x=1",
         "The authority url must not have a query string."},
        {"https://login.microsoftonline.com", "Could not determine tenant."},
        {"https://login.microsoftonline.com/a/b",
         "The path of authority_url (also known as tenant) is invalid"},
    };
    for (const Case &c : cases) {
        aadcred_context *ctx = nullptr;
        expect_error(aadcred_context_new(&ctx, c.authority, nullptr), AADCRED_EINVALID,
                     AADCRED_ERROR_CLASS_INVALID, c.message);
        assert_null(ctx);
    }
    aadcred_context *ctx = nullptr;
    assert_int_equal(aadcred_context_new(&ctx, kAuthority, nullptr), 0);
    assert_non_null(ctx);
    aadcred_context_free(ctx);
}

void test_token_cache_round_trip(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kAdalCache), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 1);
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 0);
    assert_string_equal(take(aadcred_token_cache_serialize, cache).c_str(), kAdalCache);

    expect_error(aadcred_token_cache_deserialize(cache, "{\"not\": \"an array\"}"),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, nullptr);
    assert_int_equal(aadcred_token_cache_deserialize(cache, "[]"), 0);
    assert_int_equal(aadcred_token_cache_count(cache), 0);
    assert_string_equal(take(aadcred_token_cache_serialize, cache).c_str(), "[]");
    assert_int_equal(aadcred_token_cache_has_state_changed(cache), 0);  // ADAL: untouched
    aadcred_token_cache_free(cache);

    aadcred_token_cache *bad = sentinel<aadcred_token_cache>();
    expect_error(aadcred_token_cache_new(&bad, "not json"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, nullptr);
    assert_ptr_equal(bad, sentinel<aadcred_token_cache>());
}

void check_user_code(const aadcred_user_code *code) {
    assert_string_equal(aadcred_user_code_user_code(code), "ABCD-EFGH");
    assert_string_equal(aadcred_user_code_device_code(code), "DC123");
    assert_string_equal(aadcred_user_code_verification_url(code),
                        "https://microsoft.com/devicelogin");
    assert_int_equal(aadcred_user_code_expires_in(code), 900);
    assert_int_equal(aadcred_user_code_interval(code), 5);
    assert_string_equal(aadcred_user_code_message(code), "Enter ABCD-EFGH");
}

void test_user_code_json(void **) {
    const char *inputs[] = {
        // ADAL for Python's dict (v1 sends the numbers as strings).
        "{\"user_code\": \"ABCD-EFGH\", \"device_code\": \"DC123\", \"verification_url\": "
        "\"https://microsoft.com/devicelogin\", \"expires_in\": \"900\", \"interval\": 5, "
        "\"message\": \"Enter ABCD-EFGH\"}",
        // RFC 8628 names (AAD v2, OIDC).
        "{\"user_code\": \"ABCD-EFGH\", \"device_code\": \"DC123\", \"verification_uri\": "
        "\"https://microsoft.com/devicelogin\", \"expires_in\": 900, \"interval\": 5, "
        "\"message\": \"Enter ABCD-EFGH\"}",
        // SPEC §3's camelCase.
        "{\"userCode\": \"ABCD-EFGH\", \"deviceCode\": \"DC123\", \"verificationUrl\": "
        "\"https://microsoft.com/devicelogin\", \"expiresIn\": 900, \"interval\": 5, "
        "\"message\": \"Enter ABCD-EFGH\", \"correlationId\": \"corr-1\"}",
    };
    for (const char *input : inputs) {
        aadcred_user_code *code = nullptr;
        assert_int_equal(aadcred_user_code_from_json(&code, input), 0);
        check_user_code(code);

        rapidjson::Document doc;
        std::string json = take(aadcred_user_code_to_json, code);
        doc.Parse(json.c_str());
        assert_false(doc.HasParseError());
        assert_string_equal(doc["userCode"].GetString(), "ABCD-EFGH");
        assert_string_equal(doc["deviceCode"].GetString(), "DC123");
        assert_string_equal(doc["verificationUrl"].GetString(),
                            "https://microsoft.com/devicelogin");
        assert_int_equal(doc["expiresIn"].GetInt(), 900);
        assert_int_equal(doc["interval"].GetInt(), 5);
        assert_string_equal(doc["message"].GetString(), "Enter ABCD-EFGH");
        assert_true(doc.HasMember("correlationId"));

        aadcred_user_code *again = nullptr;  // what `aadcred device-token` reads back
        assert_int_equal(aadcred_user_code_from_json(&again, json.c_str()), 0);
        check_user_code(again);
        aadcred_user_code_free(again);
        aadcred_user_code_free(code);
    }
    aadcred_user_code *code = sentinel<aadcred_user_code>();
    expect_error(aadcred_user_code_from_json(&code, "{\"user_code\": \"A\", \"expires_in\": 9}"),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "evice");
    expect_error(aadcred_user_code_from_json(&code, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "json is NULL");
    assert_ptr_equal(code, sentinel<aadcred_user_code>());
}

void test_frees_are_null_safe(void **) {
    aadcred_string_free(nullptr);
    aadcred_token_free(nullptr);
    aadcred_user_code_free(nullptr);
    aadcred_token_cache_free(nullptr);
    aadcred_context_free(nullptr);
    aadcred_provider_free(nullptr);
    assert_null(aadcred_token_access_token(nullptr));
    assert_int_equal(aadcred_token_expires_at(nullptr), 0);
    assert_null(aadcred_user_code_device_code(nullptr));
    assert_null(aadcred_provider_store_name(nullptr));
}

void test_error_to_json_shape(void **) {
    aadcred_context *ctx = nullptr;
    expect_error(aadcred_context_new(&ctx, "http://x/t", nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, nullptr);
    const aadcred_error *last = aadcred_error_last();
    rapidjson::Document doc = parse(take(aadcred_error_to_json, last));
    assert_true(doc["error"].IsNull());
    assert_true(doc["error_description"].IsNull());
    assert_true(doc["error_codes"].IsArray());
    assert_int_equal(doc["error_codes"].Size(), 0);
    assert_true(doc["correlation_id"].IsNull());
    assert_true(doc["error_response"].IsNull());
    assert_string_equal(doc["message"].GetString(), "The authority url must be an https endpoint.");
    assert_ptr_equal(aadcred_error_last(), last);  // reading the error keeps it

    // A server error as a binding would rebuild it: the raw reply is embedded as JSON.
    aadcred_error server{AADCRED_ERROR_CLASS_SERVER,
                         "Get Token request returned http error: 401 and server response: ...",
                         "invalid_client",
                         "AADSTS7000215: Invalid client secret",
                         "corr-9",
                         "{\"error\": \"invalid_client\", \"error_codes\": [7000215]}"};
    rapidjson::Document from_server = parse(take(aadcred_error_to_json, &server));
    assert_string_equal(from_server["error"].GetString(), "invalid_client");
    assert_string_equal(from_server["correlation_id"].GetString(), "corr-9");
    assert_int_equal(from_server["error_codes"][0].GetInt64(), 7000215);
    assert_string_equal(from_server["error_response"]["error"].GetString(), "invalid_client");
    // A proxy's HTML page is not JSON: kept as a string, the output stays JSON.
    server.error_response = "<html>502</html>";
    rapidjson::Document from_proxy = parse(take(aadcred_error_to_json, &server));
    assert_string_equal(from_proxy["error_response"].GetString(), "<html>502</html>");
}

void test_acquire_token_from_cache(void **) {
    aadcred_token_cache *cache = nullptr;
    assert_int_equal(aadcred_token_cache_new(&cache, kFreshCache), 0);
    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    options.cache = cache;
    options.validate_authority = 0;  // no network: the token comes from the cache
    aadcred_context *ctx = nullptr;
    assert_int_equal(aadcred_context_new(&ctx, kAuthority, &options), 0);

    aadcred_token *token = nullptr;
    assert_int_equal(
        aadcred_context_acquire_token(&token, ctx, kResource, "ALICE@contoso.com", "client-1"), 0);
    assert_null(aadcred_error_last());
    assert_string_equal(aadcred_token_access_token(token), "AT");
    assert_string_equal(aadcred_token_refresh_token(token), "RT");
    assert_string_equal(aadcred_token_token_type(token), "Bearer");
    assert_string_equal(aadcred_token_user_id(token), "alice@contoso.com");
    assert_string_equal(aadcred_token_resource(token), kResource);
    assert_string_equal(aadcred_token_expires_on(token), "2099-01-01 10:00:00.000000");
    assert_true(aadcred_token_expires_at(token) > static_cast<int64_t>(time(nullptr)));
    assert_null(aadcred_token_id_token(token));
    rapidjson::Document doc = parse(take(aadcred_token_to_json, token));
    assert_string_equal(doc["accessToken"].GetString(), "AT");
    assert_string_equal(doc["_clientId"].GetString(), "client-1");
    aadcred_token_free(token);

    token = sentinel<aadcred_token>();
    expect_error(aadcred_context_acquire_token(&token, ctx, kResource, nullptr, "other-client"),
                 AADCRED_ENOTFOUND, AADCRED_ERROR_CLASS_NONE, nullptr);
    assert_ptr_equal(token, sentinel<aadcred_token>());

    aadcred_user_code *code = nullptr;
    assert_int_equal(aadcred_user_code_from_json(&code, kUserCode), 0);
    expect_error(aadcred_context_cancel_request_to_get_token_with_device_code(ctx, code),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "No acquire_token_with_device_code existed to be cancelled");
    aadcred_user_code_free(code);
    aadcred_context_free(ctx);
    aadcred_token_cache_free(cache);
}

void collect_line(aadcred_log_level level, const char *line, void *payload) {
    auto *lines = static_cast<std::vector<std::string> *>(payload);
    lines->push_back(std::to_string(level) + " " + line);
}

void test_logging_options(void **) {
    std::vector<std::string> lines;
    aadcred_logging_options options = AADCRED_LOGGING_OPTIONS_INIT;
    options.level = AADCRED_LOG_VERBOSE;
    options.callback = collect_line;
    options.payload = &lines;
    assert_int_equal(aadcred_set_logging_options(&options), 0);
    aadcred_logging_options read = AADCRED_LOGGING_OPTIONS_INIT;
    assert_int_equal(aadcred_get_logging_options(&read), 0);
    assert_int_equal(read.level, AADCRED_LOG_VERBOSE);
    assert_ptr_equal(read.callback, collect_line);
    assert_ptr_equal(read.payload, &lines);

    aadcred_context_options context_options = AADCRED_CONTEXT_OPTIONS_INIT;
    context_options.validate_authority = 0;
    aadcred_context *ctx = nullptr;
    assert_int_equal(aadcred_context_new(&ctx, kAuthority, &context_options), 0);
    assert_int_equal(aadcred_context_set_correlation_id(ctx, "corr-log-1"), 0);
    aadcred_token *token = nullptr;
    assert_int_equal(aadcred_context_acquire_token(&token, ctx, kResource, nullptr, "c"),
                     AADCRED_ENOTFOUND);
    aadcred_context_free(ctx);
    assert_int_equal(aadcred_set_logging_options(nullptr), 0);  // ADAL's defaults again

    bool seen = false;  // ADAL's line shape: "<correlation-id> - <Component>:<message>"
    for (const auto &line : lines) seen = seen || line.rfind("3 corr-log-1 - ", 0) == 0;
    assert_true(seen);
    const int bad_level = 9;  // what a C caller may store; a C++ cast to the enum would be UB
    std::memcpy(&options.level, &bad_level, sizeof bad_level);
    expect_error(aadcred_set_logging_options(&options), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "level");
}

void test_provider_request_checks(void **) {
    aadcred_request request = AADCRED_REQUEST_INIT;
    aadcred_provider *provider = nullptr;
    expect_error(aadcred_provider_new(&provider, nullptr), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "request is NULL");
    // Issue 11: no authority or client id is no error until a call acts for one account;
    // list and logout --all go through the whole store.
    request.store = "memory";
    assert_int_equal(aadcred_provider_new(&provider, &request), 0);
    aadcred_token *no_token = nullptr;
    expect_error(aadcred_provider_get_token(&no_token, provider), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "authority is required");
    assert_null(no_token);
    expect_error(aadcred_provider_forget_access_token(provider, "AT"), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "authority is required");
    expect_error(aadcred_provider_logout(provider, nullptr, 0), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "authority is required");
    assert_string_equal(take(aadcred_provider_list_json, provider).c_str(), "[]");
    assert_int_equal(aadcred_provider_logout(provider, nullptr, 1), 0);
    assert_int_equal(aadcred_provider_logout(provider, "bob@contoso.com", 0), 0);
    aadcred_provider_free(provider);
    request.authority = kAuthority;
    assert_int_equal(aadcred_provider_new(&provider, &request), 0);
    expect_error(aadcred_provider_get_token(&no_token, provider), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "client_id is required");
    aadcred_provider_free(provider);
    provider = nullptr;
    request.store = nullptr;
    request.client_id = "client-1";
    // Issue 3: only get_token needs the resource (v1) or scopes (v2): list works without.
    const auto expect_get_token_needs = [&](const char *fragment) {
        request.store = "memory";
        assert_int_equal(aadcred_provider_new(&provider, &request), 0);
        aadcred_token *none = nullptr;
        expect_error(aadcred_provider_get_token(&none, provider), AADCRED_EINVALID,
                     AADCRED_ERROR_CLASS_INVALID, fragment);
        assert_null(none);
        assert_string_equal(take(aadcred_provider_list_json, provider).c_str(), "[]");
        aadcred_provider_free(provider);
        provider = nullptr;
        request.store = nullptr;
    };
    expect_get_token_needs("resource is required");
    request.api = AADCRED_API_V2;
    expect_get_token_needs("scopes are required");
    const int bad_api = 7;
    std::memcpy(&request.api, &bad_api, sizeof bad_api);
    expect_error(aadcred_provider_new(&provider, &request), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "unknown api");
    request.api = AADCRED_API_V1;
    request.resource = kResource;
    request.allow_prompt = 1;
    expect_error(aadcred_provider_new(&provider, &request), AADCRED_EINVALID,
                 AADCRED_ERROR_CLASS_INVALID, "prompt");
    assert_null(provider);

    request.allow_prompt = 0;
    request.store = "memory";
    request.validate_authority = 0;
    assert_int_equal(aadcred_provider_new(&provider, &request), 0);
    aadcred_token *token = sentinel<aadcred_token>();
    expect_error(aadcred_provider_get_token(&token, provider), AADCRED_EINTERACTION_REQUIRED,
                 AADCRED_ERROR_CLASS_NONE, nullptr);
    assert_ptr_equal(token, sentinel<aadcred_token>());
    assert_string_equal(aadcred_provider_store_name(provider), "memory");
    assert_string_equal(take(aadcred_provider_list_json, provider).c_str(), "[]");
    assert_int_equal(aadcred_provider_logout(provider, nullptr, 1), 0);
    assert_int_equal(aadcred_provider_forget_access_token(provider, "AT"), 0);
    aadcred_provider_free(provider);
}

}  // namespace

int main() {
    const PrivateRuntimeDir runtime;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_null_out_and_arguments),
        cmocka_unit_test(test_options_version),
        cmocka_unit_test(test_success_clears_last_error),
        cmocka_unit_test(test_last_error_is_per_thread),
        cmocka_unit_test(test_authority_errors_use_adal_texts),
        cmocka_unit_test(test_token_cache_round_trip),
        cmocka_unit_test(test_user_code_json),
        cmocka_unit_test(test_frees_are_null_safe),
        cmocka_unit_test(test_error_to_json_shape),
        cmocka_unit_test(test_acquire_token_from_cache),
        cmocka_unit_test(test_logging_options),
        cmocka_unit_test(test_provider_request_checks),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
