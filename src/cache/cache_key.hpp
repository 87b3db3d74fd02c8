#pragma once
// The cache key of a token entry, ADAL's TokenCacheKey (authority, resource, client id,
// user id), lower-cased: aadcred compares keys without case everywhere (SPEC §3), a
// deliberate difference from ADAL, whose key hash is case-sensitive.

#include <string>
#include <string_view>

#include "core/token_entry.hpp"

namespace aadcred {

/// ASCII lower case, independent of the locale (user ids and URLs are compared this way).
std::string ascii_lower(std::string_view text);

/// True when both strings are equal ignoring ASCII case.
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;

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
