#include "util/secret_string.hpp"

#include <openssl/crypto.h>

namespace aadcred {

void secure_wipe(void *data, std::size_t size) noexcept {
    if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

void secure_wipe(std::string &s) noexcept {
    // Wipe the capacity, not just the size: a shrunk string keeps old bytes past size().
    s.resize(s.capacity());
    secure_wipe(s.data(), s.size());
    s.clear();
}

bool SecretString::operator==(const SecretString &other) const noexcept {
    // Constant time, so comparing a presented token leaks nothing through timing.
    if (value_.size() != other.value_.size()) return false;
    return CRYPTO_memcmp(value_.data(), other.value_.data(), value_.size()) == 0;
}

}  // namespace aadcred
