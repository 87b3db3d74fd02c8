#pragma once
// ADAL's CacheDriver (reference §5.2) on the TokenCacheBase interface: which cached entry
// answers a request, when it is refreshed, and what a new entry carries. SPEC's fixes:
// matching ignores case, entries without isMRRT count as non-MRRT, a missing userId in a
// new entry updates only entries without a userId, the expiry buffer is the caller's.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/adal/token_cache_base.hpp"
#include "core/oauth2/token_entry.hpp"
#include "util/log.hpp"

namespace aadcred {

class CacheDriver {
  public:
    /// Redeems a refresh token for the driver's resource (ADAL's refresh_function: no
    /// client secret). Throws AdalError on failure.
    using Refresh = std::function<TokenEntry(const SecretString &refresh_token)>;
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// @param authority_url the context's authority (Authority::url())
    /// @param log its component should be "CacheDriver"
    CacheDriver(TokenCacheBase &cache, std::string authority_url, std::string resource,
                std::string client_id, Logger log, Refresh refresh, Clock clock = {});

    /// ADAL's CacheDriver.find for {_clientId, userId (when not empty)}: the entry for
    /// this resource and authority, else the first MRRT entry redeemed for this resource.
    /// A resource-specific entry expiring within `expiry_buffer` is refreshed (or removed
    /// when it has no refresh token). nullopt on a miss. Throws AdalError(invalid) "More
    /// than one token matches the criteria. The result is ambiguous." and refresh errors
    /// (the entry is kept then). `refresh_even_if_valid`: a valid entry is refreshed too
    /// (a claims challenge needs a new token), or nullopt without a refresh token.
    std::optional<TokenEntry> find(std::string_view user_id, std::chrono::seconds expiry_buffer,
                                   bool refresh_even_if_valid = false);

    /// ADAL's CacheDriver.add: fills isMRRT/resource, _clientId and _authority when
    /// missing (in `entry` itself, as ADAL returns the cached dict), hands its refresh
    /// token to the user's other MRRT entries, then stores it.
    void add(TokenEntry &entry);

  private:
    struct Lookup;
    Lookup load_single_entry(std::string_view user_id);
    TokenEntry refreshed_entry(const TokenEntry &entry);
    void update_refresh_tokens(const TokenEntry &entry);

    TokenCacheBase &cache_;
    std::string authority_;
    std::string resource_;
    std::string client_id_;
    Logger log_;
    Refresh refresh_;
    Clock clock_;
};

}  // namespace aadcred
