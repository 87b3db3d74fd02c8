// aadcred_token_cache: ADAL's TokenCache and its serialize() JSON, byte for byte.

#include <climits>

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

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

void aadcred_token_cache_free(aadcred_token_cache *cache) {
    aadcred::capi::free_handle(cache);
}

}  // extern "C"
