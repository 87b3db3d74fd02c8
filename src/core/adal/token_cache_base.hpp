#pragma once
// What the engine needs from a token cache: the operations CacheDriver runs. TokenCache
// (core/token_cache.hpp) is the implementation; the stores of cache/ persist its entries.

#include <optional>
#include <string>
#include <vector>

#include "core/oauth2/token_entry.hpp"

namespace aadcred {

/// ADAL's TokenCache.find query: an absent field is a wildcard; user id and client id
/// compare without case (SPEC: case-insensitive throughout).
struct CacheQuery {
    std::optional<std::string> client_id;
    std::optional<std::string> user_id;
    std::optional<bool> is_mrrt;
};

class TokenCacheBase {
  public:
    virtual ~TokenCacheBase() = default;
    /// Entries matching the query, in insertion order (copies).
    virtual std::vector<TokenEntry> find(const CacheQuery &query) const = 0;
    /// Adds or replaces each entry by its key (authority, resource, client id, user id).
    virtual void add(const std::vector<TokenEntry> &entries) = 0;
    /// Removes the entries with these keys.
    virtual void remove(const std::vector<TokenEntry> &entries) = 0;
};

}  // namespace aadcred
