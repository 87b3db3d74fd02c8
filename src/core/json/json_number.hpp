#pragma once
// JSON number text to a value, for json::parse. RapidJSON 1.1.0's own conversion is
// either not correctly rounded (the default: a double we write can read back as another)
// or undefined behaviour on some inputs (kParseFullPrecisionFlag: "0e91" reaches
// __builtin_clzll(0) in DiyFp::Normalize, a fuzz finding). So the reader hands us the
// text (kParseNumbersAsStringsFlag) and std::from_chars, which rounds correctly and
// ignores the locale, does the conversion.

#include <cstdint>
#include <string_view>

namespace aadcred::json {

struct NumberValue {
    enum class Kind {
        signed_integer,    ///< `integer`: a negative integer that fits int64
        unsigned_integer,  ///< `unsigned_integer`: a non-negative integer that fits uint64
        real,              ///< `real`: anything else, correctly rounded (past 1e-324: ±0)
        too_big,           ///< beyond the largest double: refused, as RapidJSON did
    };
    Kind kind = Kind::real;
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    double real = 0.0;
};

/// Converts the text of one number that RapidJSON's reader has already matched against
/// the JSON grammar (RFC 8259 §6): `-`? int frac? exp?.
NumberValue read_number(std::string_view text) noexcept;

}  // namespace aadcred::json
