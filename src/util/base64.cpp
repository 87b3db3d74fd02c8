#include "util/base64.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace aadcred {
namespace {

// The value of a base64 character in either alphabet (Python's urlsafe_b64decode maps '-'
// and '_' onto '+' and '/' and still accepts those), or -1.
int sextet(unsigned char c, bool url, bool standard) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (standard && c == '+') return 62;
    if (standard && c == '/') return 63;
    if (url && c == '-') return 62;
    if (url && c == '_') return 63;
    return -1;
}

constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Decodes `sextets` (values 0..63, any count except 4k+1) with EVP_DecodeBlock. The input
// is re-spelled in the standard alphabet and filled to a whole quantum with 'A', whose
// extra output bytes are cut off: what remains is exactly floor(6n/8) bytes.
std::optional<std::string> decode_sextets(const std::string &sextets) {
    if (sextets.size() % 4 == 1) return std::nullopt;
    std::string block;
    block.reserve(sextets.size() + 3);
    for (unsigned char v : sextets) block.push_back(kStandard[v]);
    while (block.size() % 4 != 0) block.push_back('A');
    std::string out(block.size() / 4 * 3, '\0');
    if (block.empty()) return out;
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(block.data()),
                                  static_cast<int>(block.size()));
    if (n < 0 || static_cast<std::size_t>(n) != out.size()) return std::nullopt;
    out.resize(sextets.size() * 6 / 8);
    return out;
}

std::string encode(std::string_view data) {
    if (data.size() > kMaxBase64Input) throw std::length_error("base64 input too large");
    std::string out((data.size() + 2) / 3 * 4 + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(data.data()),
                                  static_cast<int>(data.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

// Strict: every character in the alphabet; with `padded`, up to two trailing '='
// completing a whole quantum, and no padding at all otherwise.
std::optional<std::string> decode_strict(std::string_view text, bool url, bool padded) {
    if (text.size() > kMaxBase64Input) return std::nullopt;
    std::size_t end = text.size();
    if (padded) {
        if (text.size() % 4 != 0) return std::nullopt;
        while (end > 0 && text.size() - end < 2 && text[end - 1] == '=') --end;
    }
    std::string sextets;
    sextets.reserve(end);
    for (std::size_t i = 0; i < end; ++i) {
        const int v = sextet(static_cast<unsigned char>(text[i]), url, !url);
        if (v < 0) return std::nullopt;
        sextets.push_back(static_cast<char>(v));
    }
    return decode_sextets(sextets);
}

}  // namespace

std::string base64_encode(std::string_view data) {
    return encode(data);
}

std::string base64url_encode(std::string_view data, bool pad) {
    std::string out = encode(data);
    for (char &c : out) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    if (!pad) {
        while (!out.empty() && out.back() == '=') out.pop_back();
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    return decode_strict(text, false, true);
}

std::optional<std::string> base64url_decode_strict(std::string_view text) {
    return decode_strict(text, true, false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() > kMaxBase64Input) return std::nullopt;
    // ADAL: b64string += '=' * (4 - len % 4) -- one to four '=' are always appended.
    std::string padded(text);
    padded.append(4 - text.size() % 4, '=');

    // Python's binascii.a2b_base64 in non-strict mode, step by step.
    std::string sextets;
    sextets.reserve(padded.size());
    std::size_t pads = 0;
    for (unsigned char c : padded) {
        const std::size_t quad_pos = sextets.size() % 4;
        if (c == '=') {
            // A pad completes the quantum once at least two data characters precede it;
            // everything after it is ignored.
            if (quad_pos >= 2 && quad_pos + ++pads >= 4) return decode_sextets(sextets);
            continue;
        }
        const int v = sextet(c, true, true);
        if (v < 0) continue;  // non-alphabet characters are discarded
        pads = 0;
        sextets.push_back(static_cast<char>(v));
    }
    // Ran out of input: only a whole number of quanta is acceptable ("Incorrect padding").
    if (sextets.size() % 4 != 0) return std::nullopt;
    return decode_sextets(sextets);
}

}  // namespace aadcred
