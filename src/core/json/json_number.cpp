#include "core/json/json_number.hpp"

#include <charconv>
#include <system_error>

namespace aadcred::json {
namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// The decimal exponent of the first significant digit of a number whose conversion was
// out of range: positive means it overflowed, negative that it underflowed. Saturates,
// since a hostile exponent may have any number of digits.
long long leading_digit_exponent(std::string_view text) noexcept {
    std::size_t pos = text.starts_with('-') ? 1 : 0;
    const std::size_t int_start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    const std::string_view int_part = text.substr(int_start, pos - int_start);
    std::string_view frac_part;
    if (pos < text.size() && text[pos] == '.') {
        const std::size_t frac_start = ++pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        frac_part = text.substr(frac_start, pos - frac_start);
    }
    long long exponent = 0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        const bool negative = pos < text.size() && text[pos] == '-';
        if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
        constexpr long long kCap = 1'000'000'000;
        for (; pos < text.size() && is_digit(text[pos]); ++pos) {
            if (exponent < kCap) exponent = exponent * 10 + (text[pos] - '0');
        }
        if (negative) exponent = -exponent;
    }
    const std::size_t first_int = int_part.find_first_not_of('0');
    if (first_int != std::string_view::npos) {
        return exponent + static_cast<long long>(int_part.size() - first_int) - 1;
    }
    const std::size_t first_frac = frac_part.find_first_not_of('0');
    if (first_frac != std::string_view::npos) {
        return exponent - static_cast<long long>(first_frac) - 1;
    }
    return -1;  // all zeros: a zero, which never overflows
}

}  // namespace

NumberValue read_number(std::string_view text) noexcept {
    NumberValue out;
    const char *const first = text.data();
    const char *const last = text.data() + text.size();
    const bool negative = text.starts_with('-');
    if (text.find_first_of(".eE") == std::string_view::npos) {
        if (negative) {
            const auto res = std::from_chars(first, last, out.integer);
            if (res.ec == std::errc() && res.ptr == last) {
                out.kind = NumberValue::Kind::signed_integer;
                if (out.integer == 0) {
                    // "-0": Python's json.loads gives the integer 0.
                    out.kind = NumberValue::Kind::unsigned_integer;
                    out.unsigned_integer = 0;
                }
                return out;
            }
        } else {
            const auto res = std::from_chars(first, last, out.unsigned_integer);
            if (res.ec == std::errc() && res.ptr == last) {
                out.kind = NumberValue::Kind::unsigned_integer;
                return out;
            }
        }
        // Past 64 bits: a double, as RapidJSON gives (Python would keep a big int).
    }
    const auto res = std::from_chars(first, last, out.real);
    if (res.ec == std::errc() && res.ptr == last) return out;
    if (leading_digit_exponent(text) > 0) {
        out.kind = NumberValue::Kind::too_big;
        return out;
    }
    out.real = negative ? -0.0 : 0.0;
    return out;
}

}  // namespace aadcred::json
