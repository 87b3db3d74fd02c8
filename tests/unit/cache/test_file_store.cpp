// FileStore: ADAL's TokenCache JSON in a private file, replaced atomically.

#include "cache/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/adal/token_cache.hpp"

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
    e.set_string(key::token_type, "Bearer");
    e.set(key::expires_in, std::int64_t{3600});
    e.set_string(key::expires_on, "2019-01-01 10:00:00.000000");
    e.set_string(key::resource, "https://graph.windows.net/");
    e.set_string(key::access_token, at);
    e.set_string(key::refresh_token, "RT-" + user);
    e.set_string(key::user_id, user);
    e.set(key::is_mrrt, true);
    e.set_string(key::client_id, client);
    e.set_string(key::authority, kAuthority);
    return e;
}

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_text(const std::string &path, const std::string &text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
    assert_int_equal(::chmod(path.c_str(), mode), 0);
}

struct stat stat_of(const std::string &path) {
    struct stat st {};
    assert_int_equal(::lstat(path.c_str(), &st), 0);
    return st;
}

void missing_file_is_an_empty_store(void **) {
    TempDir dir;
    FileStore store(dir / "tokens.json");
    assert_sv_equal(store.name(), "file");
    assert_int_equal(store.load_all().size(), 0);
    assert_int_equal(store.load(kAuthority, "client-1").size(), 0);
}

void save_writes_adal_format_0600(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    FileStore store(path);
    const TokenEntry alice = make_entry("alice@contoso.com", "AT");
    store.save(alice);
    const struct stat st = stat_of(path);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    // Exactly what python3-adal's TokenCache.serialize() writes for this entry.
    assert_sv_equal(read_text(path), "[" + alice.to_python_json() + "]");
    TokenCache check(read_text(path));
    assert_int_equal(check.size(), 1);

    const auto loaded = store.load(kAuthority, "client-1");
    assert_int_equal(loaded.size(), 1);
    assert_true(loaded[0] == alice);
}

void save_replaces_by_key_and_file_atomically(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    FileStore store(path);
    store.save(make_entry("alice@contoso.com", "AT1"));
    store.save(make_entry("bob@contoso.com", "AT-bob"));
    const ino_t before = stat_of(path).st_ino;
    store.save(make_entry("ALICE@contoso.com", "AT2"));  // same key, other case
    // A new file was renamed over the old one (readers never see half a file).
    assert_true(stat_of(path).st_ino != before);
    assert_int_equal(stat_of(path).st_mode & 07777, 0600);
    const auto all = store.load_all();
    assert_int_equal(all.size(), 2);
    assert_sv_equal(all[0].secret(key::access_token).reveal(), "AT2");
    assert_sv_equal(all[1].secret(key::access_token).reveal(), "AT-bob");
    // Nothing but the cache and its lock file is left behind.
    int files = 0;
    for (const auto &f : std::filesystem::directory_iterator(dir.path())) {
        const auto name = f.path().filename().string();
        assert_true(name == "tokens.json" || name == "tokens.json.lock");
        ++files;
    }
    assert_int_equal(files, 2);
}

void load_selects_authority_and_client_without_case(void **) {
    TempDir dir;
    FileStore store(dir / "tokens.json");
    store.save(make_entry("alice@contoso.com", "AT1"));
    store.save(make_entry("alice@contoso.com", "AT-other", "client-2"));
    const auto found =
        store.load("HTTPS://login.microsoftonline.com/CONTOSO.onmicrosoft.com", "CLIENT-1");
    assert_int_equal(found.size(), 1);
    assert_sv_equal(found[0].secret(key::access_token).reveal(), "AT1");
    assert_int_equal(store.load(kAuthority, "client-3").size(), 0);
}

// Store::load_user's default (the file, keyring and memory stores): load, then the user.
void load_user_keeps_one_users_entries(void **) {
    TempDir dir;
    FileStore store(dir / "tokens.json");
    store.save(make_entry("alice@contoso.com", "AT1"));
    store.save(make_entry("bob@contoso.com", "AT-bob"));
    const auto found = store.load_user(kAuthority, "client-1", "ALICE@contoso.com");
    assert_int_equal(found.size(), 1);
    assert_sv_equal(found[0].secret(key::access_token).reveal(), "AT1");
    assert_int_equal(store.load_user(kAuthority, "client-1", "carol@contoso.com").size(), 0);
}

void remove_by_key(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    FileStore store(path);
    store.save(make_entry("alice@contoso.com", "AT1"));
    store.save(make_entry("bob@contoso.com", "AT2"));
    store.remove(make_entry("Bob@Contoso.com", "whatever"));
    const auto all = store.load_all();
    assert_int_equal(all.size(), 1);
    assert_sv_equal(*all[0].string(key::user_id), "alice@contoso.com");
    store.remove(make_entry("nobody@contoso.com", "x"));  // missing: not an error
    store.remove(make_entry("alice@contoso.com", "x"));
    assert_sv_equal(read_text(path), "[]");
}

void reads_a_python_adal_file(void **) {
    TempDir dir;
    const std::string path = dir / "accessTokens.json";
    // Written by python3-adal (json.dumps of TokenCache), including an incomplete entry.
    const std::string text =
        R"([{"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
        R"("resource": "https://management.core.windows.net/", "accessToken": "AT-app", )"
        R"("isMRRT": true, "_clientId": "app-id", "_authority": )"
        R"("https://login.microsoftonline.com/contoso.onmicrosoft.com"}, {"accessToken": "x"}])";
    write_text(path, text, 0600);
    FileStore store(path);
    assert_int_equal(store.load_all().size(), 2);
    assert_int_equal(store.load(kAuthority, "app-id").size(), 1);
}

void refuses_a_file_others_can_read(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    FileStore store(path);
    store.save(make_entry("alice@contoso.com", "AT1"));
    const std::string before = read_text(path);
    for (mode_t mode : {0644, 0640, 0604, 0620}) {
        assert_int_equal(::chmod(path.c_str(), mode), 0);
        std::string message = expect_error(ErrorClass::store, [&] { store.load_all(); });
        assert_true(contains(message, "accessible by other users"));
        message = expect_error(ErrorClass::store,
                               [&] { store.save(make_entry("bob@contoso.com", "AT2")); });
        assert_true(contains(message, "chmod 600"));
        assert_sv_equal(read_text(path), before);  // refused, not rewritten
    }
}

void refuses_a_symlink(void **) {
    TempDir dir;
    const std::string target = dir / "real.json";
    write_text(target, "[]", 0600);
    const std::string link = dir / "tokens.json";
    assert_int_equal(::symlink(target.c_str(), link.c_str()), 0);
    FileStore store(link);
    expect_error(ErrorClass::store, [&] { store.load_all(); });
}

void corrupt_file_is_a_store_error(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    write_text(path, "{\"not\": \"a list\"}", 0600);
    FileStore store(path);
    const std::string message = expect_error(ErrorClass::store, [&] { store.load_all(); });
    assert_true(contains(message, path));
    // Never overwritten by a save either.
    expect_error(ErrorClass::store, [&] { store.save(make_entry("a@b.c", "AT")); });
    assert_sv_equal(read_text(path), "{\"not\": \"a list\"}");
}

// Today's bug was a hang: an alarm turns one into a failure instead of a stuck suite.
struct HangGuard {
    HangGuard() { ::alarm(20); }
    ~HangGuard() { ::alarm(0); }
};

void a_fifo_is_refused_not_waited_on(void **) {
    const HangGuard guard;
    TempDir dir;
    const std::string path = dir / "tokens.json";
    assert_int_equal(::mkfifo(path.c_str(), 0600), 0);
    FileStore store(path);
    std::string message = expect_error(ErrorClass::store, [&] { store.load_all(); });
    assert_true(contains(message, "not a regular file"));
    message = expect_error(ErrorClass::store, [&] { store.save(make_entry("a@b.c", "AT")); });
    assert_true(contains(message, "not a regular file"));
    assert_true(S_ISFIFO(stat_of(path).st_mode));  // never renamed over
    // A FIFO planted as the lock file is refused too.
    const std::string other = dir / "other.json";
    assert_int_equal(::mkfifo((other + ".lock").c_str(), 0600), 0);
    message =
        expect_error(ErrorClass::store, [&] { FileStore(other).save(make_entry("a", "AT")); });
    assert_true(contains(message, "not a regular file"));
}

void a_write_removes_copies_a_killed_writer_left(void **) {
    TempDir dir;
    const std::string path = dir / "tokens.json";
    FileStore store(path);
    store.save(make_entry("alice@contoso.com", "AT1"));
    // What kill -9 between writing the temporary copy and renaming it leaves behind.
    const std::string stale = path + ".aadcred-tmp-Ab3xYz";
    write_text(stale, "[" + make_entry("alice@contoso.com", "AT-stale").to_python_json() + "]",
               0600);
    // Not ours to remove: a symlink under such a name (nor what it points to), names that
    // only look alike, and files of other caches.
    const std::string target = dir / "elsewhere.json";
    write_text(target, "keep", 0600);
    const std::string link = path + ".aadcred-tmp-link00";
    assert_int_equal(::symlink(target.c_str(), link.c_str()), 0);
    const std::string longer = path + ".aadcred-tmp-toolong1";
    write_text(longer, "keep", 0600);
    const std::string other_cache = dir / "other.json.aadcred-tmp-Ab3xYz";
    write_text(other_cache, "keep", 0600);

    const std::string theirs = path + ".aadcred-tmp-Theirs";
    write_text(theirs, "keep", 0600);
    const bool root = ::geteuid() == 0;  // only root can give a file to another user
    if (root) assert_int_equal(::chown(theirs.c_str(), 65534, 65534), 0);

    store.save(make_entry("bob@contoso.com", "AT2"));
    assert_int_equal(::access(stale.c_str(), F_OK), -1);
    assert_int_equal(::access(theirs.c_str(), F_OK), root ? 0 : -1);
    assert_true(S_ISLNK(stat_of(link).st_mode));
    assert_sv_equal(read_text(target), "keep");
    assert_sv_equal(read_text(longer), "keep");
    assert_sv_equal(read_text(other_cache), "keep");
    assert_int_equal(store.load_all().size(), 2);
    // A removal that changes the file writes it too, and cleans as well.
    write_text(stale, "x", 0600);
    store.remove(make_entry("bob@contoso.com", "AT2"));
    assert_int_equal(::access(stale.c_str(), F_OK), -1);
}

void empty_path_is_invalid(void **) {
    expect_error(ErrorClass::invalid, [] { FileStore store(""); });
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_file_is_an_empty_store),
        cmocka_unit_test(save_writes_adal_format_0600),
        cmocka_unit_test(save_replaces_by_key_and_file_atomically),
        cmocka_unit_test(load_selects_authority_and_client_without_case),
        cmocka_unit_test(load_user_keeps_one_users_entries),
        cmocka_unit_test(remove_by_key),
        cmocka_unit_test(reads_a_python_adal_file),
        cmocka_unit_test(refuses_a_file_others_can_read),
        cmocka_unit_test(refuses_a_symlink),
        cmocka_unit_test(corrupt_file_is_a_store_error),
        cmocka_unit_test(empty_path_is_invalid),
        cmocka_unit_test(a_fifo_is_refused_not_waited_on),
        cmocka_unit_test(a_write_removes_copies_a_killed_writer_left),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
