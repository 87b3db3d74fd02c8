// The Secret Service store against a real gnome-keyring on a private bus: run through
// tests/tools/keyring-session (see meson.build). Checks what a user sees with Seahorse or
// `secret-tool search xdg:schema org.aadcred.Token`, lower-cased attributes, replace by
// key, a locked collection (reported, nothing deleted) and a missing bus (a fast error).

#include "cache/secret_service_store.hpp"

#include <libsecret/secret.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include "cache_test.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;
using cache_test::TempDir;

namespace {

const char kAuthority[] = "https://login.microsoftonline.com/Contoso.onmicrosoft.com";
const char kResource[] = "https://graph.windows.net/";

TokenEntry make_entry(const std::string &user, const std::string &at,
                      const std::string &client = "Client-1") {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set(key::expires_in, std::int64_t{3600});
    e.set_string(key::expires_on, "2019-01-01 10:00:00.000000");
    e.set_string(key::resource, kResource);
    e.set_string(key::access_token, at);
    e.set_string(key::refresh_token, "RT-" + at);
    e.set_string(key::user_id, user);
    e.set(key::is_mrrt, true);
    e.set_string(key::client_id, client);
    e.set_string(key::authority, kAuthority);
    return e;
}

std::unique_ptr<Store> open(bool allow_prompt = true) {
    StoreOptions options;
    options.spec = "secret-service";
    options.allow_prompt = allow_prompt;
    return open_secret_service_store(options);
}

// Every item of our schema, straight from libsecret (locked ones included, no prompt).
struct Item {
    std::string label;
    std::map<std::string, std::string> attributes;
    bool locked = false;
};
std::vector<Item> raw_items() {
    GError *error = nullptr;
    SecretService *service = secret_service_get_sync(SECRET_SERVICE_NONE, nullptr, &error);
    assert_non_null(service);
    GHashTable *attrs = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(attrs, const_cast<char *>("xdg:schema"),
                        const_cast<char *>(kSecretSchemaName));
    GList *found =
        secret_service_search_sync(service, nullptr, attrs, SECRET_SEARCH_ALL, nullptr, &error);
    assert_null(error);
    std::vector<Item> items;
    for (GList *l = found; l != nullptr; l = l->next) {
        SecretItem *item = SECRET_ITEM(l->data);
        Item out;
        gchar *label = secret_item_get_label(item);
        out.label = label;
        g_free(label);
        GHashTable *table = secret_item_get_attributes(item);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, table);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            out.attributes[static_cast<char *>(k)] = static_cast<char *>(v);
        }
        g_hash_table_unref(table);
        out.locked = secret_item_get_locked(item);
        items.push_back(out);
    }
    g_list_free_full(found, g_object_unref);
    g_hash_table_unref(attrs);
    g_object_unref(service);
    return items;
}

void remove_everything() {
    auto store = open();
    for (const auto &e : store->load_all()) store->remove(e);
    assert_int_equal(raw_items().size(), 0);
}

int setup(void **) {
    remove_everything();
    return 0;
}

void save_load_round_trip(void **) {
    auto store = open();
    assert_sv_equal(store->name(), "secret-service");
    const TokenEntry alice = make_entry("alice@contoso.com", "AT1");
    store->save(alice);
    const auto loaded = store->load(kAuthority, "Client-1");
    assert_int_equal(loaded.size(), 1);
    assert_true(loaded[0] == alice);
    assert_sv_equal(loaded[0].secret(key::refresh_token).reveal(), "RT-AT1");
}

void label_and_lower_cased_attributes(void **) {
    auto store = open();
    store->save(make_entry("Alice@Contoso.COM", "AT1"));
    const auto items = raw_items();
    assert_int_equal(items.size(), 1);
    assert_sv_equal(items[0].label, "aadcred: Alice@Contoso.COM (https://graph.windows.net/)");
    const std::map<std::string, std::string> want = {
        {"xdg:schema", "org.aadcred.Token"},
        {"authority", "https://login.microsoftonline.com/contoso.onmicrosoft.com"},
        {"client_id", "client-1"},
        {"resource", "https://graph.windows.net/"},
        {"user_id", "alice@contoso.com"},
    };
    assert_true(items[0].attributes == want);  // the key only: no token among them
    // (The secret goes out as application/json, but gnome-keyring keeps no content type:
    // it answers text/plain for every item, so that cannot be checked here.)
    // Lookups ignore case too.
    assert_int_equal(
        store->load("HTTPS://LOGIN.microsoftonline.com/contoso.onmicrosoft.com", "CLIENT-1").size(),
        1);
}

void secret_tool_finds_it_by_schema(void **) {
    auto store = open();
    store->save(make_entry("alice@contoso.com", "AT1"));
    FILE *pipe = ::popen("secret-tool search xdg:schema org.aadcred.Token 2>&1", "r");
    assert_non_null(pipe);
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    assert_int_equal(::pclose(pipe), 0);
    assert_true(contains(out, "label = aadcred: alice@contoso.com (https://graph.windows.net/)"));
    assert_true(contains(out, "attribute.user_id = alice@contoso.com"));
    assert_true(contains(out, "attribute.client_id = client-1"));
    assert_true(contains(out, "\"accessToken\":\"AT1\""));  // the secret is the entry's JSON
}

void save_replaces_by_key(void **) {
    auto store = open();
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    store->save(make_entry("ALICE@contoso.com", "AT2"));  // same key, other case
    assert_int_equal(raw_items().size(), 2);
    const auto loaded = store->load(kAuthority, "client-1");
    assert_int_equal(loaded.size(), 2);
    int alices = 0;
    for (const auto &e : loaded) {
        if (e.secret(key::access_token).reveal() == "AT2") ++alices;
        assert_true(e.secret(key::access_token).reveal() != "AT1");
    }
    assert_int_equal(alices, 1);
}

void remove_and_load_all(void **) {
    auto store = open();
    store->save(make_entry("alice@contoso.com", "AT1"));
    store->save(make_entry("alice@contoso.com", "AT-2", "client-2"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    assert_int_equal(store->load_all().size(), 3);
    assert_int_equal(store->load(kAuthority, "client-2").size(), 1);
    store->remove(make_entry("BOB@contoso.com", "ignored"));
    assert_int_equal(store->load_all().size(), 2);
    store->remove(make_entry("nobody@contoso.com", "x"));  // missing: not an error
    assert_int_equal(store->load(kAuthority, "client-1").size(), 1);
}

void load_user_asks_for_one_users_items(void **) {
    auto store = open();
    store->save(make_entry("alice@contoso.com", "AT-alice"));
    store->save(make_entry("bob@contoso.com", "AT-bob"));
    store->save(make_entry("alice@contoso.com", "AT-other-client", "client-2"));
    const auto alices = store->load_user(kAuthority, "CLIENT-1", "Alice@Contoso.com");
    assert_int_equal(alices.size(), 1);
    assert_true(alices[0].secret(key::access_token).reveal() == "AT-alice");
    assert_int_equal(store->load_user(kAuthority, "client-1", "carol@contoso.com").size(), 0);
}

void others_items_are_not_ours(void **) {
    // An item of another schema with the same attribute names is never loaded.
    GError *error = nullptr;
    const SecretSchema other = {
        "org.example.Other", SECRET_SCHEMA_NONE, {{"user_id", SECRET_SCHEMA_ATTRIBUTE_STRING}}};
    assert_true(secret_password_store_sync(&other, SECRET_COLLECTION_DEFAULT, "other", "pw",
                                           nullptr, &error, "user_id", "alice@contoso.com",
                                           nullptr));
    assert_null(error);
    auto store = open();
    assert_int_equal(store->load_all().size(), 0);
}

// Runs last: gnome-keyring cannot be unlocked again without a prompter.
void locked_collection_is_reported_and_nothing_deleted(void **) {
    open()->save(make_entry("alice@contoso.com", "AT1"));
    GError *error = nullptr;
    SecretService *service = secret_service_get_sync(SECRET_SERVICE_NONE, nullptr, &error);
    SecretCollection *login = secret_collection_for_alias_sync(
        service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, nullptr, &error);
    assert_non_null(login);
    GList objects{login, nullptr, nullptr};
    assert_int_equal(secret_service_lock_sync(service, &objects, nullptr, nullptr, &error), 1);
    g_object_unref(login);
    g_object_unref(service);

    auto quiet = open(false);
    std::string message =
        expect_error(ErrorClass::store, [&] { quiet->load(kAuthority, "client-1"); });
    assert_true(contains(message, "The Secret Service collection is locked"));
    expect_error(ErrorClass::store, [&] { quiet->load_all(); });
    expect_error(ErrorClass::store, [&] { quiet->remove(make_entry("alice@contoso.com", "x")); });
    expect_error(ErrorClass::store, [&] { quiet->save(make_entry("bob@contoso.com", "x")); });

    // Prompting allowed, but the prompt cannot be shown here (no display): reported too.
    auto prompting = open(true);
    message = expect_error(ErrorClass::store, [&] { prompting->load(kAuthority, "client-1"); });
    assert_true(contains(message, "locked"));

    const auto items = raw_items();
    assert_int_equal(items.size(), 1);  // still there
    assert_true(items[0].locked);
}

// The child half of the "no bus" tests: exit 0 when open() fails with a store error.
int no_bus_child() {
    try {
        open();
    } catch (const AdalError &e) {
        std::fprintf(stderr, "%s\n", e.what());
        const bool ok =
            e.klass() == ErrorClass::store && std::strstr(e.what(), "No Secret Service") != nullptr;
        return ok ? 0 : 2;
    }
    return 1;
}

// Runs this binary again with `address` as the session bus (nullptr: unset), timing it.
std::chrono::milliseconds run_child_with_bus(const char *address, const std::string &runtime) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (address != nullptr) {
            ::setenv("DBUS_SESSION_BUS_ADDRESS", address, 1);
        } else {
            ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
        }
        // No autolaunch through X11 and no $XDG_RUNTIME_DIR/bus to fall back on.
        ::unsetenv("DISPLAY");
        ::setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
        ::execl("/proc/self/exe", "test_secret_service_store", "--no-bus-child", nullptr);
        ::_exit(127);
    }
    int status = 0;
    assert_int_equal(::waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
}

void no_bus_is_a_fast_store_error(void **) {
    TempDir dir;
    // GDBus's default call timeout is 25 s; these must fail at once.
    assert_true(run_child_with_bus(nullptr, dir.path()).count() < 5000);
    const std::string dead = "unix:path=" + (dir / "no-such-socket");
    assert_true(run_child_with_bus(dead.c_str(), dir.path()).count() < 5000);
}

void silent_bus_is_cut_off_by_the_deadline(void **) {
    // A socket that accepts connections but never says a word: without a deadline the
    // D-Bus handshake would wait forever.
    TempDir dir;
    const std::string path = dir / "silent";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    assert_int_equal(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    assert_int_equal(::listen(fd, 4), 0);
    const std::string address = "unix:path=" + path;
    assert_true(run_child_with_bus(address.c_str(), dir.path()).count() < 20000);
    ::close(fd);
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--no-bus-child") == 0) return no_bus_child();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_bus_is_a_fast_store_error),
        cmocka_unit_test(silent_bus_is_cut_off_by_the_deadline),
        cmocka_unit_test_setup(save_load_round_trip, setup),
        cmocka_unit_test_setup(label_and_lower_cased_attributes, setup),
        cmocka_unit_test_setup(secret_tool_finds_it_by_schema, setup),
        cmocka_unit_test_setup(save_replaces_by_key, setup),
        cmocka_unit_test_setup(remove_and_load_all, setup),
        cmocka_unit_test_setup(load_user_asks_for_one_users_items, setup),
        cmocka_unit_test_setup(others_items_are_not_ours, setup),
        cmocka_unit_test_setup(locked_collection_is_reported_and_nothing_deleted, setup),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
