#include "core/oauth2/token_entry.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "core/oauth2/entry_value.hpp"
#include "core/oauth2/token_response.hpp"

namespace aadcred {
namespace {

// ADAL's entries have about seventeen keys; the cap keeps set()'s linear search cheap
// when a hostile cache file holds one object with a hundred thousand keys.
constexpr std::size_t kMaxEntryKeys = 256;

// The tokens of an entry, which front ends hand out as C strings and put into HTTP
// headers and git's credential protocol: strings of printable ASCII (RFC 6749 A.12-A.13),
// as parse_token_response demands of the wire. An entry stored by an older version with
// a number there, or a CR/LF inside, is refused here rather than read as NULL or injected.
struct TokenKey {
    std::string_view key;
    bool may_be_null;  // ADAL keeps a None refresh token as it came
};
constexpr std::array<TokenKey, 3> kTokenKeys = {{
    {key::access_token, false},
    {key::refresh_token, true},
    {key::token_type, false},
}};

void check_tokens(const TokenEntry &entry) {
    for (const TokenKey &t : kTokenKeys) {
        const EntryValue *v = entry.find(t.key);
        if (v == nullptr || (t.may_be_null && std::holds_alternative<std::nullptr_t>(*v))) continue;
        const SecretString *s = std::get_if<SecretString>(v);
        if (s == nullptr) {
            throw AdalError(ErrorClass::protocol,
                            "token entry's " + std::string(t.key) + " is not a string");
        }
        const std::string &text = s->reveal();
        if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; })) {
            throw AdalError(ErrorClass::protocol, "token entry's " + std::string(t.key) +
                                                      " holds a control or non-ASCII character");
        }
    }
}

template <typename Value>
TokenEntry entry_of(const Value &doc) {
    if (!doc.IsObject()) throw AdalError(ErrorClass::protocol, "token entry is not a JSON object");
    if (doc.MemberCount() > kMaxEntryKeys) {
        throw AdalError(ErrorClass::protocol,
                        "token entry has more than " + std::to_string(kMaxEntryKeys) + " keys");
    }
    TokenEntry entry;
    // set() keeps a repeated key at its first position with its last value: json.loads.
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        entry.set(std::string_view(it->name.GetString(), it->name.GetStringLength()),
                  entry_value_from_json(it->value));
    }
    check_tokens(entry);
    return entry;
}

// A RawJson is re-read before it is written out, so a malformed one (built by hand, not by
// from_json) can never corrupt the document around it.
json::SecretDocument reparse(std::string_view key, const RawJson &raw) {
    try {
        return json::parse_secret(raw.text, "token entry field");
    } catch (const AdalError &) {
        throw AdalError(ErrorClass::internal,
                        "token entry field '" + std::string(key) + "' holds invalid JSON");
    }
}

template <typename WriteRaw>
std::string serialize(const std::vector<std::pair<std::string, EntryValue>> &items,
                      const char *item_sep, const char *key_sep, bool ascii_only,
                      WriteRaw &&write_raw) {
    std::string out = "{";
    bool first = true;
    for (const auto &[k, v] : items) {
        if (!first) out += item_sep;
        first = false;
        json::append_quoted(out, k, ascii_only);
        out += key_sep;
        if (std::holds_alternative<std::nullptr_t>(v)) {
            out += "null";
        } else if (const bool *b = std::get_if<bool>(&v)) {
            out += *b ? "true" : "false";
        } else if (const std::int64_t *i = std::get_if<std::int64_t>(&v)) {
            out += std::to_string(*i);
        } else if (const SecretString *s = std::get_if<SecretString>(&v)) {
            json::append_quoted(out, s->reveal(), ascii_only);
        } else {
            write_raw(out, k, std::get<RawJson>(v));
        }
    }
    out += '}';
    return out;
}

}  // namespace

const EntryValue *TokenEntry::find(std::string_view k) const {
    for (const auto &item : items_) {
        if (item.first == k) return &item.second;
    }
    return nullptr;
}

bool TokenEntry::has(std::string_view k) const {
    return find(k) != nullptr;
}

std::optional<std::string_view> TokenEntry::string(std::string_view k) const {
    const EntryValue *v = find(k);
    if (v == nullptr) return std::nullopt;
    const SecretString *s = std::get_if<SecretString>(v);
    if (s == nullptr) return std::nullopt;
    return std::string_view(s->reveal());
}

SecretString TokenEntry::secret(std::string_view k) const {
    const EntryValue *v = find(k);
    if (v == nullptr) return {};
    const SecretString *s = std::get_if<SecretString>(v);
    return s == nullptr ? SecretString() : *s;
}

std::optional<std::int64_t> TokenEntry::integer(std::string_view k) const {
    const EntryValue *v = find(k);
    if (v == nullptr) return std::nullopt;
    const std::int64_t *i = std::get_if<std::int64_t>(v);
    if (i == nullptr) return std::nullopt;
    return *i;
}

std::optional<bool> TokenEntry::boolean(std::string_view k) const {
    const EntryValue *v = find(k);
    if (v == nullptr) return std::nullopt;
    // Python truthiness, as ADAL tests entry['isMRRT'] with a bare `if`.
    if (std::holds_alternative<std::nullptr_t>(*v)) return false;
    if (const bool *b = std::get_if<bool>(v)) return *b;
    if (const std::int64_t *i = std::get_if<std::int64_t>(v)) return *i != 0;
    if (const SecretString *s = std::get_if<SecretString>(v)) return !s->empty();
    const std::optional<rapidjson::Document> doc = json::try_parse(std::get<RawJson>(*v).text);
    return doc.has_value() && json::truthy(*doc);
}

void TokenEntry::set(std::string_view k, EntryValue value) {
    for (auto &item : items_) {
        if (item.first == k) {
            item.second = std::move(value);
            return;
        }
    }
    items_.emplace_back(std::string(k), std::move(value));
}

void TokenEntry::set_string(std::string_view k, std::string_view value) {
    set(k, SecretString(value));
}

void TokenEntry::erase(std::string_view k) {
    std::erase_if(items_, [k](const auto &item) { return item.first == k; });
}

std::optional<std::int64_t> TokenEntry::expires_at() const {
    const EntryValue *v = find(key::expires_on);
    if (v == nullptr) return std::nullopt;
    // ADAL writes str(datetime) in local time, but keeps a wire expires_on that came
    // without expires_in as the server's integer epoch.
    if (const std::int64_t *epoch = std::get_if<std::int64_t>(v)) return *epoch;
    const SecretString *text = std::get_if<SecretString>(v);
    if (text == nullptr) return std::nullopt;
    const auto when = parse_adal_time(text->reveal());
    if (!when) return std::nullopt;
    return std::chrono::floor<std::chrono::seconds>(when->time_since_epoch()).count();
}

std::string TokenEntry::to_python_json() const {
    return serialize(items_, ", ", ": ", true,
                     [](std::string &out, std::string_view k, const RawJson &raw) {
                         append_python_json(out, reparse(k, raw));
                     });
}

std::string TokenEntry::to_json() const {
    return serialize(items_, ",", ":", false,
                     [](std::string &out, std::string_view k, const RawJson &raw) {
                         out += json::to_string(reparse(k, raw));
                     });
}

TokenEntry TokenEntry::from_json(std::string_view text) {
    return from_value(json::parse_secret(text, "token entry"));
}

TokenEntry TokenEntry::from_value(const rapidjson::Value &object) {
    return entry_of(object);
}

TokenEntry TokenEntry::from_value(const json::SecretValue &object) {
    return entry_of(object);
}

bool TokenEntry::operator==(const TokenEntry &other) const {
    // Dict equality as in Python: same keys and values, order ignored. The id_token is
    // beside the entry, not part of it.
    if (items_.size() != other.items_.size()) return false;
    return std::all_of(items_.begin(), items_.end(), [&other](const auto &item) {
        const EntryValue *theirs = other.find(item.first);
        return theirs != nullptr && *theirs == item.second;
    });
}

}  // namespace aadcred
