// id_token verification: JWS compact serialization (RFC 7515 §7.1), RS256 only (RFC 7518
// §3.3; RFC 8725 §3.1: never let the token pick its own algorithm, so "none" and HS256
// with the public key as secret are refused by construction), then the claims of OpenID
// Connect Core 1.0 §3.1.3.7. The payload is not even parsed before the signature holds.

#include "core/jose/id_token_verifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

namespace aadcred {
namespace {

using Seconds = std::int64_t;

[[noreturn]] void reject(std::string_view why) {
    throw AdalError(ErrorClass::protocol, "The id_token was rejected: " + std::string(why));
}

struct Compact {
    std::string_view header;     // base64url
    std::string_view payload;    // base64url
    std::string_view signature;  // base64url
    std::string_view signing_input;
};

Compact split(std::string_view token) {
    if (token.size() > kMaxIdTokenBytes) reject("it is larger than 64 KiB");
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        reject("it is not a JWS in compact form (three parts)");
    Compact c{token.substr(0, first), token.substr(first + 1, second - first - 1),
              token.substr(second + 1), token.substr(0, second)};
    // An unsecured JWS ("alg":"none", RFC 7519 §6) has an empty signature part.
    if (c.header.empty() || c.payload.empty() || c.signature.empty())
        reject("a part is empty (unsigned token)");
    return c;
}

// Decodes a part and parses it as one JSON object without duplicate member names
// (RFC 7515 §4, RFC 7519 §4: a parser must reject them or keep the last; we reject).
rapidjson::Document object_part(std::string_view part, const char *what) {
    const auto bytes = base64url_decode_strict(part);
    if (!bytes) reject(std::string("the ") + what + " is not base64url");
    rapidjson::Document doc;
    try {
        doc = json::parse(*bytes, what);
    } catch (const AdalError &) {
        reject(std::string("the ") + what + " is not JSON");
    }
    if (!doc.IsObject()) reject(std::string("the ") + what + " is not a JSON object");
    std::set<std::string_view> names;
    for (const auto &member : doc.GetObject()) {
        if (!names.emplace(member.name.GetString(), member.name.GetStringLength()).second)
            reject(std::string("the ") + what + " repeats a member name");
    }
    return doc;
}

std::optional<std::string_view> string_member(const rapidjson::Value &object, const char *name) {
    const rapidjson::Value *v = json::find(object, name);
    if (v == nullptr) return std::nullopt;
    if (!v->IsString()) reject(std::string("\"") + name + "\" is not a string");
    return std::string_view(v->GetString(), v->GetStringLength());
}

// A NumericDate (RFC 7519 §2): JSON number of seconds, fractions allowed.
std::optional<Seconds> date_member(const rapidjson::Value &claims, const char *name) {
    const rapidjson::Value *v = json::find(claims, name);
    if (v == nullptr) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    if (v->IsNumber()) {
        const double d = v->GetDouble();
        if (std::isfinite(d) && std::fabs(d) < 1e15) return static_cast<Seconds>(std::floor(d));
    }
    reject(std::string("\"") + name + "\" is not a NumericDate");
}

void check_audience(const rapidjson::Value &claims, const std::string &client_id) {
    const rapidjson::Value *aud = json::find(claims, "aud");
    if (aud == nullptr) reject("it has no \"aud\" claim");
    // Client ids are GUIDs, which compare without case; AAD writes them in lower case.
    auto is_ours = [&](const rapidjson::Value &v) {
        return v.IsString() && iequals_ascii({v.GetString(), v.GetStringLength()}, client_id);
    };
    std::size_t count = 1;
    bool found = false;
    if (aud->IsArray()) {
        count = aud->Size();
        for (const auto &v : aud->GetArray()) found = found || is_ours(v);
    } else {
        found = is_ours(*aud);
    }
    if (!found) reject("\"aud\" is not this application's client id");
    // OIDC Core §3.1.3.7 items 4-5: with several audiences, azp must be us.
    if (count > 1) {
        const auto azp = string_member(claims, "azp");
        if (!azp || !iequals_ascii(*azp, client_id))
            reject("several audiences and \"azp\" is not ours");
    }
}

bool is_guid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) return false;
    }
    return true;
}

// A tid goes into the expected issuer URL, so it may hold no '/', '?' or the like.
bool is_tenant_id(std::string_view s) noexcept {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '.';
    });
}

std::string expected_issuer(const std::string &pattern, std::string_view tid) {
    constexpr std::string_view placeholder = "{tenantid}";
    const auto at = pattern.find(placeholder);
    if (at == std::string::npos) return pattern;
    if (tid.empty()) reject("it has no \"tid\" claim to check \"iss\" with");
    std::string out = pattern;
    out.replace(at, placeholder.size(), tid);
    return out;
}

// C0 controls, DEL and C1 controls (U+0080-U+009F, 0xC2 0x80-0x9F in UTF-8): a NUL cuts
// a C string short ("alice\u0000@evil.example" would read as "alice"), a newline forges
// log lines, an escape drives a terminal. No identity Azure AD issues holds one.
bool has_control(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return true;
        if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(s[i + 1]) <= 0x9f)
            return true;
    }
    return false;
}

std::string claim_text(const rapidjson::Value &v, bool &ok) {
    ok = true;
    if (v.IsString()) return {v.GetString(), v.GetStringLength()};
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    ok = false;
    return {};
}

}  // namespace

bool VerifiedIdToken::refused(std::string_view name) const noexcept {
    return std::find(refused_claims.begin(), refused_claims.end(), name) != refused_claims.end();
}

const std::string *VerifiedIdToken::claim(std::string_view name) const noexcept {
    for (const auto &c : claims) {
        if (c.first == name) return &c.second;
    }
    return nullptr;
}

IdTokenVerifier::IdTokenVerifier(IdentityPolicy policy, Clock clock)
    : policy_(std::move(policy)), clock_(std::move(clock)) {
    if (policy_.client_id.empty())
        throw AdalError(ErrorClass::invalid, "id_token verification needs the client id");
    if (policy_.issuer.empty())
        throw AdalError(ErrorClass::invalid, "id_token verification needs the expected issuer");
    if (policy_.clock_skew.count() < 0 || policy_.clock_skew > std::chrono::hours(1))
        throw AdalError(ErrorClass::invalid, "the clock skew must be between 0 and 3600 s");
}

VerifiedIdToken IdTokenVerifier::verify(std::string_view id_token, const KeyLookup &keys) const {
    const Compact parts = split(id_token);

    // 1. The header: our algorithm, not the token's choice.
    const rapidjson::Document header = object_part(parts.header, "JOSE header");
    const auto alg = string_member(header, "alg");
    if (!alg) reject("the header has no \"alg\"");
    if (*alg != "RS256")
        reject("algorithm \"" + std::string(alg->substr(0, 16)) + "\" is not RS256");
    // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
    if (json::find(header, "crit") != nullptr) reject("the header has \"crit\" extensions");
    const std::string_view kid = string_member(header, "kid").value_or("");
    const std::string_view x5t = string_member(header, "x5t").value_or("");
    if (kid.empty() && x5t.empty()) reject("the header names no key (kid or x5t)");
    if (kid.size() > kMaxKeyIdBytes || x5t.size() > kMaxKeyIdBytes)
        reject("the key id is too long");

    // 2. The signature, with the authority's key of that id and nothing else.
    const std::shared_ptr<const SigningKey> key = keys(kid, x5t);
    if (!key) reject("the authority has no signing key with this kid");
    const auto signature = base64url_decode_strict(parts.signature);
    if (!signature) reject("the signature is not base64url");
    if (!key->key.verify_rs256(parts.signing_input, *signature)) reject("bad signature");

    // 3. The claims, now that the authority vouches for them.
    const rapidjson::Document claims = object_part(parts.payload, "claims set");
    const std::string_view tid = string_member(claims, "tid").value_or("");
    if (!tid.empty() && !is_tenant_id(tid)) reject("\"tid\" is not a tenant id");
    if (policy_.require_tid && tid.empty()) reject("it has no \"tid\" claim");

    const auto iss = string_member(claims, "iss");
    if (!iss) reject("it has no \"iss\" claim");
    if (*iss != expected_issuer(policy_.issuer, tid))
        reject("\"iss\" is not the authority's issuer");
    check_audience(claims, policy_.client_id);

    const Seconds now =
        std::chrono::duration_cast<std::chrono::seconds>(
            (clock_ ? clock_() : std::chrono::system_clock::now()).time_since_epoch())
            .count();
    const Seconds skew = policy_.clock_skew.count();
    const auto exp = date_member(claims, "exp");
    if (!exp) reject("it has no \"exp\" claim");
    if (now >= *exp + skew) reject("it has expired");
    const auto nbf = date_member(claims, "nbf");
    if (nbf && now < *nbf - skew) reject("it is not valid yet (nbf)");

    if (is_guid(policy_.authority_tenant) && !iequals_ascii(tid, policy_.authority_tenant))
        reject("\"tid\" is not the authority's tenant");
    if (!policy_.allowed_tenants.empty() &&
        std::none_of(policy_.allowed_tenants.begin(), policy_.allowed_tenants.end(),
                     [&](const std::string &t) { return iequals_ascii(t, tid); }))
        reject("tenant is not allowed");

    VerifiedIdToken out;
    for (const auto &member : claims.GetObject()) {
        bool ok = false;
        std::string text = claim_text(member.value, ok);
        std::string name(member.name.GetString(), member.name.GetStringLength());
        if (ok && has_control(text))
            out.refused_claims.push_back(std::move(name));
        else if (ok)
            out.claims.emplace_back(std::move(name), std::move(text));
    }
    out.payload = json::to_string(claims);
    return out;
}

}  // namespace aadcred
