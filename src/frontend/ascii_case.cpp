#include "ascii_case.hpp"

#include <algorithm>

namespace aadcred::frontend {

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char &c : out) c = ascii_lower(c);
    return out;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

}  // namespace aadcred::frontend
