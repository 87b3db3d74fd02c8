// CredentialProvider::get: cache hit → silent refresh → device code flow → store, with a
// canned authority (fake_authority.cpp) and memory or file stores.

#include "provider/credential_provider.hpp"

#include <chrono>
#include <functional>
#include <thread>

#include "cache/file_store.hpp"
#include "provider_fixture.hpp"

using namespace aadcred;
using cache_test::contains;
using cache_test::expect_error;
using cache_test::TempDir;
using namespace provider_test;

namespace {

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

// Issue 13: a stored entry without isMRRT (python3-adal's own, or the Azure CLI's) serves
// its resource and is never redeemed for another one, as through the C ABI's cache and the
// core's own: a miss, no refresh request.
void stored_entry_without_is_mrrt_is_not_redeemed(void **) {
    Fixture f;
    TokenEntry entry = cached("alice@contoso.com", "AT-vault", 3600, "https://vault.azure.net");
    entry.erase(key::is_mrrt);
    FileStore(f.cache_path()).save(entry);
    CredentialRequest r = request(f, "file:" + f.cache_path());
    r.allow_prompt = false;
    r.resource = "https://vault.azure.net";
    assert_sv_equal(CredentialProvider(r).get(nullptr).secret(key::access_token).reveal(),
                    "AT-vault");
    r.resource = kResource;
    CredentialProvider provider(r);
    expect_error(ErrorClass::interaction_required, [&] { provider.get(nullptr); });
    assert_int_equal(f.authority->requests.size(), 0);
    assert_int_equal(FileStore(f.cache_path()).load_all().size(), 1);
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
        cmocka_unit_test(stored_entry_without_is_mrrt_is_not_redeemed),
        cmocka_unit_test(rejected_refresh_falls_back_to_sign_in),
        cmocka_unit_test(declined_prompt_is_cancelled),
        cmocka_unit_test(cancel_before_polling_starts),
        cmocka_unit_test(cancel_while_polling_wakes_the_poller),
        cmocka_unit_test(several_accounts_are_never_guessed),
        cmocka_unit_test(signing_in_as_someone_else_is_refused),
        cmocka_unit_test(forget_access_token_keeps_the_refresh_token),
        cmocka_unit_test(logout_and_list),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
