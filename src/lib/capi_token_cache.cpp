// aadcred_token_cache: ADAL's TokenCache and its serialize() JSON, byte for byte.

#include <climits>
#include <string>
#include <vector>

#include "core/json/json.hpp"
#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

// ADAL's add/remove take a list of entry dicts; C callers hand over that list as JSON, or
// a single entry object (what aadcred_token_to_json gives). Parsed fully before the
// cache is touched, so a bad element changes nothing.
std::vector<aadcred::TokenEntry> parse_entries(const char *json, const char *function) {
    require(json != nullptr, function, "entries_json is NULL");
    // Entries carry refresh tokens: parsed into memory that is wiped when freed, and read
    // straight from the document (no to_string/from_json round trip).
    aadcred::json::SecretDocument doc;
    try {
        doc = aadcred::json::parse_secret(json, "token cache entries");
    } catch (const aadcred::AdalError &e) {
        aadcred::capi::fail_invalid(function, e.message().c_str());
    }
    std::vector<aadcred::TokenEntry> entries;
    auto take = [&](const aadcred::json::SecretValue &item) {
        require(item.IsObject(), function, "an entry is not a JSON object");
        try {
            entries.push_back(aadcred::TokenEntry::from_value(item));
        } catch (const aadcred::AdalError &e) {
            aadcred::capi::fail_invalid(function, e.message().c_str());
        }
    };
    if (doc.IsArray()) {
        entries.reserve(doc.Size());
        for (const auto &item : doc.GetArray()) take(item);
    } else {
        take(doc);
    }
    return entries;
}

// Compact JSON array of entries. Sized before it is filled, so no reallocation leaves an
// unwiped copy of a token behind.
aadcred::SecretString entries_json(const std::vector<aadcred::TokenEntry> &entries) {
    std::vector<aadcred::SecretString> parts;
    parts.reserve(entries.size());
    std::size_t total = 2 + entries.size();
    for (const auto &entry : entries) {
        parts.emplace_back(entry.to_json());
        total += parts.back().size();
    }
    std::string out;
    out.reserve(total);
    out += '[';
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += ',';
        out += parts[i].reveal();
    }
    out += ']';
    return aadcred::SecretString(std::move(out));
}

}  // namespace

extern "C" {

int aadcred_token_cache_new(aadcred_token_cache **out, const char *state) {
    return firewall([&] {
        require(out != nullptr, "aadcred_token_cache_new", "out is NULL");
        // ADAL: `if state: self.deserialize(state)`, so "" is an empty cache too.
        auto cache = state != nullptr && *state != '\0'
                         ? std::make_shared<aadcred::TokenCache>(state)
                         : std::make_shared<aadcred::TokenCache>();
        *out = aadcred::capi::new_handle<aadcred_token_cache>(std::move(cache));
        return 0;
    });
}

int aadcred_token_cache_serialize(char **out, const aadcred_token_cache *cache) {
    return firewall([&] {
        require(out != nullptr, "aadcred_token_cache_serialize", "out is NULL");
        require(cache != nullptr, "aadcred_token_cache_serialize", "cache is NULL");
        const aadcred::SecretString json(cache->cache->serialize());
        *out = aadcred::capi::dup_string(json.reveal());
        return 0;
    });
}

int aadcred_token_cache_deserialize(aadcred_token_cache *cache, const char *state) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_deserialize", "cache is NULL");
        require(state != nullptr, "aadcred_token_cache_deserialize", "state is NULL");
        cache->cache->deserialize(state);
        return 0;
    });
}

int aadcred_token_cache_has_state_changed(const aadcred_token_cache *cache) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_has_state_changed", "cache is NULL");
        return cache->cache->has_state_changed() ? 1 : 0;
    });
}

int aadcred_token_cache_count(const aadcred_token_cache *cache) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_count", "cache is NULL");
        std::size_t n = cache->cache->size();
        return n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    });
}

int aadcred_token_cache_read_items(char **out, const aadcred_token_cache *cache) {
    return firewall([&] {
        require(out != nullptr, "aadcred_token_cache_read_items", "out is NULL");
        require(cache != nullptr, "aadcred_token_cache_read_items", "cache is NULL");
        const aadcred::SecretString json = entries_json(cache->cache->read_items());
        *out = aadcred::capi::dup_string(json.reveal());
        return 0;
    });
}

int aadcred_token_cache_get_item(aadcred_token **out, const aadcred_token_cache *cache,
                                 size_t index) {
    return firewall([&] {
        const char *fn = "aadcred_token_cache_get_item";
        require(out != nullptr, fn, "out is NULL");
        require(cache != nullptr, fn, "cache is NULL");
        std::vector<aadcred::TokenEntry> items = cache->cache->read_items();
        if (index >= items.size()) {
            throw aadcred::AdalError(aadcred::ErrorClass::not_found,
                                     std::string(fn) + ": no entry at this index");
        }
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(items[index]));
        return 0;
    });
}

int aadcred_token_cache_add(aadcred_token_cache *cache, const char *entries_json) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_add", "cache is NULL");
        cache->cache->add(parse_entries(entries_json, "aadcred_token_cache_add"));
        return 0;
    });
}

int aadcred_token_cache_add_token(aadcred_token_cache *cache, const aadcred_token *token) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_add_token", "cache is NULL");
        require(token != nullptr, "aadcred_token_cache_add_token", "token is NULL");
        cache->cache->add({token->entry});
        return 0;
    });
}

int aadcred_token_cache_remove(aadcred_token_cache *cache, const char *entries_json) {
    return firewall([&] {
        require(cache != nullptr, "aadcred_token_cache_remove", "cache is NULL");
        cache->cache->remove(parse_entries(entries_json, "aadcred_token_cache_remove"));
        return 0;
    });
}

void aadcred_token_cache_free(aadcred_token_cache *cache) {
    aadcred::capi::free_handle(cache);
}

}  // extern "C"
