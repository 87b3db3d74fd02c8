#include "util/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "util/text.hpp"

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
    const Sha256Digest digest = sha256(data);
    return hex_lower(
        std::string_view(reinterpret_cast<const char *>(digest.data()), digest.size()));
}

}  // namespace aadcred
