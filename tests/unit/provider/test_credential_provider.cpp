// CredentialProvider::get: cache hit → silent refresh → device code flow → store, with a
// canned authority (fake_authority.cpp) and memory or file stores.

#include "provider/credential_provider.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "cache/file_store.hpp"
#include "core/token_response.hpp"
#include "fake_authority.hpp"
#include "provider/account_lock.hpp"

#include "../cache/cache_test.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;
using cache_test::TempDir;
using provider_test::FakeAuthority;

namespace {

const char kAuthority[] = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
const char kClient[] = "client-1";
const char kResource[] = "https://graph.windows.net/";

struct Fixture {
    TempDir dir;
    std::shared_ptr<FakeAuthority> authority = std::make_shared<FakeAuthority>();
    std::string cache_path() const { return dir / "cache.json"; }
};

CredentialRequest request(Fixture &f, const std::string &store = "memory") {
    CredentialRequest r;
    r.authority = kAuthority;
    r.client_id = kClient;
    r.resource = kResource;
    r.validate_authority = false;
    r.store.spec = store;
    r.transport_factory = f.authority->factory();
    return r;
}

// An entry as ADAL caches it, valid for `valid_for` more seconds (negative: expired).
TokenEntry cached(const std::string &user, const std::string &at, long valid_for,
                  const std::string &resource = kResource) {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set(key::expires_in, std::int64_t{3600});
    e.set_string(key::expires_on, format_adal_time(std::chrono::system_clock::now() +
                                                   std::chrono::seconds(valid_for)));
    e.set_string(key::resource, resource);
    e.set_string(key::access_token, at);
    e.set_string(key::refresh_token, "RT-" + at);
    e.set_string(key::user_id, user);
    e.set(key::is_user_id_displayable, true);
    e.set(key::is_mrrt, true);
    e.set_string(key::client_id, kClient);
    e.set_string(key::authority, kAuthority);
    return e;
}

struct RecordingPrompter : Prompter {
    int shown = 0;
    int done_calls = 0;
    std::string user_code;
    bool answer = true;
    std::function<void()> on_show;
    bool show(const UserCodeInfo &code) override {
        ++shown;
        user_code = code.user_code;
        if (on_show) on_show();
        return answer;
    }
    void done(const UserCodeInfo &) override { ++done_calls; }
};

void device_flow_then_cache_hit(void **) {
    Fixture f;
    CredentialProvider provider(request(f));
    RecordingPrompter prompter;
    const TokenEntry token = provider.get(&prompter);
    assert_sv_equal(token.secret(key::access_token).reveal(), "AT-device");
    assert_sv_equal(*token.string(key::user_id), "alice@contoso.com");
    assert_int_equal(prompter.shown, 1);
    assert_int_equal(prompter.done_calls, 1);
    assert_sv_equal(prompter.user_code, "ABCD-EFGH");
    assert_sv_equal(provider.store_name(), "memory");
    assert_int_equal(provider.list().size(), 1);  // stored
    const std::size_t requests = f.authority->requests.size();
    assert_int_equal(requests, 2);  // devicecode + one poll

    // Hit: the same token, no request, no prompt.
    const TokenEntry again = provider.get(&prompter);
    assert_sv_equal(again.secret(key::access_token).reveal(), "AT-device");
    assert_int_equal(f.authority->requests.size(), requests);
    assert_int_equal(prompter.shown, 1);
}

void expired_token_is_refreshed_once_and_stored(void **) {
    Fixture f;
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-old", -60));
    CredentialProvider provider(request(f, "file:" + f.cache_path()));
    RecordingPrompter prompter;
    const TokenEntry token = provider.get(&prompter);
    assert_sv_equal(token.secret(key::access_token).reveal(), "AT-refreshed-1");
    assert_int_equal(f.authority->refreshes, 1);
    assert_true(contains(f.authority->requests[0], "refresh_token=RT-AT-old"));
    assert_int_equal(prompter.shown, 0);
    // The store holds the new tokens (one entry, replaced by key).
    const auto stored = FileStore(f.cache_path()).load_all();
    assert_int_equal(stored.size(), 1);
    assert_sv_equal(stored[0].secret(key::access_token).reveal(), "AT-refreshed-1");
    assert_sv_equal(stored[0].secret(key::refresh_token).reveal(), "RT-refreshed-1");
    // And a second get is a hit.
    provider.get(&prompter);
    assert_int_equal(f.authority->refreshes, 1);
}

void min_validity_forces_an_early_refresh(void **) {
    Fixture f;
    // Valid for 8 more minutes: fine for ADAL's 5-minute buffer, not for git's 10.
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-8min", 480));
    CredentialRequest r = request(f, "file:" + f.cache_path());
    CredentialProvider relaxed(r);
    assert_sv_equal(relaxed.get(nullptr).secret(key::access_token).reveal(), "AT-8min");
    assert_int_equal(f.authority->refreshes, 0);
    r.min_validity = std::chrono::seconds(600);
    CredentialProvider strict(r);
    assert_sv_equal(strict.get(nullptr).secret(key::access_token).reveal(), "AT-refreshed-1");
    assert_int_equal(f.authority->refreshes, 1);
}

void miss_without_prompt_is_interaction_required(void **) {
    Fixture f;
    CredentialRequest r = request(f);
    r.allow_prompt = false;
    CredentialProvider provider(r);
    RecordingPrompter prompter;
    const std::string message =
        expect_error(ErrorClass::interaction_required, [&] { provider.get(&prompter); });
    assert_true(contains(message, "Interaction required"));
    assert_true(contains(message, "prompting is not allowed"));
    assert_int_equal(prompter.shown, 0);
    assert_int_equal(f.authority->requests.size(), 0);
}

void rejected_refresh_falls_back_to_sign_in(void **) {
    Fixture f;
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-old", -60));
    f.authority->refresh_rejected = true;
    CredentialRequest r = request(f, "file:" + f.cache_path());
    r.allow_prompt = false;
    const std::string message =
        expect_error(ErrorClass::interaction_required, [&] { CredentialProvider(r).get(nullptr); });
    assert_true(contains(message, "invalid_grant"));
    // The entry survives a failed refresh (ADAL keeps it too).
    assert_int_equal(FileStore(f.cache_path()).load_all().size(), 1);

    r.allow_prompt = true;
    RecordingPrompter prompter;
    const TokenEntry token = CredentialProvider(r).get(&prompter);
    assert_sv_equal(token.secret(key::access_token).reveal(), "AT-device");
    assert_int_equal(prompter.shown, 1);
    const auto stored = FileStore(f.cache_path()).load_all();
    assert_int_equal(stored.size(), 1);
    assert_sv_equal(stored[0].secret(key::refresh_token).reveal(), "RT-device");
}

void declined_prompt_is_cancelled(void **) {
    Fixture f;
    CredentialProvider provider(request(f));
    RecordingPrompter prompter;
    prompter.answer = false;
    expect_error(ErrorClass::cancelled, [&] { provider.get(&prompter); });
    assert_int_equal(prompter.done_calls, 1);
    assert_int_equal(f.authority->device_polls, 0);
    assert_int_equal(provider.list().size(), 0);
}

void cancel_before_polling_starts(void **) {
    Fixture f;
    CredentialProvider provider(request(f));
    RecordingPrompter prompter;
    prompter.on_show = [&] { provider.cancel(); };  // e.g. Ctrl-C while the code shows
    const std::string message =
        expect_error(ErrorClass::cancelled, [&] { provider.get(&prompter); });
    assert_sv_equal(message, "Polling_Request_Cancelled");
    assert_int_equal(prompter.done_calls, 1);
    assert_int_equal(f.authority->device_polls, 0);
}

void cancel_while_polling_wakes_the_poller(void **) {
    Fixture f;
    f.authority->pending_polls = 1000;  // nobody ever approves
    f.authority->device_expires_in = "60";
    CredentialProvider provider(request(f));
    RecordingPrompter prompter;
    std::thread canceller([&] {
        f.authority->wait_for_polls(1);  // the poller now sleeps its 5 s interval
        provider.cancel();
    });
    const auto start = std::chrono::steady_clock::now();
    expect_error(ErrorClass::cancelled, [&] { provider.get(&prompter); });
    canceller.join();
    // Woken at once, not after the interval (let alone the 60 s deadline).
    assert_true(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    assert_int_equal(f.authority->device_polls, 1);
    assert_int_equal(prompter.done_calls, 1);
    assert_int_equal(provider.list().size(), 0);
}

void several_accounts_are_never_guessed(void **) {
    Fixture f;
    FileStore store(f.cache_path());
    store.save(cached("alice@contoso.com", "AT-alice", 3600));
    // Bob's token is for another resource: ADAL would use Alice's (first MRRT) or his.
    store.save(cached("bob@contoso.com", "AT-bob", 3600, "https://other.example/"));
    const std::string message = expect_error(ErrorClass::invalid, [&] {
        CredentialProvider(request(f, "file:" + f.cache_path())).get(nullptr);
    });
    assert_true(
        contains(message, "More than one token matches the criteria. The result is ambiguous."));
    assert_int_equal(f.authority->requests.size(), 0);

    CredentialRequest r = request(f, "file:" + f.cache_path());
    r.user_id = "ALICE@contoso.com";
    assert_sv_equal(CredentialProvider(r).get(nullptr).secret(key::access_token).reveal(),
                    "AT-alice");
    assert_int_equal(f.authority->requests.size(), 0);
}

void signing_in_as_someone_else_is_refused(void **) {
    Fixture f;
    f.authority->signed_in_user = "mallory@contoso.com";
    CredentialRequest r = request(f);
    r.user_id = "alice@contoso.com";
    CredentialProvider provider(r);
    RecordingPrompter prompter;
    const std::string message = expect_error(ErrorClass::invalid, [&] { provider.get(&prompter); });
    assert_true(contains(message, "mallory@contoso.com"));
}

void forget_access_token_keeps_the_refresh_token(void **) {
    Fixture f;
    FileStore(f.cache_path()).save(cached("alice@contoso.com", "AT-good", 3600));
    CredentialProvider provider(request(f, "file:" + f.cache_path()));
    provider.forget_access_token(SecretString(std::string("AT-other")));  // not ours: kept
    assert_sv_equal(provider.get(nullptr).secret(key::access_token).reveal(), "AT-good");
    assert_int_equal(f.authority->refreshes, 0);

    provider.forget_access_token(SecretString(std::string("AT-good")));
    const auto stored = FileStore(f.cache_path()).load_all();
    assert_int_equal(stored.size(), 1);
    assert_true(stored[0].secret(key::access_token).empty());
    assert_sv_equal(stored[0].secret(key::refresh_token).reveal(), "RT-AT-good");
    // The next get refreshes silently with the kept refresh token.
    assert_sv_equal(provider.get(nullptr).secret(key::access_token).reveal(), "AT-refreshed-1");
    assert_int_equal(f.authority->refreshes, 1);
}

void logout_and_list(void **) {
    Fixture f;
    FileStore store(f.cache_path());
    store.save(cached("alice@contoso.com", "AT-alice", 3600));
    store.save(cached("bob@contoso.com", "AT-bob", 3600));
    CredentialProvider provider(request(f, "file:" + f.cache_path()));
    assert_int_equal(provider.list().size(), 2);
    assert_int_equal(provider.logout("Alice@Contoso.com", false), 1);
    const auto left = provider.list();
    assert_int_equal(left.size(), 1);
    assert_sv_equal(*left[0].string(key::user_id), "bob@contoso.com");
    assert_int_equal(provider.logout("", true), 1);
    assert_int_equal(provider.list().size(), 0);
}

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
        cmocka_unit_test(device_flow_then_cache_hit),
        cmocka_unit_test(expired_token_is_refreshed_once_and_stored),
        cmocka_unit_test(min_validity_forces_an_early_refresh),
        cmocka_unit_test(miss_without_prompt_is_interaction_required),
        cmocka_unit_test(rejected_refresh_falls_back_to_sign_in),
        cmocka_unit_test(declined_prompt_is_cancelled),
        cmocka_unit_test(cancel_before_polling_starts),
        cmocka_unit_test(cancel_while_polling_wakes_the_poller),
        cmocka_unit_test(several_accounts_are_never_guessed),
        cmocka_unit_test(signing_in_as_someone_else_is_refused),
        cmocka_unit_test(forget_access_token_keeps_the_refresh_token),
        cmocka_unit_test(logout_and_list),
        cmocka_unit_test(racing_processes_refresh_once),
        cmocka_unit_test(any_mix_of_users_and_resources_refreshes_each_token_once),
        cmocka_unit_test(one_lock_per_authority_and_client),
        cmocka_unit_test(lock_wait_is_bounded_by_the_timeout),
        cmocka_unit_test(lock_directory_is_private),
        cmocka_unit_test(without_runtime_dir_locks_live_in_the_home),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
