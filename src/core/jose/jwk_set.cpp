#include "core/jose/jwk_set.hpp"

#include <optional>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"

namespace aadcred {
namespace {

[[noreturn]] void protocol(std::string message) {
    throw AdalError(ErrorClass::protocol, std::move(message));
}

std::string_view member_string(const rapidjson::Value &object, std::string_view name) {
    const rapidjson::Value *v = json::find(object, name);
    if (v == nullptr || !v->IsString()) return {};
    return {v->GetString(), v->GetStringLength()};
}

// One JWK, or nullopt when it is not an RSA signing key we can use.
std::optional<SigningKey> read_key(const rapidjson::Value &jwk) {
    if (!jwk.IsObject() || member_string(jwk, "kty") != "RSA") return std::nullopt;
    const std::string_view use = member_string(jwk, "use");
    const std::string_view alg = member_string(jwk, "alg");
    if ((!use.empty() && use != "sig") || (!alg.empty() && alg != "RS256")) return std::nullopt;
    const std::string_view kid = member_string(jwk, "kid");
    const std::string_view x5t = member_string(jwk, "x5t");
    if (kid.size() > kMaxKeyIdBytes || x5t.size() > kMaxKeyIdBytes) return std::nullopt;
    const auto n = base64url_decode_strict(member_string(jwk, "n"));
    const auto e = base64url_decode_strict(member_string(jwk, "e"));
    if (!n || !e) return std::nullopt;
    try {
        return SigningKey{std::string(kid), std::string(x5t), RsaPublicKey(*n, *e)};
    } catch (const AdalError &) {
        return std::nullopt;  // a weak or broken key in the set is skipped, not trusted
    }
}

}  // namespace

const SigningKey *KeySet::find(std::string_view kid, std::string_view x5t) const noexcept {
    for (const auto &k : keys) {
        if (!kid.empty() ? k.kid == kid : (!x5t.empty() && k.x5t == x5t)) return &k;
    }
    return nullptr;
}

KeySet parse_jwks(std::string_view text) {
    if (text.size() > kMaxJwksBytes) protocol("The JWK Set is larger than 256 KiB");
    const rapidjson::Document doc = json::parse(text, "JWK Set");
    const rapidjson::Value *keys = json::find(doc, "keys");
    if (keys == nullptr || !keys->IsArray()) protocol("The JWK Set has no \"keys\" array");
    if (keys->Size() > kMaxJwksKeys) protocol("The JWK Set has more than 64 keys");
    KeySet set;
    for (const auto &jwk : keys->GetArray()) {
        if (auto key = read_key(jwk)) set.keys.push_back(std::move(*key));
    }
    if (set.keys.empty()) protocol("The JWK Set has no usable RSA signing key");
    return set;
}

}  // namespace aadcred
