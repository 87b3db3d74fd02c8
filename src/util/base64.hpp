#pragma once
// Base64 (RFC 4648 §4) and base64url (§5) on OpenSSL's EVP block coder. Decoders come in
// two strengths: strict ones for data we verify (JWS segments, x5c certificates), and
// ADAL's lenient one for id_token payloads, which Azure AD sometimes pads with '='.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aadcred {

/// Largest input any encoder or decoder accepts; bigger inputs fail (nullopt/length_error).
inline constexpr std::size_t kMaxBase64Input = 16u << 20;

/// RFC 4648 §4 with '=' padding. Throws std::length_error above kMaxBase64Input.
std::string base64_encode(std::string_view data);

/// RFC 4648 §5 alphabet. @param pad keep the '=' padding (ADAL's x5t keeps it; JWS
/// segments drop it, RFC 7515 §2).
std::string base64url_encode(std::string_view data, bool pad = false);

/// Strict RFC 4648 §4: standard alphabet, length a multiple of 4, '=' only at the end,
/// no whitespace. @return the bytes, or nullopt if `text` is not well-formed base64.
std::optional<std::string> base64_decode(std::string_view text);

/// Strict JWS segment decode (RFC 7515 §2): url alphabet, no padding, nothing else.
std::optional<std::string> base64url_decode_strict(std::string_view text);

/// ADAL's util.base64_urlsafe_decode: append '=' * (4 - len % 4), then Python's
/// base64.urlsafe_b64decode (non-strict): '-' and '_' map to '+' and '/', characters
/// outside the alphabet are skipped, decoding stops at the first complete padding, and
/// leftover bits that do not make a byte are an error. So "eyJ9==" and "eyJ9" both work.
/// @return the bytes (possibly empty), or nullopt where Python raises binascii.Error.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace aadcred
