// The kernel keyring store, in a fresh session keyring joined at start, so the user's own
// keyrings are never touched. Where the kernel refuses keyctl (a container's seccomp
// policy, a kernel without keys), every test reports SKIPPED with the reason.

#include "cache/kernel_keyring_store.hpp"

#include <keyutils.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "keyring_session.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;

namespace {

const char kAuthority[] = "https://login.microsoftonline.com/contoso.onmicrosoft.com";

TokenEntry make_entry(const std::string &user, const std::string &at,
                      const std::string &client = "client-1") {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set_string(key::resource, "https://graph.windows.net/");
    e.set_string(key::access_token, at);
    e.set_string(key::refresh_token, "RT-" + at);
    e.set_string(key::user_id, user);
    e.set_string(key::client_id, client);
    e.set_string(key::authority, kAuthority);
    e.set(key::is_mrrt, true);
    return e;
}

std::unique_ptr<Store> open_session_store() {
    cache_test::skip_without_keyring();
    return make_kernel_keyring_store(KEY_SPEC_SESSION_KEYRING);
}

// Serials of the keys in our session keyring with this description prefix.
std::vector<key_serial_t> keys_named(std::string_view prefix) {
    std::vector<key_serial_t> found;
    key_serial_t serials[256];
    const long n =
        keyctl_read(KEY_SPEC_SESSION_KEYRING, reinterpret_cast<char *>(serials), sizeof serials);
    assert_true(n >= 0);
    for (long i = 0; i < n / static_cast<long>(sizeof(key_serial_t)); ++i) {
        char *text = nullptr;
        if (keyctl_describe_alloc(serials[i], &text) < 0) continue;
        const std::string description(text);
        std::free(text);
        // "type;uid;gid;perm;description"
        const std::size_t at = description.rfind(';');
        if (description.substr(at + 1).starts_with(prefix)) found.push_back(serials[i]);
    }
    return found;
}

void round_trip_keeps_the_entry(void **) {
    auto store = open_session_store();
    assert_sv_equal(store->name(), "keyring");
    assert_int_equal(store->load_all().size(), 0);
    const TokenEntry alice = make_entry("alice@contoso.com", "AT1");
    store->save(alice);
    const auto loaded = store->load(kAuthority, "client-1");
    assert_int_equal(loaded.size(), 1);
    assert_true(loaded[0] == alice);
    assert_sv_equal(loaded[0].secret(key::refresh_token).reveal(), "RT-AT1");
    // Another store on the same keyring (the next git fetch) sees it too.
    assert_int_equal(make_kernel_keyring_store(KEY_SPEC_SESSION_KEYRING)->load_all().size(), 1);
}

void save_replaces_the_entry_with_the_same_key(void **) {
    auto store = open_session_store();
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("ALICE@CONTOSO.COM", "AT2"));  // keys compare without case
    const auto all = store->load_all();
    assert_int_equal(all.size(), 1);
    assert_sv_equal(all[0].secret(key::access_token).reveal(), "AT2");
    assert_int_equal(keys_named(kKeyringKeyPrefix).size(), 1);
}

void load_selects_authority_and_client(void **) {
    auto store = open_session_store();
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    store->save(make_entry("alice@contoso.com", "AT-c2", "client-2"));
    assert_int_equal(store->load_all().size(), 3);
    assert_int_equal(
        store->load("HTTPS://LOGIN.microsoftonline.com/contoso.onmicrosoft.com", "CLIENT-1").size(),
        2);
    assert_int_equal(store->load(kAuthority, "client-2").size(), 1);
    assert_int_equal(store->load(kAuthority, "client-3").size(), 0);
    // Keys of other programs in the same keyring are left alone and not read as entries.
    assert_true(add_key("user", "someone-else:token", "x", 1, KEY_SPEC_SESSION_KEYRING) > 0);
    assert_true(add_key("user", "aadcred:not-json", "{", 1, KEY_SPEC_SESSION_KEYRING) > 0);
    assert_int_equal(store->load_all().size(), 3);
}

void remove_deletes_only_that_entry(void **) {
    auto store = open_session_store();
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    const key_serial_t bob_before = [] {
        for (key_serial_t k : keys_named(kKeyringKeyPrefix)) {
            char buffer[512] = {};
            if (keyctl_read(k, buffer, sizeof buffer - 1) > 0 &&
                std::strstr(buffer, "AT-bob") != nullptr) {
                return k;
            }
        }
        return key_serial_t{0};
    }();
    store->remove(make_entry("Bob@Contoso.com", "whatever"));
    store->remove(make_entry("nobody@contoso.com", "x"));  // missing: not an error
    const auto left = store->load_all();
    assert_int_equal(left.size(), 1);
    assert_sv_equal(*left[0].string(key::user_id), "alice@contoso.com");
    // The removed key is revoked, not just unlinked: its token cannot be read any more.
    char buffer[16];
    assert_true(keyctl_read(bob_before, buffer, sizeof buffer) < 0);
}

void entries_are_private_to_their_owner(void **) {
    auto store = open_session_store();
    store->save(make_entry("alice@contoso.com", "AT1"));
    const auto keys = keys_named(kKeyringKeyPrefix);
    assert_int_equal(keys.size(), 1);
    char *text = nullptr;
    assert_true(keyctl_describe_alloc(keys[0], &text) > 0);
    const std::string description(text);
    std::free(text);
    // "user;<uid>;<gid>;<perm hex>;aadcred:<64 hex>": no user name in the description.
    assert_true(contains(description, "user;" + std::to_string(::getuid()) + ";"));
    assert_true(description.find("alice") == std::string::npos);
    const std::size_t perm_at = description.find(';', description.find(';', 5) + 1) + 1;
    const unsigned long perm = std::stoul(description.substr(perm_at, 8), nullptr, 16);
    assert_int_equal(perm & 0xffff, 0);                   // nothing for group and other
    assert_int_equal(perm & KEY_POS_ALL, KEY_POS_ALL);    // the possessor may do all
    assert_int_equal(perm & KEY_USR_SETATTR, 0);          // the owner may not chmod it
    assert_int_equal(perm & KEY_USR_READ, KEY_USR_READ);  // but may read it
    assert_int_equal(description.size() - description.rfind(';') - 1, 8 + 64);
}

void oversized_entry_is_a_store_error(void **) {
    auto store = open_session_store();
    TokenEntry big = make_entry("alice@contoso.com", std::string(kMaxKeyringPayload, 'A'));
    const std::string message = expect_error(ErrorClass::store, [&] { store->save(big); });
    assert_true(contains(message, "32767"));
    assert_true(contains(message, "--store file:PATH"));
    assert_int_equal(store->load_all().size(), 0);
}

void fallback_notice_is_claimed_once_per_keyring(void **) {
    auto store = open_session_store();
    assert_true(claim_keyring_fallback_notice(*store));
    assert_false(claim_keyring_fallback_notice(*store));
    assert_false(
        claim_keyring_fallback_notice(*make_kernel_keyring_store(KEY_SPEC_SESSION_KEYRING)));
    assert_int_equal(store->load_all().size(), 0);  // the marker is not an entry
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(round_trip_keeps_the_entry, cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(save_replaces_the_entry_with_the_same_key,
                               cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(load_selects_authority_and_client,
                               cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(remove_deletes_only_that_entry, cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(entries_are_private_to_their_owner,
                               cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(oversized_entry_is_a_store_error, cache_test::fresh_session_keyring),
        cmocka_unit_test_setup(fallback_notice_is_claimed_once_per_keyring,
                               cache_test::fresh_session_keyring),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
