#pragma once
// Case folding for what is case-insensitive by definition and ASCII by protocol: URL
// schemes and host names, git's booleans and settings, HTTP header names, account names
// compared with the local user. ASCII only and never the locale's: a locale-dependent
// tolower (the Turkish dotless i) must not make two different names equal.

#include <string>
#include <string_view>

namespace aadcred::frontend {

/// @param c any byte
/// @return `c` in lower case when it is an ASCII capital ('A'..'Z'), else `c` itself
constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// @param text any bytes
/// @return `text` with its ASCII capitals in lower case, every other byte as it is
std::string ascii_lower(std::string_view text);

/// @param a any bytes
/// @param b any bytes
/// @return true when `a` and `b` are the same but for the case of ASCII letters
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept;

}  // namespace aadcred::frontend
