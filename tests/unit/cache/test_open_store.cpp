// open_store: the --store spec, and the memory store behind `--store memory`.

#include "cache/store.hpp"

#include "core/adal/token_cache.hpp"
#include "util/log.hpp"

#if AADCRED_TEST_HAVE_KEYUTILS && __has_include(<keyutils.h>)
#include <keyutils.h>
#define HAVE_KEYCTL 1
#endif

#include "cache_test.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;
using cache_test::TempDir;

namespace {

const char kAuthority[] = "https://login.microsoftonline.com/contoso.onmicrosoft.com";

TokenEntry make_entry(const std::string &user, const std::string &at,
                      const std::string &client = "client-1") {
    TokenEntry e;
    e.set_string(key::resource, "https://graph.windows.net/");
    e.set_string(key::access_token, at);
    e.set_string(key::user_id, user);
    e.set_string(key::client_id, client);
    e.set_string(key::authority, kAuthority);
    return e;
}

std::unique_ptr<Store> open(const std::string &spec) {
    StoreOptions options;
    options.spec = spec;
    return open_store(options);
}

void memory_store_saves_replaces_and_removes(void **) {
    auto store = open("memory");
    assert_sv_equal(store->name(), "memory");
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    store->save(make_entry("alice@contoso.com", "AT-other-client", "client-2"));
    store->save(make_entry("ALICE@CONTOSO.COM", "AT2"));  // same key: replaced
    assert_int_equal(store->load_all().size(), 3);
    const auto mine =
        store->load("HTTPS://LOGIN.microsoftonline.com/contoso.onmicrosoft.com", "Client-1");
    assert_int_equal(mine.size(), 2);
    assert_sv_equal(mine[0].secret(key::access_token).reveal(), "AT2");
    store->remove(make_entry("Bob@contoso.com", "x"));
    store->remove(make_entry("nobody", "x"));
    assert_int_equal(store->load(kAuthority, "client-1").size(), 1);
    // Each memory store is its own: nothing leaks between two of them.
    assert_int_equal(open("memory")->load_all().size(), 0);
}

void file_spec_opens_a_file_store(void **) {
    TempDir dir;
    auto store = open("file:" + (dir / "cache.json"));
    assert_sv_equal(store->name(), "file");
    store->save(make_entry("alice@contoso.com", "AT1"));
    assert_int_equal(open("file:" + (dir / "cache.json"))->load_all().size(), 1);
    expect_error(ErrorClass::invalid, [] { open("file:"); });
}

void unknown_specs_are_invalid(void **) {
    for (const char *spec : {"bogus", "File:/tmp/x", "memory ", "secret_service"}) {
        const std::string message = expect_error(ErrorClass::invalid, [&] { open(spec); });
        assert_true(contains(message, "auto, secret-service, keyring, memory or file:PATH"));
    }
}

// Tests that use the kernel keyring run in a fresh session keyring of their own (never
// the user's keyrings); where keyctl is refused (containers) they expect the clear error.
bool fresh_session_keyring() {
    ::setenv("AADCRED_KEYRING", "session", 1);
#ifdef HAVE_KEYCTL
    return keyctl_join_session_keyring(nullptr) >= 0;
#else
    return false;
#endif
}

void keyring_spec_opens_the_kernel_keyring(void **) {
    if (!fresh_session_keyring()) {
        const std::string message = expect_error(ErrorClass::store, [] { open("keyring"); });
        assert_true(contains(message, "No kernel keyring"));
        return;
    }
    auto store = open("keyring");
    assert_sv_equal(store->name(), "keyring");
    store->save(make_entry("alice@contoso.com", "AT1"));
    assert_int_equal(open("keyring")->load(kAuthority, "client-1").size(), 1);
    ::setenv("AADCRED_KEYRING", "floppy", 1);
    const std::string message = expect_error(ErrorClass::invalid, [] { open("keyring"); });
    assert_true(contains(message, "AADCRED_KEYRING"));
}

void auto_without_a_secret_service_says_what_to_do(void **) {
    // No session bus at all (this process has not touched D-Bus yet).
    TempDir runtime;
    ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
    ::unsetenv("DISPLAY");
    ::setenv("XDG_RUNTIME_DIR", runtime.path().c_str(), 1);
    std::string message = expect_error(ErrorClass::store, [] { open("secret-service"); });
    assert_true(contains(message, "No Secret Service"));

    // Issue 5: headless, auto falls back to the kernel keyring and says so once.
    static std::vector<std::string> said;
    LogOptions logging;
    logging.level = LogLevel::warning;
    logging.sink = [](LogLevel, const std::string &line) { said.push_back(line); };
    set_log_options(logging);
    if (fresh_session_keyring()) {
        assert_sv_equal(open("auto")->name(), "keyring");
        assert_sv_equal(open("auto")->name(), "keyring");
        assert_int_equal(said.size(), 1);
        assert_true(contains(said[0], "no Secret Service ("));
        assert_true(contains(said[0], "); using the kernel keyring"));
    }
    // Neither store usable: the error says what to do instead.
    ::setenv("AADCRED_KEYRING", "floppy", 1);
    message = expect_error(ErrorClass::store, [] { open("auto"); });
    assert_true(contains(message, "No Secret Service"));
    assert_true(contains(message, "--store memory or --store file:PATH"));
    set_log_options(LogOptions{});
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memory_store_saves_replaces_and_removes),
        cmocka_unit_test(file_spec_opens_a_file_store),
        cmocka_unit_test(unknown_specs_are_invalid),
        cmocka_unit_test(keyring_spec_opens_the_kernel_keyring),
        cmocka_unit_test(auto_without_a_secret_service_says_what_to_do),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
