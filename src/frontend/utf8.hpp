#pragma once
// Strict UTF-8 decoding (RFC 3629, Unicode §3.9 Table 3-7) for the front ends: no
// overlongs, no surrogates, nothing above U+10FFFF. Text from a server or a caller is
// decoded with this before a person sees it, so a lone byte cannot join a terminal's
// escape sequence or hide a character from the checks that follow.

#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred::frontend {

/// One step of decoding.
struct Utf8Step {
    char32_t code_point = 0;  ///< the character, meaningful only when `valid`
    std::size_t length = 0;   ///< bytes consumed, at least 1 when any input is left
    bool valid = false;       ///< false: `length` bytes are one ill-formed subsequence
};

/// Decodes the character at `text[pos]` (`pos` < `text.size()`). An ill-formed sequence
/// is consumed as its maximal subpart (Unicode §3.9 "U+FFFD substitution of maximal
/// subparts"), so one broken character becomes one replacement and the next valid one
/// is never swallowed.
Utf8Step decode_utf8(std::string_view text, std::size_t pos) noexcept;

/// `cp` encoded as UTF-8 onto `out` (`cp` must be a scalar value).
void append_utf8(std::string &out, char32_t cp);

}  // namespace aadcred::frontend
