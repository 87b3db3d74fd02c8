#include "core/adal_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json/json.hpp"

namespace aadcred {
namespace {

// Members whose values are secrets: the token reply's (and ADAL's cache names for them)
// and the device code. A truncated token reply, or a hostile error reply, carries them.
constexpr std::array<std::string_view, 6> kSecretNames = {
    "access_token", "refresh_token", "id_token", "device_code", "accessToken", "refreshToken"};
// base64url of '{"': how every JWT (access and id tokens) begins.
constexpr std::string_view kJwtStart = "eyJ";
constexpr std::string_view kRedacted = "...";

bool is_secret_name(std::string_view name) {
    return std::find(kSecretNames.begin(), kSecretNames.end(), name) != kSecretNames.end();
}

bool looks_like_jwt(std::string_view text) {
    return text.substr(0, kJwtStart.size()) == kJwtStart && text.find('.') != text.npos;
}

std::string_view text_of(const json::SecretValue &value) {
    return {value.GetString(), value.GetStringLength()};
}

// Recursion is bounded: every value here came through json::parse's depth cap.
bool holds_secret(const json::SecretValue &value) {
    if (value.IsString()) return looks_like_jwt(text_of(value));
    if (value.IsArray()) {
        return std::any_of(value.Begin(), value.End(),
                           [](const json::SecretValue &item) { return holds_secret(item); });
    }
    if (!value.IsObject()) return false;
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
        if (is_secret_name(text_of(it->name)) || holds_secret(it->value)) return true;
    }
    return false;
}

using Buffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, util::WipingAllocator>;
using Writer =
    rapidjson::Writer<Buffer, rapidjson::UTF8<>, rapidjson::UTF8<>, util::WipingAllocator>;

void write_redacted(Writer &writer, const json::SecretValue &value) {
    if (value.IsString() && looks_like_jwt(text_of(value))) {
        writer.String(kRedacted.data(), static_cast<rapidjson::SizeType>(kRedacted.size()));
    } else if (value.IsArray()) {
        writer.StartArray();
        for (const auto &item : value.GetArray()) write_redacted(writer, item);
        writer.EndArray();
    } else if (value.IsObject()) {
        writer.StartObject();
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            writer.Key(it->name.GetString(), it->name.GetStringLength());
            if (is_secret_name(text_of(it->name))) {
                writer.String(kRedacted.data(), static_cast<rapidjson::SizeType>(kRedacted.size()));
            } else {
                write_redacted(writer, it->value);
            }
        }
        writer.EndObject();
    } else {
        value.Accept(writer);
    }
}

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
    const auto equal = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    };
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(), equal) != text.end();
}

// Text that is not a JSON document (or a bare JSON string): kept for diagnosis unless it
// may be a token reply cut short. Such a reply starts like a JSON document, names its
// tokens, or holds a JWT.
bool text_may_hold_token(std::string_view text) {
    std::string_view start = text;
    if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);  // a UTF-8 BOM
    const auto first = start.find_first_not_of(" \t\r\n");
    if (first != start.npos && (start[first] == '{' || start[first] == '[')) return true;
    if (text.find(kJwtStart) != text.npos) return true;
    return std::any_of(kSecretNames.begin(), kSecretNames.end(), [text](std::string_view name) {
        return contains_ignoring_case(text, name);
    });
}

std::string withheld(std::size_t size) {
    return "the reply was not valid JSON (" + std::to_string(size) + " bytes)";
}

}  // namespace

std::string error_body_without_secrets(std::string_view body) {
    if (body.empty()) return {};
    const std::optional<json::SecretDocument> doc = json::try_parse_secret(body);
    if (!doc) return text_may_hold_token(body) ? withheld(body.size()) : std::string(body);
    if (doc->IsString()) {
        return text_may_hold_token(text_of(*doc)) ? withheld(body.size()) : std::string(body);
    }
    if (!holds_secret(*doc)) return std::string(body);
    Buffer buffer;
    Writer writer(buffer);
    write_redacted(writer, *doc);
    return std::string(buffer.GetString(), buffer.GetSize());
}

AdalError AdalError::from_server_reply(std::string message, const std::string &body,
                                       ErrorClass klass) {
    std::string safe = error_body_without_secrets(body);
    if (safe != body) {
        // http_error's message quotes the body ("... and server response: <body>").
        if (const auto at = message.rfind(body); at != std::string::npos)
            message.replace(at, body.size(), safe);
    }
    AdalError error(klass, std::move(message));
    error.error_response_ = std::move(safe);
    // Azure AD's error body (RFC 6749 §5.2 plus its own error_codes, trace_id and
    // correlation_id). Anything that is not a JSON object is kept only as the text.
    const std::optional<json::SecretDocument> doc = json::try_parse_secret(body);
    if (!doc || !doc->IsObject()) return error;
    error.error_ = json::get_string(*doc, "error").value_or("");
    error.error_description_ = json::get_string(*doc, "error_description").value_or("");
    error.correlation_id_ = json::get_string(*doc, "correlation_id").value_or("");
    if (const json::SecretValue *codes = json::find(*doc, "error_codes");
        codes != nullptr && codes->IsArray()) {
        for (const auto &code : codes->GetArray()) {
            // A handful is all anyone reads; a hostile body must not grow this without bound.
            if (error.error_codes_.size() >= 32) break;
            if (code.IsInt64()) error.error_codes_.push_back(code.GetInt64());
        }
    }
    return error;
}

AdalError &AdalError::with_error_response(std::string_view raw) {
    error_response_ = error_body_without_secrets(raw);
    return *this;
}

AdalError &AdalError::with_error(std::string error, std::string description) {
    error_ = std::move(error);
    error_description_ = std::move(description);
    return *this;
}

AdalError &AdalError::with_correlation_id(std::string id) {
    correlation_id_ = std::move(id);
    return *this;
}

}  // namespace aadcred
