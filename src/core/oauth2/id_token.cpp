// The id_token's claims in ADAL's names (oauth2_client._parse_id_token). Nothing here
// verifies the token: ADAL only reads it for display and cache keys; PAM verifies.

#include <array>
#include <optional>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "core/oauth2/entry_value.hpp"
#include "core/oauth2/token_response.hpp"
#include "util/base64.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace aadcred {
namespace {

// OAuth2.IdTokenMap, in the order ADAL declares it (output order is the payload's).
struct ClaimName {
    std::string_view claim;
    std::string_view key;
};
constexpr std::array<ClaimName, 5> kClaimMap = {{
    {"tid", key::tenant_id},
    {"given_name", key::given_name},
    {"family_name", key::family_name},
    {"idp", key::identity_provider},
    {"oid", key::oid},
}};

// Python's \s for str patterns: ASCII whitespace including \x1c-\x1f, and Unicode's.
bool is_python_space(char32_t cp) noexcept {
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

// The code point at text[pos] (text is valid UTF-8) and its length.
std::size_t next_code_point(std::string_view text, std::size_t pos, char32_t &cp) noexcept {
    const auto b0 = static_cast<unsigned char>(text[pos]);
    std::size_t len = b0 < 0x80 ? 1 : b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : 4;
    if (len > text.size() - pos) len = text.size() - pos;
    cp = len == 1 ? b0 : b0 & (0xff >> (len + 1));
    for (std::size_t i = 1; i < len; ++i) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3f);
    }
    return len;
}

// ADAL's _open_jwt: re.search(r"^([^\.\s]*)\.([^\.\s]+)\.([^\.\s]*)$", token). Three
// dot-separated parts, none with whitespace, the payload not empty. Python's '$' also
// matches just before one final "\n", so a single trailing newline is accepted.
std::optional<std::string_view> jwt_payload(std::string_view token) {
    if (!token.empty() && token.back() == '\n') token.remove_suffix(1);
    if (!json::is_valid_utf8(token)) return std::nullopt;
    std::array<std::size_t, 2> dots{};
    std::size_t count = 0;
    char32_t cp = 0;
    for (std::size_t pos = 0; pos < token.size();) {
        const std::size_t len = next_code_point(token, pos, cp);
        if (is_python_space(cp)) return std::nullopt;
        if (cp == '.') {
            if (count == dots.size()) return std::nullopt;
            dots[count++] = pos;
        }
        pos += len;
    }
    if (count != 2 || dots[1] == dots[0] + 1) return std::nullopt;
    return token.substr(dots[0] + 1, dots[1] - dots[0] - 1);
}

[[noreturn]] void undecodable(std::string_view why) {
    throw AdalError(ErrorClass::protocol,
                    "The returned id_token could not be decoded: " + std::string(why));
}

}  // namespace

void add_id_token_claims(TokenEntry &entry, std::string_view id_token) {
    const Logger log("OAuth2Client", {});
    const std::optional<std::string_view> payload = jwt_payload(id_token);
    if (!payload) {
        log.warning("The token was not parsable.");
        return;
    }
    const std::optional<std::string> bytes = base64url_decode(*payload);
    if (!bytes) undecodable("the payload is not base64url");
    if (bytes->empty()) {
        log.warning("The returned id_token could not be base64 url safe decoded.");
        return;
    }
    // Python's bytes.decode('utf-8') before json.loads: a UnicodeDecodeError in ADAL.
    if (!json::is_valid_utf8(*bytes)) undecodable("the payload is not UTF-8");
    rapidjson::Document payload_doc;
    try {
        payload_doc = json::parse(*bytes, "id_token payload");
    } catch (const AdalError &e) {
        undecodable(e.message());
    }
    const rapidjson::Value &claims = payload_doc;
    if (!claims.IsObject()) undecodable("the payload is not a JSON object");

    // map_fields(id_token, IdTokenMap): the payload's order, a repeated claim's last value.
    for (auto it = claims.MemberBegin(); it != claims.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        for (const auto &m : kClaimMap) {
            if (m.claim == name) entry.set(m.key, entry_value_from_json(*json::find(claims, name)));
        }
    }

    // _get_user_id: first truthy of upn, email (both displayable), sub; else a uuid4.
    // isUserIdDisplayable is left out, not false, when the id is not displayable.
    bool displayable = false;
    const rapidjson::Value *user = nullptr;
    for (const char *claim : {"upn", "email", "sub"}) {
        const rapidjson::Value *v = json::find(claims, claim);
        if (v != nullptr && json::truthy(*v)) {
            user = v;
            displayable = std::string_view(claim) != "sub";
            break;
        }
    }
    if (user != nullptr) {
        entry.set(key::user_id, entry_value_from_json(*user));
    } else {
        entry.set_string(key::user_id, uuid4());
    }
    if (displayable) entry.set(key::is_user_id_displayable, true);
}

}  // namespace aadcred
