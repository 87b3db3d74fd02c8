#pragma once
// ASCII case folding, independent of the process locale: user ids, authorities, client ids,
// resources and HTTP header names are compared this way (SPEC §3), and a PAM host or a CLI
// that calls setlocale() must not change what matches. And the one UTF-8 decoder below
// the front ends (JSON, the desktop notification), and the one hex encoder of names
// derived from hashes.

#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred {

/// `text` with A-Z turned into a-z; every other byte (UTF-8 included) is kept as is.
std::string ascii_lower(std::string_view text);

/// True when both strings are equal ignoring ASCII case.
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;

/// The well-formed UTF-8 sequence at text[pos] (pos < text.size()): its length, with its
/// code point in `cp`; 0 for an overlong form, a surrogate, a value past U+10FFFF, a
/// stray or missing continuation byte. NUL is a valid one-byte sequence here.
std::size_t utf8_sequence(std::string_view text, std::size_t pos, char32_t &cp) noexcept;

/// Each byte of `bytes` as two lower-case hex digits.
std::string hex_lower(std::string_view bytes);

}  // namespace aadcred
