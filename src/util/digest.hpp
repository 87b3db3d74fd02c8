#pragma once
// SHA-256 (FIPS 180-4) through OpenSSL, for names derived from account keys (kernel keyring
// descriptions, account lock files) and ADAL's token ids in log lines.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<unsigned char, kSha256Size>;

/// The SHA-256 digest of `data`. Throws std::runtime_error if OpenSSL fails, which only a
/// broken provider configuration can cause (util sits below core, so no AdalError here: the
/// C API's firewall records any std::exception as an internal error).
Sha256Digest sha256(std::string_view data);

/// sha256(data) as 64 lower-case hex digits. Throws as sha256 does.
std::string sha256_hex(std::string_view data);

}  // namespace aadcred
