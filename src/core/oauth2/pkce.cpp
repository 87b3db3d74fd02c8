#include "core/oauth2/pkce.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "util/base64.hpp"
#include "util/digest.hpp"

namespace aadcred {
namespace {

template <std::size_t N>
std::string random_base64url(const char *what) {
    std::array<unsigned char, N> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error(std::string("RAND_bytes failed to produce ") + what);
    std::string text = base64url_encode(
        std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return text;
}

}  // namespace

std::string pkce_s256_challenge(std::string_view verifier) {
    const Sha256Digest digest = sha256(verifier);
    return base64url_encode(
        std::string_view(reinterpret_cast<const char *>(digest.data()), digest.size()));
}

PkcePair make_pkce_pair() {
    PkcePair pair;
    pair.verifier = SecretString(random_base64url<32>("a PKCE verifier"));
    pair.challenge = pkce_s256_challenge(pair.verifier.reveal());
    return pair;
}

std::string random_state() {
    return random_base64url<16>("an authorization state");
}

}  // namespace aadcred
