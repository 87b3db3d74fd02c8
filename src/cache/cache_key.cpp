#include "cache/cache_key.hpp"

#include <algorithm>

namespace aadcred {

namespace {

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered_field(const TokenEntry &entry, std::string_view k) {
    return ascii_lower(entry.string(k).value_or(std::string_view{}));
}

}  // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

CacheKey cache_key(const TokenEntry &entry) {
    return CacheKey{lowered_field(entry, key::authority), lowered_field(entry, key::resource),
                    lowered_field(entry, key::client_id), lowered_field(entry, key::user_id)};
}

bool belongs_to(const TokenEntry &entry, std::string_view authority, std::string_view client_id) {
    return iequals_ascii(entry.string(key::authority).value_or(std::string_view{}), authority) &&
           iequals_ascii(entry.string(key::client_id).value_or(std::string_view{}), client_id);
}

}  // namespace aadcred
