// The hot cache of access tokens (src/cache/hot_cache.hpp), in a fresh session keyring per
// test (AADCRED_KEYRING=session), so the user's own keyrings are never touched. Where the
// kernel refuses keyctl, every test reports SKIPPED with the reason.

#include "cache/hot_cache.hpp"

#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>

#include "cache/memory_store.hpp"
#include "keyring_session.hpp"

using namespace aadcred;
using namespace std::chrono_literals;

namespace {

const char kAuthority[] = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
const char kResource[] = "https://graph.windows.net/";

// expiresOn as ADAL writes it: local time, microseconds.
std::string expires_in(std::chrono::seconds from_now) {
    const std::time_t at = std::time(nullptr) + from_now.count();
    std::tm local{};
    localtime_r(&at, &local);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S.000000", &local);
    return text;
}

TokenEntry make_token(const std::string &access_token, std::chrono::seconds life = 3600s) {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set_string(key::expires_on, expires_in(life));
    e.set_string(key::resource, kResource);
    e.set_string(key::access_token, access_token);
    e.set_string(key::refresh_token, "RT-" + access_token);
    e.set_string(key::user_id, "alice@contoso.com");
    e.set_string(key::client_id, "client-1");
    e.set_string(key::authority, kAuthority);
    return e;
}

HotCacheKey alice() {
    return HotCacheKey{"unix:path=/run/user/1000/bus",
                       kAuthority,
                       kResource,
                       "client-1",
                       "alice@contoso.com",
                       ApiKind::v1};
}

HotCache open_hot(const HotCacheKey &key = alice()) {
    cache_test::skip_without_keyring();
    auto hot = HotCache::open(key);
    assert_true(hot.has_value());
    return *hot;
}

int fresh_session(void **state) {
    cache_test::fresh_session_keyring(state);
    unsetenv("AADCRED_HOT_CACHE");
    return 0;
}

void a_put_token_is_found_without_its_refresh_token(void **) {
    open_hot().put(make_token("AT-1"));
    const auto found = open_hot().find(300s);
    assert_true(found.has_value());
    assert_string_equal(found->string(key::access_token)->data(), "AT-1");
    assert_false(found->has(key::refresh_token));
}

void a_token_too_close_to_expiry_is_not_answered(void **) {
    open_hot().put(make_token("AT-short", 400s));
    assert_true(open_hot().find(300s).has_value());
    assert_false(open_hot().find(600s).has_value());  // git asks for 10 minutes
}

void another_request_is_not_answered(void **) {
    open_hot().put(make_token("AT-1"));
    HotCacheKey bob = alice();
    bob.user_id = "bob@contoso.com";
    HotCacheKey other_resource = alice();
    other_resource.resource = "https://management.core.windows.net/";
    HotCacheKey any_user = alice();
    any_user.user_id.clear();
    HotCacheKey upper = alice();
    upper.user_id = "Alice@Contoso.com";
    HotCacheKey other_session = alice();  // another session's Secret Service
    other_session.bus = "unix:path=/run/user/1000/other-bus";
    assert_false(open_hot(bob).find(300s).has_value());
    assert_false(open_hot(other_session).find(300s).has_value());
    assert_false(open_hot(other_resource).find(300s).has_value());
    assert_false(open_hot(any_user).find(300s).has_value());
    assert_true(open_hot(upper).find(300s).has_value());  // user ids ignore case
}

void a_store_write_empties_the_hot_cache(void **) {
    open_hot().put(make_token("AT-1"));
    auto store = clearing_hot_cache_on_write(std::make_unique<MemoryStore>());
    store->remove(make_token("AT-1"));
    assert_false(open_hot().find(300s).has_value());
}

void a_put_after_another_writer_is_lost(void **) {
    const HotCache before_my_read = open_hot();
    // Another process (here: another thread) writes the store after this one read it.
    std::thread([] { clear_hot_cache(); }).join();
    before_my_read.put(make_token("AT-stale"));
    assert_false(open_hot().find(300s).has_value());
}

void a_put_after_my_own_write_is_kept(void **) {
    const HotCache before_my_read = open_hot();
    auto store = clearing_hot_cache_on_write(std::make_unique<MemoryStore>());
    store->save(make_token("AT-refreshed"));  // this thread's refresh
    before_my_read.put(make_token("AT-refreshed"));
    const auto found = open_hot().find(300s);
    assert_true(found.has_value());
    assert_string_equal(found->string(key::access_token)->data(), "AT-refreshed");
}

// The one key in the hot keyring (the test's session keyring holds a single request's).
key_serial_t the_only_hot_key() {
    const long keyring = keyctl_search(KEY_SPEC_SESSION_KEYRING, "keyring", "aadcred-hot", 0);
    assert_true(keyring >= 0);
    key_serial_t serials[4];
    const long n = keyctl_read(static_cast<key_serial_t>(keyring),
                               reinterpret_cast<char *>(serials), sizeof serials);
    assert_int_equal(n, sizeof(key_serial_t));
    return serials[0];
}

void an_entry_naming_another_request_is_not_answered(void **) {
    // As if two requests' names collided: the payload names bob, the name is alice's.
    open_hot().put(make_token("AT-1"));
    const key_serial_t serial = the_only_hot_key();
    std::string payload(4096, '\0');
    const long n = keyctl_read(serial, payload.data(), payload.size());
    assert_true(n > 0);
    payload.resize(static_cast<std::size_t>(n));
    const std::string alice_text = "alice@contoso.com\\nv1";
    const std::size_t at = payload.find(alice_text);
    assert_true(at != std::string::npos);
    payload.replace(at, alice_text.size(), "bob@contoso.com\\nv1");
    assert_int_equal(keyctl_update(serial, payload.data(), payload.size()), 0);
    assert_false(open_hot().find(300s).has_value());
}

void the_off_switch_turns_it_off(void **) {
    cache_test::skip_without_keyring();
    setenv("AADCRED_HOT_CACHE", "off", 1);
    assert_false(HotCache::open(alice()).has_value());
    unsetenv("AADCRED_HOT_CACHE");
}

}  // namespace

int main() {
    setenv("AADCRED_KEYRING", "session", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_put_token_is_found_without_its_refresh_token, fresh_session),
        cmocka_unit_test_setup(a_token_too_close_to_expiry_is_not_answered, fresh_session),
        cmocka_unit_test_setup(another_request_is_not_answered, fresh_session),
        cmocka_unit_test_setup(a_store_write_empties_the_hot_cache, fresh_session),
        cmocka_unit_test_setup(a_put_after_another_writer_is_lost, fresh_session),
        cmocka_unit_test_setup(a_put_after_my_own_write_is_kept, fresh_session),
        cmocka_unit_test_setup(an_entry_naming_another_request_is_not_answered, fresh_session),
        cmocka_unit_test_setup(the_off_switch_turns_it_off, fresh_session),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
