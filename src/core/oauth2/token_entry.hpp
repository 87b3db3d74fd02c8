#pragma once
// One ADAL token dict: what acquire_* returns and what TokenCache stores. ADAL keeps these
// as Python dicts whose key order shows up in TokenCache.serialize(), so this is an
// ordered map of JSON values rather than a struct: entries written by python3-adal keep
// their keys, order and unknown fields when they pass through aadcred. String values are
// SecretStrings because accessToken and refreshToken live among them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/json/json.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

/// A JSON value kept verbatim (arrays, objects, non-integral numbers), e.g. an unknown
/// field of an imported cache entry.
struct RawJson {
    std::string text;
    bool operator==(const RawJson &) const = default;
};

using EntryValue = std::variant<std::nullptr_t, bool, std::int64_t, SecretString, RawJson>;

// ADAL's keys.
namespace key {
inline constexpr std::string_view token_type = "tokenType";
inline constexpr std::string_view expires_in = "expiresIn";
inline constexpr std::string_view expires_on = "expiresOn";
inline constexpr std::string_view created_on = "createdOn";
inline constexpr std::string_view resource = "resource";
inline constexpr std::string_view access_token = "accessToken";
inline constexpr std::string_view refresh_token = "refreshToken";
inline constexpr std::string_view tenant_id = "tenantId";
inline constexpr std::string_view oid = "oid";
inline constexpr std::string_view family_name = "familyName";
inline constexpr std::string_view given_name = "givenName";
inline constexpr std::string_view identity_provider = "identityProvider";
inline constexpr std::string_view user_id = "userId";
inline constexpr std::string_view is_user_id_displayable = "isUserIdDisplayable";
inline constexpr std::string_view is_mrrt = "isMRRT";
inline constexpr std::string_view client_id = "_clientId";
inline constexpr std::string_view authority = "_authority";
}  // namespace key

class TokenEntry {
  public:
    /// The string at `k`, or nullopt when absent or not a string.
    std::optional<std::string_view> string(std::string_view k) const;
    /// The string at `k` as a SecretString copy (tokens), or an empty one.
    SecretString secret(std::string_view k) const;
    std::optional<std::int64_t> integer(std::string_view k) const;
    /// ADAL truthiness for booleans: absent → nullopt.
    std::optional<bool> boolean(std::string_view k) const;
    bool has(std::string_view k) const;
    const EntryValue *find(std::string_view k) const;

    /// Replaces the value in place (keeping the key's position) or appends the key.
    void set(std::string_view k, EntryValue value);
    void set_string(std::string_view k, std::string_view value);
    void erase(std::string_view k);

    const std::vector<std::pair<std::string, EntryValue>> &items() const { return items_; }
    bool empty() const { return items_.empty(); }

    /// When the access token expires (expiresOn parsed as ADAL writes it: local time), in
    /// seconds since the epoch; nullopt when expiresOn is missing or unreadable.
    std::optional<std::int64_t> expires_at() const;

    /// The raw id_token that came with the response; kept beside the entry, never
    /// serialized (ADAL drops it), used to verify the identity in PAM.
    const SecretString &id_token() const { return id_token_; }
    void set_id_token(SecretString token) { id_token_ = std::move(token); }

    /// Python json.dumps() of the dict: ", " and ": " separators, ASCII-only output.
    std::string to_python_json() const;
    /// Compact JSON (for the C ABI's *_to_json and the Secret Service secret).
    std::string to_json() const;
    /// Parses one JSON object; throws AdalError(protocol) on anything else, and for an
    /// accessToken, tokenType or refreshToken that is not a string of printable ASCII
    /// (null allowed for refreshToken): what a past version may have stored.
    static TokenEntry from_json(std::string_view json);
    /// from_json() of an object already parsed, e.g. one item of a cache's array: the
    /// same checks, without writing the item out as text only to read it back.
    static TokenEntry from_value(const rapidjson::Value &object);
    static TokenEntry from_value(const json::SecretValue &object);

    bool operator==(const TokenEntry &other) const;

  private:
    std::vector<std::pair<std::string, EntryValue>> items_;
    SecretString id_token_;
};

}  // namespace aadcred
