#pragma once
// The cache key of a token entry, ADAL's TokenCacheKey (authority, resource, client id,
// user id), lower-cased: aadcred compares keys without case everywhere (SPEC §3), a
// deliberate difference from ADAL, whose key hash is case-sensitive.

#include <string>
#include <string_view>

#include "core/oauth2/token_entry.hpp"
#include "util/text.hpp"  // ascii_lower, iequals_ascii: callers of this header use them

namespace aadcred {

struct CacheKey {
    std::string authority;  ///< _authority
    std::string resource;   ///< resource
    std::string client_id;  ///< _clientId
    std::string user_id;    ///< userId
    bool operator==(const CacheKey &) const = default;
};

/// The entry's key, each part lower-cased; a missing or non-string field is "" (ADAL's
/// find treats None and '' alike).
CacheKey cache_key(const TokenEntry &entry);

/// True when the entry's _authority and _clientId equal these, ignoring case: what
/// Store::load selects.
bool belongs_to(const TokenEntry &entry, std::string_view authority, std::string_view client_id);

}  // namespace aadcred
