// acquire_token's cache rules (ADAL's CacheDriver, reference §5.2, with SPEC's fixes) and
// acquire_token_with_refresh_token, on an in-memory cache and a scripted transport.

#include <string>

#include "../common/fakes.hpp"
#include "core/adal/authentication_context.hpp"
#include "core/adal/token_cache.hpp"
#include "core/oauth2/token_response.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;
using namespace std::chrono_literals;
using test::json_reply;

namespace {

constexpr const char *kAuthority = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
constexpr const char *kGraph = "https://graph.windows.net/";
constexpr const char *kArm = "https://management.core.windows.net/";
constexpr const char *kClient = "client-1";
constexpr const char *kAlice = "alice@contoso.com";

struct Options {
    const char *resource = kGraph;
    const char *user = kAlice;
    std::chrono::seconds lifetime = 1h;  // from now; negative: expired
    const char *access_token = "AT-old";
    const char *refresh_token = "RT-old";  // nullptr: none
    std::optional<bool> mrrt = true;       // nullopt: no isMRRT key at all
    const char *authority = kAuthority;
};

TokenEntry entry(const Options &o) {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set(key::expires_in, std::int64_t{3600});
    e.set_string(key::expires_on, format_adal_time(std::chrono::system_clock::now() + o.lifetime));
    e.set_string(key::resource, o.resource);
    e.set_string(key::access_token, o.access_token);
    if (o.refresh_token != nullptr) e.set_string(key::refresh_token, o.refresh_token);
    if (o.user != nullptr) e.set_string(key::user_id, o.user);
    if (o.mrrt) e.set(key::is_mrrt, *o.mrrt);
    e.set_string(key::client_id, kClient);
    e.set_string(key::authority, o.authority);
    return e;
}

std::string refreshed_body(const char *resource = kArm) {
    std::string body = R"({"token_type":"Bearer","expires_in":"3600","access_token":"AT-new",)"
                       R"("refresh_token":"RT-new")";
    if (resource != nullptr) body += std::string(R"(,"resource":")") + resource + "\"";
    return body + "}";
}

struct Env {
    std::shared_ptr<test::Script> script = std::make_shared<test::Script>();
    std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>();
    std::unique_ptr<AuthenticationContext> context;

    explicit Env(std::vector<TokenEntry> entries = {}, ApiKind api = ApiKind::v1) {
        ContextOptions options;
        options.cache = cache;
        options.api = api;
        options.transport_factory = test::scripted(script);
        context = std::make_unique<AuthenticationContext>(kAuthority, options);
        cache->add(entries);
    }

    std::optional<TokenEntry> acquire(const char *resource, const char *user,
                                      const char *client = kClient,
                                      std::chrono::seconds buffer = kExpiryBuffer) {
        return context->acquire_token(resource, user != nullptr ? user : "", client, buffer);
    }
};

std::string str(const TokenEntry &e, std::string_view k) {
    return std::string(e.string(k).value_or("<absent>"));
}

AdalError acquire_error(Env &env, const char *resource, const char *user) {
    try {
        env.acquire(resource, user);
    } catch (const AdalError &e) {
        return e;
    }
    fail_msg("acquire_token did not fail");
    return AdalError(ErrorClass::internal, "unreachable");
}

void valid_entry_is_returned_without_network(void **) {
    Env env({entry({})});
    const auto token = env.acquire(kGraph, kAlice);
    assert_true(token.has_value());
    assert_string_equal(str(*token, key::access_token).c_str(), "AT-old");
    assert_int_equal(env.script->request_count(), 0);
    // Not even authority validation goes on the wire for a cache hit.
    assert_int_equal(env.script->transports.size(), 0);
}

void matching_ignores_case(void **) {
    Env env({entry({})});
    const auto token = env.acquire("HTTPS://GRAPH.windows.net/", "Alice@Contoso.COM", "CLIENT-1");
    assert_true(token.has_value());
    assert_string_equal(str(*token, key::access_token).c_str(), "AT-old");
    assert_int_equal(env.script->request_count(), 0);
}

void several_users_without_user_id_is_ambiguous(void **) {
    Env env({entry({}), entry({.user = "bob@contoso.com"})});
    const AdalError error = acquire_error(env, kGraph, nullptr);
    assert_string_equal(error.message().c_str(),
                        "More than one token matches the criteria. The result is ambiguous.");
    assert_int_equal(static_cast<int>(error.klass()), static_cast<int>(ErrorClass::invalid));
    // Naming the user resolves it.
    assert_true(env.acquire(kGraph, "bob@contoso.com").has_value());
}

void unknown_user_or_client_misses(void **) {
    Env env({entry({})});
    assert_false(env.acquire(kGraph, "carol@contoso.com").has_value());
    assert_false(env.acquire(kGraph, kAlice, "client-2").has_value());
    assert_int_equal(env.script->request_count(), 0);
}

void expired_without_refresh_token_is_removed(void **) {
    Env env({entry({.lifetime = -1h, .refresh_token = nullptr})});
    assert_false(env.acquire(kGraph, kAlice).has_value());
    assert_int_equal(env.cache->read_items().size(), 0);
    assert_int_equal(env.script->request_count(), 0);
}

void expired_entry_is_refreshed(void **) {
    Env env({entry({.lifetime = 2min})});  // inside the 5 minute buffer
    env.script->push(json_reply(200, refreshed_body(kGraph)));
    const auto token = env.acquire(kGraph, kAlice);
    assert_true(token.has_value());
    assert_int_equal(env.script->request_count(), 1);
    const HttpRequest request = env.script->request(0);
    assert_string_equal(request.url.c_str(), (std::string(kAuthority) + "/oauth2/token").c_str());
    // ADAL's cache refresh: requested resource, never a client secret.
    assert_string_equal(request.body.c_str(),
                        "grant_type=refresh_token&client_id=client-1&resource=https%3A%2F%2Fgraph."
                        "windows.net%2F&refresh_token=RT-old");
    assert_string_equal(str(*token, key::access_token).c_str(), "AT-new");
    assert_string_equal(str(*token, key::refresh_token).c_str(), "RT-new");
    assert_string_equal(str(*token, key::user_id).c_str(), kAlice);  // kept from the old entry
    const auto entries = env.cache->read_items();
    assert_int_equal(entries.size(), 1);
    assert_true(entries.front() == *token);
}

void expiry_buffer_is_the_callers(void **) {
    Env env({entry({.lifetime = 200s})});
    assert_true(env.acquire(kGraph, kAlice, kClient, 60s).has_value());
    assert_int_equal(env.script->request_count(), 0);
    env.script->push(json_reply(200, refreshed_body(kGraph)));
    const auto token = env.acquire(kGraph, kAlice, kClient, 600s);
    assert_string_equal(str(*token, key::access_token).c_str(), "AT-new");
    assert_int_equal(env.script->request_count(), 1);
}

void refresh_failure_keeps_the_entry(void **) {
    Env env({entry({.lifetime = -1h})});
    const std::string body = R"({"error":"invalid_grant","error_description":"AADSTS70008"})";
    env.script->push(json_reply(400, body));
    const AdalError error = acquire_error(env, kGraph, kAlice);
    assert_string_equal(
        error.message().c_str(),
        ("Get Token request returned http error: 400 and server response: " + body).c_str());
    assert_string_equal(error.error().c_str(), "invalid_grant");
    assert_int_equal(static_cast<int>(error.klass()), static_cast<int>(ErrorClass::server));
    assert_int_equal(env.cache->read_items().size(), 1);

    Env busy({entry({.lifetime = -1h})});
    busy.script->push(json_reply(503, ""));
    const AdalError down = acquire_error(busy, kGraph, kAlice);
    assert_string_equal(down.message().c_str(), "Get Token request returned http error: 503");
    assert_int_equal(static_cast<int>(down.klass()), static_cast<int>(ErrorClass::network));
}

void mrrt_is_redeemed_for_another_resource(void **) {
    Env env({entry({}), entry({.resource = "https://other/", .access_token = "AT-o"})});
    env.script->push(json_reply(200, refreshed_body(kArm)));
    const auto token = env.acquire(kArm, kAlice);
    assert_true(token.has_value());
    assert_string_equal(env.script->request(0).body.c_str(),
                        "grant_type=refresh_token&client_id=client-1&resource=https%3A%2F%2F"
                        "management.core.windows.net%2F&refresh_token=RT-old");
    assert_string_equal(str(*token, key::resource).c_str(), kArm);
    assert_string_equal(str(*token, key::access_token).c_str(), "AT-new");
    // The original entries stay, and every MRRT entry of alice now holds the new RT.
    const auto entries = env.cache->read_items();
    assert_int_equal(entries.size(), 3);
    for (const auto &e : entries) assert_string_equal(str(e, key::refresh_token).c_str(), "RT-new");
}

void refresh_token_propagation_stays_with_the_user(void **) {
    Env env({entry({}), entry({.user = "bob@contoso.com", .refresh_token = "RT-bob"})});
    env.script->push(json_reply(200, refreshed_body(kArm)));
    assert_true(env.acquire(kArm, kAlice).has_value());
    for (const auto &e : env.cache->read_items()) {
        const bool bob = str(e, key::user_id) == "bob@contoso.com";
        assert_string_equal(str(e, key::refresh_token).c_str(), bob ? "RT-bob" : "RT-new");
    }
}

void entries_without_is_mrrt_are_not_mrrt(void **) {
    // ADAL raises KeyError 'isMRRT' here; SPEC: such entries are simply not MRRT.
    Env env({entry({.mrrt = std::nullopt})});
    assert_false(env.acquire(kArm, kAlice).has_value());
    assert_int_equal(env.script->request_count(), 0);
    assert_int_equal(env.cache->read_items().size(), 1);
}

// Issue 13: a context given no cache makes its own, and it is the same TokenCache the C
// ABI and the provider use (it was a second, simpler list that took a missing isMRRT for
// false). Both ADAL rules for an entry without isMRRT hold on it: it answers no isMRRT
// query, and acquire_token never redeems it for another resource.
void a_context_s_own_cache_handles_entries_without_is_mrrt(void **) {
    auto script = std::make_shared<test::Script>();
    ContextOptions options;
    options.transport_factory = test::scripted(script);
    AuthenticationContext context(kAuthority, options);
    TokenEntry not_false = entry({.mrrt = std::nullopt});
    TokenEntry is_false = entry({.user = "bob@contoso.com", .mrrt = false});
    context.cache().add({not_false, is_false});
    CacheQuery query;
    query.is_mrrt = false;
    const std::vector<TokenEntry> found = context.cache().find(query);
    assert_int_equal(found.size(), 1);
    assert_string_equal(str(found[0], key::user_id).c_str(), "bob@contoso.com");
    assert_false(context.acquire_token(kArm, kAlice, kClient, kExpiryBuffer).has_value());
    assert_int_equal(script->request_count(), 0);
    assert_int_equal(context.cache().find(CacheQuery{}).size(), 2);
}

void mrrt_without_refresh_token_is_removed(void **) {
    Env env({entry({.refresh_token = nullptr})});
    assert_false(env.acquire(kArm, kAlice).has_value());
    assert_int_equal(env.cache->read_items().size(), 0);
}

void adfs_refresh_without_resource_fills_it(void **) {
    Env env({entry({.lifetime = -1h})});
    env.script->push(json_reply(200, refreshed_body(nullptr)));
    const auto token = env.acquire(kGraph, kAlice);
    assert_string_equal(str(*token, key::resource).c_str(), kGraph);
    assert_int_equal(env.cache->read_items().size(), 1);
}

void v2_refresh_sends_scopes(void **) {
    Env env({entry({.resource = "User.Read", .lifetime = -1h, .mrrt = std::nullopt})}, ApiKind::v2);
    env.script->push(json_reply(200, refreshed_body(nullptr)));
    assert_true(env.acquire("User.Read", kAlice).has_value());
    const HttpRequest request = env.script->request(0);
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/v2.0/token").c_str());
    assert_string_equal(request.body.c_str(),
                        "grant_type=refresh_token&client_id=client-1&scope=User.Read+openid+"
                        "profile+offline_access&refresh_token=RT-old");
}

void explicit_refresh_token_grant(void **) {
    Env env;
    env.script->push(json_reply(200, refreshed_body(kGraph)));
    const TokenEntry token = env.context->acquire_token_with_refresh_token(
        SecretString(std::string_view("RT-x")), kClient, kGraph,
        SecretString(std::string_view("s3cr3t&=")));
    assert_string_equal(env.script->request(0).body.c_str(),
                        "grant_type=refresh_token&client_id=client-1&resource=https%3A%2F%2Fgraph."
                        "windows.net%2F&client_secret=s3cr3t%26%3D&refresh_token=RT-x");
    assert_string_equal(str(token, key::access_token).c_str(), "AT-new");
    assert_false(token.has(key::client_id));  // ADAL returns the wire dict, uncached
    assert_int_equal(env.cache->read_items().size(), 0);

    Env plain;
    plain.script->push(json_reply(200, "<html>oops</html>"));
    try {
        plain.context->acquire_token_with_refresh_token(SecretString(std::string_view("RT")),
                                                        kClient, kGraph);
        fail_msg("junk accepted");
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::protocol));
    }
    assert_string_equal(plain.script->request(0).body.c_str(),
                        "grant_type=refresh_token&client_id=client-1&resource=https%3A%2F%2Fgraph."
                        "windows.net%2F&refresh_token=RT");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_entry_is_returned_without_network),
        cmocka_unit_test(matching_ignores_case),
        cmocka_unit_test(several_users_without_user_id_is_ambiguous),
        cmocka_unit_test(unknown_user_or_client_misses),
        cmocka_unit_test(expired_without_refresh_token_is_removed),
        cmocka_unit_test(expired_entry_is_refreshed),
        cmocka_unit_test(expiry_buffer_is_the_callers),
        cmocka_unit_test(refresh_failure_keeps_the_entry),
        cmocka_unit_test(mrrt_is_redeemed_for_another_resource),
        cmocka_unit_test(refresh_token_propagation_stays_with_the_user),
        cmocka_unit_test(entries_without_is_mrrt_are_not_mrrt),
        cmocka_unit_test(a_context_s_own_cache_handles_entries_without_is_mrrt),
        cmocka_unit_test(mrrt_without_refresh_token_is_removed),
        cmocka_unit_test(adfs_refresh_without_resource_fills_it),
        cmocka_unit_test(v2_refresh_sends_scopes),
        cmocka_unit_test(explicit_refresh_token_grant),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
