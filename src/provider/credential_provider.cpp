#include "provider/credential_provider.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "cache/cache_key.hpp"
#include "cache/hot_cache.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/oauth2/claims.hpp"
#include "provider/account_lock.hpp"
#include "provider/handover.hpp"
#include "util/log.hpp"
#include "util/session_bus.hpp"

namespace aadcred {

namespace {

using namespace std::chrono_literals;

// ADAL's text for a lookup that would have to guess between accounts (§5.2).
constexpr const char *kAmbiguous =
    "More than one token matches the criteria. The result is ambiguous.";
// Written over a forgotten access token's expiresOn so every reader (ADAL too) refreshes.
constexpr const char *kLongAgo = "2000-01-01 00:00:00.000000";

ContextOptions context_options(const CredentialRequest &r, std::shared_ptr<TokenCache> cache) {
    ContextOptions o;
    o.validate_authority = r.validate_authority;
    o.cache = std::move(cache);
    o.timeout = r.timeout;
    o.ca_file = r.ca_file;
    o.proxy = r.proxy;
    o.api = r.api;
    o.transport_factory = r.transport_factory;
    if (!r.claims.empty()) o.claims = claims_with_client_capability(r.claims);
    return o;
}

// Applies what the engine changed in the cache to the store: entries new or different
// are saved, entries gone are removed. Untouched entries cost no store round trip.
void write_back(Store &store, const std::vector<TokenEntry> &before,
                const std::vector<TokenEntry> &after) {
    for (const auto &entry : after) {
        auto old = std::find_if(before.begin(), before.end(),
                                [&](const TokenEntry &b) { return same_cache_key(b, entry); });
        if (old == before.end() || !(*old == entry)) store.save(entry);
    }
    for (const auto &entry : before) {
        const bool kept = std::any_of(after.begin(), after.end(), [&](const TokenEntry &a) {
            return same_cache_key(a, entry);
        });
        if (!kept) store.remove(entry);
    }
}

// ADAL with no user id picks the first MRRT entry of any user; SPEC §5 says never guess.
void check_unambiguous(const std::vector<TokenEntry> &entries, const CredentialRequest &r) {
    if (!r.user_id.empty()) return;
    std::set<std::string> users;
    for (const auto &entry : entries) {
        const auto user = entry.string(key::user_id).value_or(std::string_view{});
        if (!user.empty()) users.insert(ascii_lower(user));
    }
    if (users.size() > 1) {
        throw AdalError(ErrorClass::invalid, std::string(kAmbiguous) + " " +
                                                 std::to_string(users.size()) +
                                                 " accounts are cached; name one (--user).");
    }
}

// A person may sign in as someone other than the account asked for; that token is kept
// in the store (it is valid) but never handed out as the other account's.
void check_user(const TokenEntry &token, const CredentialRequest &r) {
    if (r.user_id.empty()) return;
    const auto user = token.string(key::user_id).value_or(std::string_view{});
    if (!iequals_ascii(user, r.user_id)) {
        throw AdalError(ErrorClass::invalid, "Signed in as '" + std::string(user) +
                                                 "', but the account asked for is '" + r.user_id +
                                                 "'");
    }
}

// The hot cache answers only for what it mirrors, the Secret Service, and never a
// request whose claims challenge says the cached token was refused. Without a session
// bus there is no Secret Service to mirror: no keyctl at all then (a headless host's
// user keyring gets no "aadcred-hot" it would never use).
std::optional<HotCache> hot_cache_for(const CredentialRequest &r, const std::string &authority) {
    const std::string_view spec = r.store.spec;
    if (!r.hot_cache || !r.claims.empty()) return std::nullopt;
    if (spec != "auto" && !spec.empty() && spec != "secret-service") return std::nullopt;
    std::string bus = session_bus_address();
    if (bus.empty() && !session_bus_may_autolaunch()) return std::nullopt;
    return HotCache::open(
        HotCacheKey{std::move(bus), authority, r.resource, r.client_id, r.user_id, r.api});
}

std::string describe_account(const CredentialRequest &r, const std::string &authority) {
    return (r.user_id.empty() ? std::string("any account") : r.user_id) + " (" + r.resource +
           ") at " + authority;
}

}  // namespace

CredentialProvider::CredentialProvider(CredentialRequest request) : request_(std::move(request)) {}

CredentialProvider::~CredentialProvider() = default;

Store &CredentialProvider::store() {
    if (!store_) {
        StoreOptions options = request_.store;
        // No sign-in prompt allowed (PAM, GIT_TERMINAL_PROMPT=0): no unlock prompt either.
        options.allow_prompt = options.allow_prompt && request_.allow_prompt;
        store_ = open_store(options);
        // Tokens a PAM sign-in left for this user (docs/pam-sso.md) join the store
        // before the first lookup, so that lookup is a hit.
        import_handover(*store_);
    }
    return *store_;
}

std::string CredentialProvider::store_name() const {
    return store_ ? store_->name() : std::string();
}

TokenEntry CredentialProvider::get(Prompter *prompter) {
    cancelled_ = false;
    // Checked here, not when the provider is made: list, logout and the store hand-off
    // need no resource (issue 3).
    if (request_.resource.empty()) {
        throw AdalError(ErrorClass::invalid,
                        request_.api == ApiKind::v1
                            ? "A resource is required to get a token (resource is required for v1)"
                            : "Scopes are required to get a token (scopes are required for v2 "
                              "and oidc)");
    }
    auto cache = std::make_shared<TokenCache>();
    AuthenticationContext context(request_.authority, context_options(request_, cache));
    const std::string authority = context.authority().url();
    const Logger log("CredentialProvider", context.correlation_id());
    const std::chrono::seconds validity = std::max(kExpiryBuffer, request_.min_validity);
    // Found before the store is read: a store write by anyone after that read makes this
    // process's put below land in a keyring already replaced (hot_cache.hpp).
    const std::optional<HotCache> hot = hot_cache_for(request_, authority);
    if (hot) {
        if (auto entry = hot->find(validity)) {
            log.info("Returning the access token from the hot cache.");
            return std::move(*entry);
        }
    }
    Store &st = store();
    const auto keep_hot = [&](const TokenEntry &entry) {
        if (hot && st.name() == "secret-service") hot->put(entry);
    };

    // One lock for every refresh token of this client here, whatever user or resource
    // the caller named (account_lock.hpp says why); waited for at most the request's
    // timeout, so a stuck holder makes a clear error rather than a hang.
    AccountLock account(authority, request_.client_id, request_.timeout);
    std::unique_lock<AccountLock> held(account);
    // Read after taking the lock: a racing process may just have refreshed this token.
    const std::vector<TokenEntry> loaded =
        request_.user_id.empty() ? st.load(authority, request_.client_id)
                                 : st.load_user(authority, request_.client_id, request_.user_id);
    cache->add(loaded);
    check_unambiguous(loaded, request_);

    std::optional<TokenEntry> token;
    std::string refresh_failure;
    try {
        token = context.acquire_token(request_.resource, request_.user_id, request_.client_id,
                                      validity);
    } catch (const AdalError &e) {
        // The authority refused the refresh token (expired, revoked, consent needed): a new
        // sign-in is the way out. Network and store failures are not, so they propagate.
        if (e.klass() != ErrorClass::server) throw;
        refresh_failure = e.message();
        log.warning("The refresh token was rejected; a new sign-in is needed");
    }
    const std::vector<TokenEntry> refreshed = cache->read_items();
    write_back(st, loaded, refreshed);
    if (token) {
        check_user(*token, request_);
        keep_hot(*token);
        return std::move(*token);
    }

    if (!request_.allow_prompt || prompter == nullptr) {
        std::string message = "Interaction required: no cached token for " +
                              describe_account(request_, authority) +
                              " and prompting is not allowed";
        if (!refresh_failure.empty()) {
            message += " (refresh failed: " + refresh_failure + ")";
            // No new sign-in recovers the refused refresh here: an error line, as the
            // refusal itself was logged only as a warning (acquire_token).
            log.error("The refresh token was rejected and no new sign-in may start: " +
                      refresh_failure);
        }
        throw AdalError(ErrorClass::interaction_required, message);
    }

    // The lock is released while the person signs in: that may take minutes, and holding
    // it would stall every other git or PAM call for this account (even ones that could
    // be answered from the store) until the device code expires. It is re-taken to store
    // the result; only entries this process changed are written, so whatever another
    // process stored meanwhile for other keys survives.
    held.unlock();
    TokenEntry fresh = run_sign_in(context, *prompter, log);
    held.lock();
    write_back(st, refreshed, cache->read_items());
    check_user(fresh, request_);
    keep_hot(fresh);
    return fresh;
}

void CredentialProvider::cancel() {
    cancelled_ = true;
    // The poller registers its device code when acquire_token_with_device_code starts,
    // a moment after get() published the context; a cancel landing in between finds
    // nothing to cancel yet, so it is retried briefly (bounded: at most ~2 s).
    for (int attempt = 0; attempt < 200; ++attempt) {
        {
            std::lock_guard lock(mutex_);
            if (running_context_ == nullptr || !running_code_) return;
            try {
                running_context_->cancel_request_to_get_token_with_device_code(*running_code_);
                return;
            } catch (const AdalError &) {
                // Not polling yet (or already finished): try again shortly.
            }
        }
        std::this_thread::sleep_for(10ms);
    }
}

void CredentialProvider::forget_access_token(const SecretString &access_token) {
    if (access_token.empty()) return;
    Store &st = store();
    const std::string authority = Authority(request_.authority, false, request_.api).url();
    AccountLock account(authority, request_.client_id, request_.timeout);
    const std::lock_guard<AccountLock> held(account);
    for (auto &entry : st.load(authority, request_.client_id)) {
        // SecretString's == is constant time: the presented token leaks nothing.
        if (!(entry.secret(key::access_token) == access_token)) continue;
        if (entry.secret(key::refresh_token).empty()) {
            st.remove(entry);  // nothing left to refresh with
            continue;
        }
        // git erase: the server rejected this access token. Keep the refresh token and
        // make the entry look expired, so the next get() refreshes (and python3-adal
        // would too).
        entry.set(key::access_token, SecretString());
        entry.set_string(key::expires_on, kLongAgo);
        st.save(entry);
    }
    // The server refused this token: even if the store no longer held it (changed behind
    // aadcred's back), no hot entry may hand it out again.
    clear_hot_cache();
}

int CredentialProvider::logout(std::string_view user_id, bool all) {
    Store &st = store();
    std::vector<TokenEntry> entries;
    if (all || request_.authority.empty() || request_.client_id.empty()) {
        entries = st.load_all();
    } else {
        entries =
            st.load(Authority(request_.authority, false, request_.api).url(), request_.client_id);
    }
    // No user named: the request's user; none either: every account of this profile.
    const std::string_view user = user_id.empty() ? std::string_view(request_.user_id) : user_id;
    int removed = 0;
    for (const auto &entry : entries) {
        if (!all && !user.empty() &&
            !iequals_ascii(entry.string(key::user_id).value_or(std::string_view{}), user)) {
            continue;
        }
        st.remove(entry);
        ++removed;
    }
    return removed;
}

std::vector<TokenEntry> CredentialProvider::list() {
    return store().load_all();
}

}  // namespace aadcred
