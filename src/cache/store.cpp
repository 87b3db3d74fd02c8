#include "cache/store.hpp"

#include "util/text.hpp"

namespace aadcred {

std::vector<TokenEntry> Store::load_user(std::string_view authority, std::string_view client_id,
                                         std::string_view user_id) {
    std::vector<TokenEntry> entries = load(authority, client_id);
    std::erase_if(entries, [&](const TokenEntry &entry) {
        return !iequals_ascii(entry.string(key::user_id).value_or(std::string_view{}), user_id);
    });
    return entries;
}

}  // namespace aadcred
