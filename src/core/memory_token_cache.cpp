#include "core/memory_token_cache.hpp"

#include <algorithm>
#include <string_view>

#include "util/text.hpp"

namespace aadcred {

namespace {

// ADAL's TokenCacheKey: (_authority, resource, _clientId, userId), absent = "".
bool same_key(const TokenEntry &a, const TokenEntry &b) {
    for (auto k : {key::authority, key::resource, key::client_id, key::user_id}) {
        if (!iequals_ascii(a.string(k).value_or(""), b.string(k).value_or(""))) return false;
    }
    return true;
}

bool matches(const TokenEntry &entry, const CacheQuery &query) {
    if (query.client_id &&
        !iequals_ascii(entry.string(key::client_id).value_or(""), *query.client_id))
        return false;
    if (query.user_id && !iequals_ascii(entry.string(key::user_id).value_or(""), *query.user_id))
        return false;
    if (query.is_mrrt && entry.boolean(key::is_mrrt).value_or(false) != *query.is_mrrt)
        return false;
    return true;
}

}  // namespace

std::vector<TokenEntry> MemoryTokenCache::find(const CacheQuery &query) const {
    std::lock_guard lock(mutex_);
    std::vector<TokenEntry> found;
    for (const auto &entry : entries_)
        if (matches(entry, query)) found.push_back(entry);
    return found;
}

void MemoryTokenCache::add(const std::vector<TokenEntry> &entries) {
    std::lock_guard lock(mutex_);
    for (const auto &entry : entries) {
        auto same = [&entry](const TokenEntry &e) { return same_key(e, entry); };
        auto it = std::find_if(entries_.begin(), entries_.end(), same);
        if (it != entries_.end())
            *it = entry;  // a dict keeps the position of a replaced key
        else
            entries_.push_back(entry);
    }
}

void MemoryTokenCache::remove(const std::vector<TokenEntry> &entries) {
    std::lock_guard lock(mutex_);
    for (const auto &entry : entries)
        std::erase_if(entries_, [&entry](const TokenEntry &e) { return same_key(e, entry); });
}

std::vector<TokenEntry> MemoryTokenCache::entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
}

}  // namespace aadcred
