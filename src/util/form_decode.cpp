#include "util/form_decode.hpp"

namespace aadcred {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// One name or value: '+' is a space, %XX a byte.
std::optional<std::string> unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            const bool whole = i + 2 < text.size();
            const int high = whole ? hex_value(text[i + 1]) : -1;
            const int low = whole ? hex_value(text[i + 2]) : -1;
            if (high < 0 || low < 0) {
                secure_wipe(out);
                return std::nullopt;
            }
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (c == '\0') {
            secure_wipe(out);
            return std::nullopt;
        }
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::optional<std::map<std::string, SecretString>> form_decode(std::string_view text) {
    std::map<std::string, SecretString> fields;
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        auto name = unescape(pair.substr(0, eq));
        auto value =
            unescape(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (!name || !value || name->empty() || fields.count(*name) != 0) {
            if (value) secure_wipe(*value);
            return std::nullopt;
        }
        fields.emplace(std::move(*name), SecretString(std::move(*value)));
    }
    return fields;
}

}  // namespace aadcred
