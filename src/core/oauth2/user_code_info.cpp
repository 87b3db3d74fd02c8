#include "core/oauth2/user_code_info.hpp"

#include <initializer_list>
#include <optional>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"

namespace aadcred {
namespace {

[[noreturn]] void invalid(std::string message) {
    throw AdalError(ErrorClass::invalid, std::move(message));
}

// The first of `names` present (camelCase first: SPEC's shape, then ADAL's snake_case).
const json::SecretValue *lookup(const json::SecretValue &object,
                                std::initializer_list<const char *> names) {
    for (const char *name : names) {
        if (const json::SecretValue *v = json::find(object, name)) return v;
    }
    return nullptr;
}

std::string string_field(const json::SecretValue &object, const char *field,
                         std::initializer_list<const char *> names) {
    const json::SecretValue *v = lookup(object, names);
    if (v == nullptr || v->IsNull()) return {};
    if (!v->IsString())
        invalid(std::string("the user_code_info has a bad ") + field + ": expected a string");
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> int_field(const json::SecretValue &object, const char *field,
                                      std::initializer_list<const char *> names) {
    const json::SecretValue *v = lookup(object, names);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    try {
        return json::to_int(*v);
    } catch (const AdalError &e) {
        invalid(std::string("the user_code_info has a bad ") + field + ": " + e.message());
    }
}

void append_member(std::string &out, const char *name) {
    if (out.size() > 1) out += ',';
    json::append_quoted(out, name);
    out += ':';
}

}  // namespace

std::string UserCodeInfo::to_json() const {
    std::string out = "{";
    append_member(out, "userCode");
    json::append_quoted(out, user_code);
    append_member(out, "deviceCode");
    json::append_quoted(out, device_code.reveal());
    append_member(out, "verificationUrl");
    json::append_quoted(out, verification_url);
    if (!verification_url_complete.empty()) {
        append_member(out, "verificationUrlComplete");
        json::append_quoted(out, verification_url_complete);
    }
    append_member(out, "expiresIn");
    out += std::to_string(expires_in);
    append_member(out, "interval");
    out += std::to_string(interval);
    append_member(out, "message");
    json::append_quoted(out, message);
    // ADAL's correlation_id is None when the server echoed no client-request-id.
    append_member(out, "correlationId");
    if (correlation_id.empty()) {
        out += "null";
    } else {
        json::append_quoted(out, correlation_id);
    }
    if (expires_at != 0) {
        append_member(out, "expiresAt");
        out += std::to_string(expires_at);
    }
    out += '}';
    return out;
}

UserCodeInfo UserCodeInfo::from_json(std::string_view text) {
    json::SecretDocument doc;
    try {
        doc = json::parse_secret(text, "the user_code_info");
    } catch (const AdalError &e) {
        invalid(e.message());
    }
    // argument.validate_user_code_info's texts, in its order.
    if (!doc.IsObject()) invalid("the user_code_info is not a JSON object");
    if (doc.MemberCount() == 0) invalid("the user_code_info parameter is required");

    UserCodeInfo info;
    info.device_code =
        SecretString(string_field(doc, "device_code", {"deviceCode", "device_code"}));
    if (info.device_code.empty()) invalid("the user_code_info is missing device_code");
    // ADAL says "missing internal" here, a typo for interval; we name the field.
    info.interval = int_field(doc, "interval", {"interval"}).value_or(0);
    if (info.interval == 0) invalid("the user_code_info is missing interval");
    info.expires_in = int_field(doc, "expires_in", {"expiresIn", "expires_in"}).value_or(0);
    if (info.expires_in == 0) invalid("the user_code_info is missing expires_in");
    // ADAL checks this when polling starts ("invalid refresh interval").
    if (info.interval < 0) invalid("invalid refresh interval");
    if (info.expires_in < 0) invalid("the user_code_info has a bad expires_in: it is negative");

    info.user_code = string_field(doc, "user_code", {"userCode", "user_code"});
    info.verification_url = string_field(
        doc, "verification_url", {"verificationUrl", "verification_url", "verification_uri"});
    info.verification_url_complete = string_field(
        doc, "verification_url_complete",
        {"verificationUrlComplete", "verification_url_complete", "verification_uri_complete"});
    info.message = string_field(doc, "message", {"message"});
    info.correlation_id = string_field(doc, "correlation_id", {"correlationId", "correlation_id"});
    info.expires_at = int_field(doc, "expires_at", {"expiresAt", "expires_at"}).value_or(0);
    return info;
}

}  // namespace aadcred
