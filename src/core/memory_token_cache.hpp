#pragma once
// The smallest TokenCacheBase: a mutex-guarded list. What a context uses when the caller
// gives it no cache (ADAL's "cache or TokenCache()"); src/cache/ has the real TokenCache
// with ADAL's serialize() format. Keys and queries compare without case (SPEC §3).

#include <mutex>
#include <vector>

#include "core/token_cache_base.hpp"

namespace aadcred {

class MemoryTokenCache final : public TokenCacheBase {
  public:
    std::vector<TokenEntry> find(const CacheQuery &query) const override;
    void add(const std::vector<TokenEntry> &entries) override;
    void remove(const std::vector<TokenEntry> &entries) override;

    /// Every entry, in insertion order (copies).
    std::vector<TokenEntry> entries() const;

  private:
    mutable std::mutex mutex_;
    std::vector<TokenEntry> entries_;
};

}  // namespace aadcred
