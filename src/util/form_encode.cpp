#include "util/form_encode.hpp"

#include <algorithm>
#include <stdexcept>

namespace aadcred {
namespace {

// urllib.parse._ALWAYS_SAFE: letters, digits and "_.-~" (RFC 3986 §2.3 unreserved).
bool always_safe(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '~';
}

bool in_safe(unsigned char c, std::string_view safe) noexcept {
    // quote_from_bytes keeps only the ASCII characters of `safe`.
    return c < 0x80 && safe.find(static_cast<char>(c)) != std::string_view::npos;
}

constexpr char kHex[] = "0123456789ABCDEF";

// Calls sink(char) for every output character; shared by the string and the wiping
// FormEncoder paths so both encode identically.
template <typename Sink>
void quote_into(std::string_view text, std::string_view safe, bool plus, Sink &&sink) {
    for (unsigned char c : text) {
        if (plus && c == ' ') {
            sink('+');
        } else if (always_safe(c) || in_safe(c, safe)) {
            sink(static_cast<char>(c));
        } else {
            sink('%');
            sink(kHex[c >> 4]);
            sink(kHex[c & 0x0f]);
        }
    }
}

std::size_t quoted_size(std::string_view text) noexcept {
    std::size_t n = 0;
    quote_into(text, {}, true, [&n](char) { ++n; });
    return n;
}

}  // namespace

std::string percent_quote(std::string_view text, std::string_view safe) {
    std::string out;
    out.reserve(text.size());
    quote_into(text, safe, false, [&out](char c) { out.push_back(c); });
    return out;
}

std::string quote_plus(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    quote_into(text, {}, true, [&out](char c) { out.push_back(c); });
    return out;
}

FormEncoder::FormEncoder(FormEncoder &&other) noexcept : buffer_(std::move(other.buffer_)) {
    secure_wipe(other.buffer_);
}

FormEncoder &FormEncoder::operator=(FormEncoder &&other) noexcept {
    if (this != &other) {
        secure_wipe(buffer_);
        buffer_ = std::move(other.buffer_);
        secure_wipe(other.buffer_);
    }
    return *this;
}

FormEncoder::~FormEncoder() {
    secure_wipe(buffer_);
}

void FormEncoder::reserve_wiped(std::size_t extra) {
    const std::size_t needed = buffer_.size() + extra;
    if (needed > kMaxBytes) throw std::length_error("form body exceeds its size cap");
    if (needed <= buffer_.capacity()) return;
    // Grow by hand so the old allocation, which may hold a secret, is wiped rather than
    // freed with its bytes intact.
    std::string bigger;
    bigger.reserve(std::max(needed, std::min(kMaxBytes, buffer_.capacity() * 2)));
    bigger.append(buffer_);
    secure_wipe(buffer_);
    buffer_.swap(bigger);
}

void FormEncoder::append_encoded(std::string_view text) {
    quote_into(text, {}, true, [this](char c) { buffer_.push_back(c); });
}

FormEncoder &FormEncoder::add(std::string_view name, std::string_view value) {
    const std::size_t extra =
        (buffer_.empty() ? 0 : 1) + quoted_size(name) + 1 + quoted_size(value);
    reserve_wiped(extra);
    if (!buffer_.empty()) buffer_.push_back('&');
    append_encoded(name);
    buffer_.push_back('=');
    append_encoded(value);
    return *this;
}

FormEncoder &FormEncoder::add(std::string_view name, const SecretString &value) {
    return add(name, std::string_view(value.reveal()));
}

}  // namespace aadcred
