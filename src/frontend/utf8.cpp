#include "utf8.hpp"

#include <string>

namespace aadcred::frontend {
namespace {

// The bytes a sequence may continue with, by lead byte (Table 3-7): the second byte's
// range is narrowed for E0, ED, F0 and F4; every later byte is 80..BF.
struct Lead {
    std::size_t length;
    unsigned char second_min;
    unsigned char second_max;
    char32_t bits;
};

bool lead_of(unsigned char b, Lead &lead) {
    if (b >= 0xC2 && b <= 0xDF) {
        lead = {2, 0x80, 0xBF, b & 0x1Fu};
    } else if (b == 0xE0) {
        lead = {3, 0xA0, 0xBF, b & 0x0Fu};
    } else if (b == 0xED) {
        lead = {3, 0x80, 0x9F, b & 0x0Fu};  // not D800..DFFF (surrogates)
    } else if (b >= 0xE1 && b <= 0xEF) {
        lead = {3, 0x80, 0xBF, b & 0x0Fu};
    } else if (b == 0xF0) {
        lead = {4, 0x90, 0xBF, b & 0x07u};
    } else if (b >= 0xF1 && b <= 0xF3) {
        lead = {4, 0x80, 0xBF, b & 0x07u};
    } else if (b == 0xF4) {
        lead = {4, 0x80, 0x8F, b & 0x07u};  // not above U+10FFFF
    } else {
        return false;  // 80..C1 (continuation or overlong lead), F5..FF
    }
    return true;
}

}  // namespace

Utf8Step decode_utf8(std::string_view text, std::size_t pos) noexcept {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80) return {b0, 1, true};
    Lead lead{};
    if (!lead_of(b0, lead)) return {0, 1, false};
    char32_t cp = lead.bits;
    for (std::size_t k = 1; k < lead.length; ++k) {
        if (pos + k >= text.size()) return {0, k, false};  // truncated at the end
        const auto b = static_cast<unsigned char>(text[pos + k]);
        const unsigned char min = k == 1 ? lead.second_min : 0x80;
        const unsigned char max = k == 1 ? lead.second_max : 0xBF;
        if (b < min || b > max) return {0, k, false};  // b starts the next character
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return {cp, lead.length, true};
}

void append_utf8(std::string &out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace aadcred::frontend
