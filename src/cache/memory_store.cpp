#include "cache/memory_store.hpp"

#include <algorithm>

#include "cache/cache_key.hpp"
#include "core/adal/token_cache.hpp"

namespace aadcred {

std::vector<TokenEntry> MemoryStore::load(std::string_view authority, std::string_view client_id) {
    std::lock_guard lock(mutex_);
    std::vector<TokenEntry> found;
    for (const auto &entry : entries_) {
        if (belongs_to(entry, authority, client_id)) found.push_back(entry);
    }
    return found;
}

std::vector<TokenEntry> MemoryStore::load_all() {
    std::lock_guard lock(mutex_);
    return entries_;
}

void MemoryStore::save(const TokenEntry &entry) {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const TokenEntry &e) { return same_cache_key(e, entry); });
    if (it != entries_.end()) {
        *it = entry;
    } else {
        entries_.push_back(entry);
    }
}

void MemoryStore::remove(const TokenEntry &entry) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const TokenEntry &e) { return same_cache_key(e, entry); });
}

}  // namespace aadcred
