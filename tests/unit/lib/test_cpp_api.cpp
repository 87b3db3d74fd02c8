// The header-only C++ API over libaadcred.so: exceptions carry what aadcred_error_last()
// recorded, handles are move-only RAII, the std::function log sink and prompt work.

#include <aadcred/aadcred.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "lib_test.hpp"

namespace {

template <typename Fn>
aadcred::AdalError expect_throw(Fn &&fn) {
    try {
        fn();
    } catch (const aadcred::AdalError &e) {
        return e;
    }
    fail_msg("no aadcred::AdalError thrown");
    return aadcred::AdalError(0, AADCRED_ERROR_CLASS_NONE, "");
}

void test_error_carries_fields(void **) {
    aadcred::AdalError e = expect_throw(
        [] { aadcred::AuthenticationContext ctx("http://login.microsoftonline.com/contoso"); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
    assert_int_equal(e.klass(), AADCRED_ERROR_CLASS_INVALID);
    assert_string_equal(e.what(), "The authority url must be an https endpoint.");
    assert_string_equal(e.message().c_str(), e.what());
    assert_true(e.error().empty());
    assert_true(e.error_response().empty());
    rapidjson::Document doc = parse(e.to_json());
    assert_string_equal(doc["message"].GetString(), e.what());
    assert_true(doc["error_response"].IsNull());

    // std::exception is enough to catch it (ADAL's AdalError derives from Exception).
    bool caught = false;
    try {
        aadcred::UserCodeInfo::from_json("[]");
    } catch (const std::exception &) {
        caught = true;
    }
    assert_true(caught);
}

void test_token_cache_and_acquire_token(void **) {
    aadcred::TokenCache cache(kFreshCache);
    assert_int_equal(cache.count(), 1);
    assert_false(cache.has_state_changed());
    assert_string_equal(cache.serialize().c_str(), kFreshCache);

    aadcred::ContextOptions options;
    options.cache = &cache;
    options.validate_authority = false;
    aadcred::AuthenticationContext ctx(kAuthority, options);
    std::optional<aadcred::Token> token = ctx.acquire_token(kResource, "", "client-1");
    assert_true(token.has_value());
    assert_true(token->access_token() == "AT");
    assert_true(token->refresh_token() == "RT");
    assert_true(token->user_id() == "alice@contoso.com");
    assert_true(token->expires_on() == "2099-01-01 10:00:00.000000");
    assert_true(token->expires_at().has_value());
    assert_true(*token->expires_at() > std::chrono::system_clock::now());
    assert_true(token->id_token().empty());
    assert_string_equal(parse(token->to_json())["tokenType"].GetString(), "Bearer");
    assert_string_equal(aadcred::SecretString(nullptr).c_str(), "");

    // The JSON stays in the library's buffer (wiped on release); moving hands it over.
    aadcred::SecretString json = token->to_json();
    assert_int_equal(json.size(), std::strlen(json.c_str()));
    assert_true(json.view().find("\"accessToken\":\"AT\"") != std::string_view::npos);
    aadcred::SecretString taken = std::move(json);
    assert_true(json.empty());
    assert_string_equal(json.c_str(), "");
    assert_true(taken.view().starts_with("{"));

    // Move-only RAII: the moved-to token owns the handle, the moved-from one is empty.
    aadcred::Token moved = std::move(*token);
    assert_true(moved.access_token() == "AT");
    assert_null(token->handle());
    assert_true(token->access_token().empty());

    // ADAL returns None on a miss: nullopt, not an exception.
    assert_false(ctx.acquire_token(kResource, "", "another-client").has_value());

    cache.deserialize("[]");
    assert_int_equal(cache.count(), 0);
    aadcred::AdalError e = expect_throw([&] { cache.deserialize("{}"); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
}

void test_user_code_info(void **) {
    aadcred::UserCodeInfo code = aadcred::UserCodeInfo::from_json(kUserCode);
    assert_true(code.user_code() == "ABCD-EFGH");
    assert_true(code.device_code() == "DC123");
    assert_true(code.verification_url() == "https://microsoft.com/devicelogin");
    assert_int_equal(code.expires_in(), 900);
    assert_int_equal(code.interval(), 5);
    aadcred::UserCodeInfo again =
        aadcred::UserCodeInfo::from_json(std::string(code.to_json().view()));
    assert_true(again.message() == code.message());

    aadcred::AuthenticationContext ctx(kAuthority);
    aadcred::AdalError e =
        expect_throw([&] { ctx.cancel_request_to_get_token_with_device_code(code); });
    assert_string_equal(e.what(), "No acquire_token_with_device_code existed to be cancelled");
}

void test_logging_sink(void **) {
    std::vector<std::string> lines;
    aadcred::LoggingOptions options;
    options.level = aadcred::LogLevel::verbose;
    options.sink = [&lines](aadcred::LogLevel level, std::string_view line) {
        if (level == aadcred::LogLevel::verbose) lines.emplace_back(line);
    };
    aadcred::set_logging_options(options);
    aadcred::LoggingOptions read = aadcred::get_logging_options();
    assert_int_equal(static_cast<int>(read.level), static_cast<int>(aadcred::LogLevel::verbose));
    assert_true(static_cast<bool>(read.sink));

    aadcred::ContextOptions context_options;
    context_options.validate_authority = false;
    aadcred::AuthenticationContext ctx(kAuthority, context_options);
    ctx.set_correlation_id("corr-cpp-1");
    assert_false(ctx.acquire_token(kResource, "", "client-1").has_value());
    aadcred::set_logging_options(aadcred::LoggingOptions());  // drops the sink

    assert_false(lines.empty());
    assert_true(lines.front().rfind("corr-cpp-1 - ", 0) == 0);
    assert_false(static_cast<bool>(aadcred::get_logging_options().sink));
}

void test_credential_provider(void **) {
    aadcred::CredentialProvider::Request request;
    request.authority = kAuthority;
    request.client_id = "client-1";
    request.store = "memory";  // issue 3: the resource is checked by get_token only
    aadcred::AdalError e = expect_throw([&] { aadcred::CredentialProvider(request).get_token(); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
    assert_non_null(std::strstr(e.what(), "resource is required"));

    request.resource = kResource;
    request.store = "memory";
    request.validate_authority = false;
    aadcred::CredentialProvider provider(request);
    e = expect_throw([&] { provider.get_token(); });
    assert_int_equal(e.code(), AADCRED_EINTERACTION_REQUIRED);
    assert_true(provider.store_name() == "memory");
    assert_string_equal(provider.list_json().c_str(), "[]");
    assert_int_equal(provider.logout("", true), 0);

    // Moving keeps the prompt's payload valid (it lives on the heap).
    request.allow_prompt = true;
    aadcred::CredentialProvider prompting(request);
    aadcred::CredentialProvider moved = std::move(prompting);
    e = expect_throw([&] { moved.get_token(); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
}

// verify_id_token hands every IdentityOptions field to the C ABI (each refusal below is
// the library's own check of one field) and throws what it recorded; a token without an
// id_token is refused, never taken as an identity.
void test_verify_id_token(void **) {
    aadcred::ContextOptions context_options;
    context_options.validate_authority = false;
    const aadcred::AuthenticationContext context(kAuthority, context_options);
    const aadcred::TokenCache cache(kFreshCache);
    const aadcred::Token token = cache.item(0);
    aadcred::KeyCache keys;
    aadcred::KeyCache moved_keys = std::move(keys);

    aadcred::IdentityOptions options;
    aadcred::AdalError e = expect_throw([&] { context.verify_id_token(token, options); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
    assert_non_null(std::strstr(e.what(), "client_id"));

    options.client_id = "client-1";
    options.key_cache = &moved_keys;
    options.clock_skew = std::chrono::hours(2);
    e = expect_throw([&] { context.verify_id_token(token, options); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
    assert_non_null(std::strstr(e.what(), "clock_skew"));
    options.clock_skew = std::chrono::seconds(1LL << 32);  // not wrapped into range
    e = expect_throw([&] { context.verify_id_token(token, options); });
    assert_non_null(std::strstr(e.what(), "clock_skew"));

    options.clock_skew = std::chrono::seconds(60);
    options.key_cache_dir = "var/cache/aadcred/keys";
    e = expect_throw([&] { context.verify_id_token(token, options); });
    assert_int_equal(e.code(), AADCRED_EINVALID);
    assert_non_null(std::strstr(e.what(), "key_cache_dir must be an absolute path"));

    options.key_cache_dir.clear();
    options.allowed_tenants = "tid-1,tid-2";
    e = expect_throw([&] { context.verify_id_token(token, options); });
    assert_int_equal(e.code(), AADCRED_ERROR);
    assert_int_equal(e.klass(), AADCRED_ERROR_CLASS_PROTOCOL);
    assert_non_null(std::strstr(e.what(), "without an id_token"));
}

}  // namespace

int main() {
    const PrivateRuntimeDir runtime;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_carries_fields),
        cmocka_unit_test(test_token_cache_and_acquire_token),
        cmocka_unit_test(test_user_code_info),
        cmocka_unit_test(test_logging_sink),
        cmocka_unit_test(test_credential_provider),
        cmocka_unit_test(test_verify_id_token),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
