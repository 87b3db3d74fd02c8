#include "prompter.hpp"

#include <stdio.h>

namespace gitcred {

namespace {

// Length of the UTF-8 sequence starting at s[i] and its code point, or 0 when invalid
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t &cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_unsafe(char32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           // Bidi embeddings, overrides and isolates reorder what people read.
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

std::string_view or_empty(const char *s) {
    return s == nullptr ? std::string_view() : s;
}

}  // namespace

std::string sanitize_for_terminal(std::string_view text, std::size_t max_bytes) {
    std::string out;
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) {
            // Invalid UTF-8 could complete an escape sequence in some terminals.
            out.push_back('?');
            ++i;
            continue;
        }
        const bool whitespace = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
        if (whitespace) {
            pending_space = !out.empty();
        } else if (!is_unsafe(cp)) {
            if (pending_space) out.push_back(' ');
            pending_space = false;
            if (out.size() + len > max_bytes) break;
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

int show_device_code(aadcred_prompt_event event, const aadcred_user_code *code, void *payload) {
    if (event != AADCRED_PROMPT_SHOW || code == nullptr) return 0;
    if (const auto *what = static_cast<const std::string *>(payload)) {
        fprintf(stderr, "git-credential-aadcred: sign-in needed for %s\n",
                sanitize_for_terminal(*what).c_str());
    }
    const std::string message = sanitize_for_terminal(or_empty(aadcred_user_code_message(code)));
    const std::string url =
        sanitize_for_terminal(or_empty(aadcred_user_code_verification_url(code)), 512);
    const std::string user_code =
        sanitize_for_terminal(or_empty(aadcred_user_code_user_code(code)), 128);
    // Azure AD's message already names the URL and the code; a server that sends no
    // message, or one without them, still gets both shown.
    if (!message.empty()) fprintf(stderr, "%s\n", message.c_str());
    const bool complete =
        message.find(url) != std::string::npos && message.find(user_code) != std::string::npos;
    if (!complete || message.empty()) {
        fprintf(stderr, "To sign in, open %s and enter the code %s\n", url.c_str(),
                user_code.c_str());
    }
    fflush(stderr);
    return 0;
}

}  // namespace gitcred
