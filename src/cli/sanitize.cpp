#include "sanitize.hpp"

#include <cstddef>
#include <cstdint>

namespace aadcred::cli {
namespace {

// Length of the valid UTF-8 sequence starting at text[i] (RFC 3629 §4), or 0.
size_t utf8_length(std::string_view text, size_t i) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    size_t len = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, min = 0x80, cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, min = 0x800, cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, min = 0x10000, cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        const auto b = static_cast<uint8_t>(text[i + k]);
        if ((b & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    // C1 controls (U+0080..U+009F) include the 8-bit CSI that some terminals honour.
    if (cp >= 0x80 && cp <= 0x9F) return SIZE_MAX;
    return len;
}

}  // namespace

std::string sanitize(std::string_view text, bool keep_newlines) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<uint8_t>(text[i]);
        if (c < 0x80) {
            if (c == '\n' && keep_newlines) {
                out += '\n';
            } else if (c == '\t' || c == '\n') {
                out += ' ';
            } else if (c >= 0x20 && c != 0x7F) {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        const size_t len = utf8_length(text, i);
        if (len == SIZE_MAX) {
            i += 2;  // a C1 control: drop it
        } else if (len == 0) {
            out += '?';
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

}  // namespace aadcred::cli
