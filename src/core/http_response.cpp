#include "core/http_transport.hpp"

#include <algorithm>
#include <cctype>

namespace aadcred {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    // The transport stores names lower-cased with the last value winning, but fakes in
    // tests may not: search from the back so the last occurrence wins either way.
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
        if (iequals(it->first, name)) return it->second;
    }
    return std::nullopt;
}

}  // namespace aadcred
