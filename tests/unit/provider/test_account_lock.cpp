// AccountLock across processes: one lock per authority and client (so any mix of users
// and resources refreshes each refresh token once), a bounded wait, and a lock directory
// no other user can claim (issue 9).

#include "provider/account_lock.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "cache/file_store.hpp"
#include "provider_fixture.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;
using cache_test::TempDir;
using namespace provider_test;

namespace {

// How many of `pids` have the lock file `path` open: each opens it just before it tries
// to take the lock (the wait is a repeated non-blocking flock, so /proc/locks lists no
// waiters).
int holding_open(const std::vector<pid_t> &pids, const std::string &path) {
    int n = 0;
    for (pid_t pid : pids) {
        std::error_code ec;
        const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
        for (const auto &fd : std::filesystem::directory_iterator(fds, ec)) {
            if (std::filesystem::read_symlink(fd.path(), ec).string() == path) {
                ++n;
                break;
            }
        }
    }
    return n;
}

// What one racing child did, as its exit status.
enum Outcome { kNoRefresh = 0, kRefreshedOriginal = 1, kRefreshedRotated = 2, kFailed = 4 };

// Forks one child per request; each runs get() once (blocked first on the lock held
// here) and exits with its Outcome.
std::vector<int> race(Fixture &f, const std::vector<CredentialRequest> &requests) {
    AccountLock held(kAuthority, kClient, std::chrono::seconds(30));
    held.lock();
    std::vector<pid_t> children;
    for (const auto &r : requests) {
        const pid_t child = ::fork();
        assert_true(child >= 0);
        if (child == 0) {
            int status = kFailed;
            try {
                CredentialProvider provider(r);
                const TokenEntry token = provider.get(nullptr);
                if (!token.secret(key::access_token).empty()) status = kNoRefresh;
                for (const auto &req : f.authority->requests) {
                    if (!contains(req, "grant_type=refresh_token")) continue;
                    status = contains(req, "refresh_token=RT-AT-old") ? kRefreshedOriginal
                                                                      : kRefreshedRotated;
                }
            } catch (...) {
            }
            ::_exit(status);
        }
        children.push_back(child);
    }
    // Wait (bounded) until every child reached the lock, then let them go.
    for (int i = 0; i < 1000 && holding_open(children, held.path()) < int(children.size()); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    assert_int_equal(holding_open(children, held.path()), children.size());
    held.unlock();
    std::vector<int> outcomes;
    for (pid_t child : children) {
        int status = 0;
        assert_int_equal(::waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        outcomes.push_back(WEXITSTATUS(status));
    }
    return outcomes;
}

int count_of(const std::vector<int> &outcomes, int outcome) {
    return static_cast<int>(std::count(outcomes.begin(), outcomes.end(), outcome));
}

void racing_processes_refresh_once(void **) {
    Fixture f;
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-old", -60));
    // Without the lock (or without re-reading the store after taking it) both would
    // refresh.
    const CredentialRequest r = request(f, "file:" + f.cache_path());
    const auto outcomes = race(f, {r, r});
    assert_int_equal(count_of(outcomes, kRefreshedOriginal), 1);
    assert_int_equal(count_of(outcomes, kNoRefresh), 1);
    const auto stored = FileStore(f.cache_path()).load_all();
    assert_int_equal(stored.size(), 1);
    assert_sv_equal(stored[0].secret(key::access_token).reveal(), "AT-refreshed-1");
}

void any_mix_of_users_and_resources_refreshes_each_token_once(void **) {
    Fixture f;
    // One expired access token and its multi-resource refresh token.
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-old", -60));
    const CredentialRequest plain = request(f, "file:" + f.cache_path());
    CredentialRequest named = plain;
    named.user_id = "ALICE@contoso.com";
    CredentialRequest other = plain;
    other.resource = "https://other.example/";
    CredentialRequest other_named = other;
    other_named.user_id = "alice@contoso.com";
    const auto outcomes = race(f, {plain, named, other, other_named, named, other});
    // Each resource needs one refresh: the first one spends the original refresh token,
    // the second the rotated one it stored. Nobody fails, nobody refreshes twice.
    assert_int_equal(count_of(outcomes, kFailed), 0);
    assert_int_equal(count_of(outcomes, kRefreshedOriginal), 1);
    assert_int_equal(count_of(outcomes, kRefreshedRotated), 1);
    assert_int_equal(count_of(outcomes, kNoRefresh), 4);
    assert_int_equal(FileStore(f.cache_path()).load_all().size(), 2);
}

void one_lock_per_authority_and_client(void **) {
    const std::chrono::seconds wait(1);
    const AccountLock a(kAuthority, kClient, wait);
    const AccountLock upper("HTTPS://login.microsoftonline.com/CONTOSO.onmicrosoft.com", "CLIENT-1",
                            wait);
    const AccountLock other(kAuthority, "client-2", wait);
    assert_sv_equal(a.path(), upper.path());
    assert_true(a.path() != other.path());
}

void lock_wait_is_bounded_by_the_timeout(void **) {
    Fixture f;
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-good", 3600));
    // Another process (here: another open file description) holds the lock for good.
    AccountLock held(kAuthority, kClient, std::chrono::seconds(1));
    held.lock();
    CredentialRequest r = request(f, "file:" + f.cache_path());
    r.timeout = std::chrono::seconds(1);
    // Naming the user and another resource changes nothing: it is the same lock.
    r.user_id = "alice@contoso.com";
    r.resource = "https://other.example/";
    const std::string message =
        expect_error(ErrorClass::timeout, [&] { CredentialProvider(r).get(nullptr); });
    assert_true(contains(message, "another aadcred process holds the lock for this account"));
    assert_true(contains(message, "gave up after 1 s"));
    assert_int_equal(f.authority->requests.size(), 0);
    held.unlock();
    r.resource = kResource;
    assert_sv_equal(CredentialProvider(r).get(nullptr).secret(key::access_token).reveal(),
                    "AT-good");
}

void lock_directory_is_private(void **) {
    const std::string dir = lock_directory();
    struct stat st {};
    assert_int_equal(::lstat(dir.c_str(), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_true(contains(dir, "/aadcred"));
    // A directory others may enter is refused.
    assert_int_equal(::chmod(dir.c_str(), 0755), 0);
    expect_error(ErrorClass::store, [] { lock_directory(); });
    assert_int_equal(::chmod(dir.c_str(), 0700), 0);
}

// Restores one environment variable when the test ends.
struct SavedEnv {
    std::string name;
    std::optional<std::string> value;
    explicit SavedEnv(std::string n) : name(std::move(n)) {
        if (const char *v = std::getenv(name.c_str())) value = v;
    }
    ~SavedEnv() {
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
};

void without_runtime_dir_locks_live_in_the_home(void **) {
    const SavedEnv runtime("XDG_RUNTIME_DIR"), home("HOME"), state("XDG_STATE_HOME");
    TempDir dir;
    ::unsetenv("XDG_RUNTIME_DIR");
    ::unsetenv("XDG_STATE_HOME");
    ::setenv("HOME", dir.path().c_str(), 1);
    // Not /tmp/aadcred-<uid>, which any user could have made first.
    const std::string expected = dir / ".local/state/aadcred";
    assert_sv_equal(lock_directory(), expected);
    struct stat st {};
    assert_int_equal(::lstat(expected.c_str(), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(::lstat((dir / ".local").c_str(), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    const AccountLock lock(kAuthority, kClient, std::chrono::seconds(1));
    assert_true(contains(lock.path(), expected + "/"));

    ::setenv("XDG_STATE_HOME", (dir / "state/").c_str(), 1);
    assert_sv_equal(lock_directory(), dir / "state/aadcred");
    // A directory made by someone else (here: open to others) is refused, naming the way
    // out.
    assert_int_equal(::chmod((dir / "state/aadcred").c_str(), 0777), 0);
    const std::string message = expect_error(ErrorClass::store, [] { lock_directory(); });
    assert_true(contains(message, "XDG_RUNTIME_DIR"));
}

}  // namespace

int main() {
    // Lock files go to a private runtime directory, not the user's.
    TempDir runtime;
    ::setenv("XDG_RUNTIME_DIR", runtime.path().c_str(), 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(racing_processes_refresh_once),
        cmocka_unit_test(any_mix_of_users_and_resources_refreshes_each_token_once),
        cmocka_unit_test(one_lock_per_authority_and_client),
        cmocka_unit_test(lock_wait_is_bounded_by_the_timeout),
        cmocka_unit_test(lock_directory_is_private),
        cmocka_unit_test(without_runtime_dir_locks_live_in_the_home),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
