#pragma once
// ADAL's TokenCache: entries keyed by (authority, resource, client id, user id), the
// has_state_changed flag, and serialize()/deserialize() in ADAL's exact JSON. The one
// in-memory cache: a context's own (ADAL's "cache or TokenCache()"), the C ABI's
// aadcred_token_cache, and the working copy the provider loads from a store.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/adal/token_cache_base.hpp"

namespace aadcred {

class TokenCache final : public TokenCacheBase {
  public:
    TokenCache() = default;
    /// ADAL's TokenCache(state): deserialize, then has_state_changed = false.
    explicit TokenCache(std::string_view state);

    std::vector<TokenEntry> find(const CacheQuery &query) const override;
    void add(const std::vector<TokenEntry> &entries) override;
    void remove(const std::vector<TokenEntry> &entries) override;

    /// ADAL's serialize(): json.dumps(list(entries)) byte for byte.
    std::string serialize() const;
    /// ADAL's deserialize(): replaces everything; does not touch has_state_changed.
    /// Throws AdalError(invalid) for anything but a JSON array of objects.
    void deserialize(std::string_view state);
    /// ADAL's read_items(): every entry, in insertion order.
    std::vector<TokenEntry> read_items() const;

    bool has_state_changed() const;
    void set_state_changed(bool changed);
    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::vector<TokenEntry> entries_;  // insertion order, like ADAL's dict
    bool has_state_changed_ = false;
};

/// True when both entries have the same cache key: ADAL's TokenCacheKey equality, absent
/// fields equal to "", compared without case.
bool same_cache_key(const TokenEntry &a, const TokenEntry &b);

}  // namespace aadcred
