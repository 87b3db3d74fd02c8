// OAuth2Client._validate_token_response (reference §4), step for step.

#include "core/oauth2/token_response.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "core/oauth2/entry_value.hpp"

namespace aadcred {
namespace {

// TOKEN_RESPONSE_MAP. Everything else on the wire (scope, ext_expires_in, not_before,
// id_token, foci...) is dropped.
struct FieldName {
    std::string_view wire;
    std::string_view key;
};
constexpr std::array<FieldName, 9> kResponseMap = {{
    {"token_type", key::token_type},
    {"access_token", key::access_token},
    {"refresh_token", key::refresh_token},
    {"created_on", key::created_on},
    {"expires_on", key::expires_on},
    {"expires_in", key::expires_in},
    {"resource", key::resource},
    {"error", "error"},
    {"error_description", "errorDescription"},
}};

// Fields ADAL keeps as strings; a hostile reply with a number, a list or an object there
// must not become an entry whose accessToken a front end reads as NULL.
constexpr std::array<std::string_view, 5> kStringFields = {"token_type", "access_token",
                                                           "refresh_token", "id_token", "resource"};
// Fields that go into HTTP headers, git's credential protocol and terminals as they are:
// RFC 6749 A.12-A.13 allows only printable ASCII (VSCHAR) in them, so a CR/LF (header or
// credential injection), a NUL (cut at the NUL in C) or an escape sequence is refused.
constexpr std::array<std::string_view, 4> kTokenFields = {"token_type", "access_token",
                                                          "refresh_token", "id_token"};

// A year and a bit more than anyone issues; keeps now + expires_in far from overflow.
constexpr std::int64_t kMaxLifetimeSeconds = 100LL * 366 * 24 * 3600;

// One field of the wire dict ADAL works on: the JSON value, or what ADAL put in its place.
struct Field {
    std::string_view name;
    const json::SecretValue *value = nullptr;
    std::optional<EntryValue> replaced;

    bool truthy() const {
        if (!replaced) return value != nullptr && json::truthy(*value);
        if (const std::int64_t *i = std::get_if<std::int64_t>(&*replaced)) return *i != 0;
        if (const SecretString *s = std::get_if<SecretString>(&*replaced)) return !s->empty();
        return false;
    }
    EntryValue entry_value() const { return replaced ? *replaced : entry_value_from_json(*value); }
};

bool is_printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool wanted(std::string_view name) {
    if (name == "id_token") return true;
    for (const auto &m : kResponseMap) {
        if (m.wire == name) return true;
    }
    return false;
}

}  // namespace

TokenEntry parse_token_response(std::string_view body, std::chrono::system_clock::time_point now) {
    json::SecretDocument parsed;
    try {
        parsed = json::parse_secret(body, "token response");
    } catch (AdalError &e) {
        // Not JSON: a reply cut short still holds live tokens, so the text is kept only
        // when it cannot (with_error_response says "not valid JSON (N bytes)" otherwise).
        throw e.with_error_response(body);
    }
    // Read through a const reference: RapidJSON's mutable iterators compare ambiguously
    // under C++20's rewritten operators.
    const json::SecretValue &doc = parsed;
    if (!doc.IsObject()) {
        throw AdalError(ErrorClass::protocol, "token response is not a JSON object")
            .with_error_response(body);
    }
    // error_response is the reply with its token values blanked (adal_error.hpp).
    const auto fail = [body](std::string message) {
        throw AdalError(ErrorClass::protocol, std::move(message)).with_error_response(body);
    };

    // json.loads keeps a repeated key at its first position with its last value.
    std::vector<Field> wire;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (!wanted(name)) continue;
        Field *existing = nullptr;
        for (auto &f : wire) {
            if (f.name == name) existing = &f;
        }
        if (existing != nullptr) {
            existing->value = &it->value;
        } else {
            wire.push_back(Field{name, &it->value, std::nullopt});
        }
    }
    const auto field = [&wire](std::string_view name) -> Field * {
        for (auto &f : wire) {
            if (f.name == name) return &f;
        }
        return nullptr;
    };

    // _parse_optional_ints: int() of each that is present ("3599" is fine, "foo" is not).
    for (const std::string_view name : {"expires_on", "expires_in", "created_on"}) {
        Field *f = field(name);
        if (f == nullptr || f->value->IsNull()) continue;
        try {
            f->replaced = json::to_int(*f->value);
        } catch (const AdalError &e) {
            fail(e.message());
        }
    }

    // expires_on = str(datetime.now() + timedelta(seconds=expires_in)): local wall time.
    // A wire expires_on without expires_in stays the server's integer epoch.
    if (const Field *in = field("expires_in"); in != nullptr && in->truthy()) {
        const std::int64_t seconds = std::get<std::int64_t>(*in->replaced);
        if (seconds > kMaxLifetimeSeconds || seconds < -kMaxLifetimeSeconds) {
            fail("expires_in is out of range: " + std::to_string(seconds));
        }
        SecretString text(format_adal_time(now + std::chrono::seconds(seconds)));
        if (Field *on = field("expires_on")) {
            on->replaced = std::move(text);
        } else {
            wire.push_back(Field{"expires_on", nullptr, EntryValue(std::move(text))});
        }
    }
    // created_on = str(datetime.fromtimestamp(created_on)).
    if (Field *created = field("created_on"); created != nullptr && created->truthy()) {
        const std::int64_t epoch = std::get<std::int64_t>(*created->replaced);
        // Years 1..9999 (Python's datetime), within what system_clock's nanoseconds hold
        // (1677..2262 in libstdc++; past it the conversion overflowed, found by tests/fuzz).
        using Clock = std::chrono::system_clock;
        constexpr std::int64_t kClockLimit =
            std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();
        if (epoch > 253402300799LL || epoch < -62135596800LL || epoch > kClockLimit ||
            epoch < -kClockLimit) {
            fail("created_on is out of range: " + std::to_string(epoch));
        }
        created->replaced = SecretString(
            format_adal_time(std::chrono::system_clock::time_point(std::chrono::seconds(epoch))));
    }

    if (const Field *f = field("token_type"); f == nullptr || !f->truthy()) {
        fail("wire_response is missing token_type");
    }
    if (const Field *f = field("access_token"); f == nullptr || !f->truthy()) {
        fail("wire_response is missing access_token");
    }
    for (const std::string_view name : kStringFields) {
        const Field *f = field(name);
        if (f == nullptr || f->value->IsNull()) continue;
        if (!f->value->IsString())
            fail("wire_response's " + std::string(name) + " is not a string");
    }
    for (const std::string_view name : kTokenFields) {
        const Field *f = field(name);
        if (f == nullptr || !f->value->IsString()) continue;
        if (!is_printable_ascii(
                std::string_view(f->value->GetString(), f->value->GetStringLength())))
            fail("wire_response's " + std::string(name) +
                 " holds a control or non-ASCII character");
    }

    TokenEntry entry;
    for (const Field &f : wire) {
        for (const auto &m : kResponseMap) {
            if (m.wire == f.name) entry.set(m.key, f.entry_value());
        }
    }

    if (const Field *id = field("id_token"); id != nullptr && id->truthy()) {
        const std::string_view token(id->value->GetString(), id->value->GetStringLength());
        try {
            add_id_token_claims(entry, token);
        } catch (const AdalError &e) {
            fail(e.message());
        }
        entry.set_id_token(SecretString(token));
    }
    return entry;
}

}  // namespace aadcred
