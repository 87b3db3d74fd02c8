#pragma once
// application/x-www-form-urlencoded bodies byte for byte as ADAL builds them with
// Python's urllib.parse.urlencode (quote_plus), and quote() with a custom safe set
// (ADAL quotes user names and the discovery endpoint with safe="~()*!.'").

#include <cstddef>
#include <string>
#include <string_view>

#include "util/secret_string.hpp"

namespace aadcred {

/// Python's urllib.parse.quote(text, safe): UTF-8 bytes, [A-Za-z0-9_.~-] and the ASCII
/// characters of `safe` stay, everything else becomes %XX (upper-case hex).
std::string percent_quote(std::string_view text, std::string_view safe = "/");

/// Python's quote_plus(text): quote with safe="" except that space becomes '+'.
std::string quote_plus(std::string_view text);

/// Builds `name=value&name=value...` in insertion order, names and values through
/// quote_plus (what urlencode(dict) does). The body may hold secrets (client_secret,
/// refresh_token, password, device code), so its buffer is wiped on growth and on
/// destruction and it is handed out as a SecretString.
class FormEncoder {
  public:
    /// Hard cap on the encoded body; add() throws std::length_error beyond it.
    static constexpr std::size_t kMaxBytes = 1u << 20;

    FormEncoder() = default;
    FormEncoder(const FormEncoder &) = delete;
    FormEncoder &operator=(const FormEncoder &) = delete;
    FormEncoder(FormEncoder &&other) noexcept;
    FormEncoder &operator=(FormEncoder &&other) noexcept;
    ~FormEncoder();

    FormEncoder &add(std::string_view name, std::string_view value);
    FormEncoder &add(std::string_view name, const SecretString &value);

    /// A copy of the encoded body so far ("" when nothing was added).
    SecretString body() const { return SecretString(std::string_view(buffer_)); }
    bool empty() const noexcept { return buffer_.empty(); }

  private:
    void append_encoded(std::string_view text);
    void reserve_wiped(std::size_t extra);

    std::string buffer_;
};

}  // namespace aadcred
