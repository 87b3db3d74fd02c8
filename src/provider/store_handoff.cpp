// CredentialProvider's store hand-off (issue 3): a token obtained outside get() (the
// CLI's device-token) and whole ADAL caches (`aadcred cache export|import`) move in and
// out of the store here. Kept apart from credential_provider.cpp, which is the get() path.

#include <string>

#include "cache/cache_key.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "provider/account_lock.hpp"
#include "provider/credential_provider.hpp"

namespace aadcred {

namespace {

// What a store needs to file an entry under its key (SPEC §7 attributes) and what makes
// it worth keeping: without a token of either kind it could never be used.
void check_storable(const TokenEntry &entry, const std::string &where) {
    const auto present = [&](std::string_view k) {
        return !entry.string(k).value_or(std::string_view{}).empty();
    };
    if (!present(key::authority) || !present(key::client_id)) {
        throw AdalError(ErrorClass::invalid,
                        where + " has no _authority or _clientId, so it cannot be stored");
    }
    if (!present(key::access_token) && !present(key::refresh_token)) {
        throw AdalError(ErrorClass::invalid, where + " has neither accessToken nor refreshToken");
    }
}

}  // namespace

void CredentialProvider::store_token(const TokenEntry &token) {
    check_storable(token, "The token");
    Store &st = store();
    // The same lock get() takes for this request, so a concurrent get() either sees this
    // token or finishes before it is written.
    const std::string authority = Authority(request_.authority, false, request_.api).url();
    AccountLock account(authority, request_.client_id, request_.timeout);
    const std::lock_guard<AccountLock> held(account);
    st.save(token);
}

SecretString CredentialProvider::export_json() {
    TokenCache cache;
    cache.add(store().load_all());
    return SecretString(cache.serialize());
}

int CredentialProvider::import_json(std::string_view adal_cache_json) {
    // TokenCache parses the document as ADAL's deserialize() does (a JSON array of
    // objects; a later duplicate key replaces an earlier one) and throws before anything
    // reaches the store.
    const TokenCache cache(adal_cache_json);
    const std::vector<TokenEntry> entries = cache.read_items();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        check_storable(entries[i], "Entry " + std::to_string(i + 1) + " of the cache");
    }
    Store &st = store();
    int saved = 0;
    for (const auto &entry : entries) {
        // Each entry under its own client's lock: a get() refreshing with that client's
        // tokens at the same moment writes either before or after, never in between.
        const CacheKey k = cache_key(entry);
        AccountLock account(k.authority, k.client_id, request_.timeout);
        const std::lock_guard<AccountLock> held(account);
        st.save(entry);
        ++saved;
    }
    return saved;
}

}  // namespace aadcred
