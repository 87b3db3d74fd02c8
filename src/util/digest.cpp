#include "util/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace aadcred {

Sha256Digest sha256(std::string_view data) {
    Sha256Digest digest{};
    unsigned int length = 0;
    // EVP_Digest rather than the one-shot SHA256(): it reports failure instead of leaving
    // the output unwritten (OpenSSL 3 fetches the algorithm from a provider, which can fail).
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != digest.size()) {
        throw std::runtime_error("SHA-256 failed");
    }
    return digest;
}

std::string sha256_hex(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    const Sha256Digest digest = sha256(data);
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (unsigned char byte : digest) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0x0f];
    }
    return hex;
}

}  // namespace aadcred
