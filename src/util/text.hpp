#pragma once
// ASCII case folding, independent of the process locale: user ids, authorities, client ids,
// resources and HTTP header names are compared this way (SPEC §3), and a PAM host or a CLI
// that calls setlocale() must not change what matches.

#include <string>
#include <string_view>

namespace aadcred {

/// `text` with A-Z turned into a-z; every other byte (UTF-8 included) is kept as is.
std::string ascii_lower(std::string_view text);

/// True when both strings are equal ignoring ASCII case.
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;

}  // namespace aadcred
