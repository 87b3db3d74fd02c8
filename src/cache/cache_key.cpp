#include "cache/cache_key.hpp"

namespace aadcred {

namespace {

std::string lowered_field(const TokenEntry &entry, std::string_view k) {
    return ascii_lower(entry.string(k).value_or(std::string_view{}));
}

}  // namespace

CacheKey cache_key(const TokenEntry &entry) {
    return CacheKey{lowered_field(entry, key::authority), lowered_field(entry, key::resource),
                    lowered_field(entry, key::client_id), lowered_field(entry, key::user_id)};
}

bool belongs_to(const TokenEntry &entry, std::string_view authority, std::string_view client_id) {
    return iequals_ascii(entry.string(key::authority).value_or(std::string_view{}), authority) &&
           iequals_ascii(entry.string(key::client_id).value_or(std::string_view{}), client_id);
}

}  // namespace aadcred
