#include "core/adal_error.hpp"

#include "core/json.hpp"

namespace aadcred {

AdalError AdalError::from_server_reply(std::string message, const std::string &body,
                                       ErrorClass klass) {
    AdalError error(klass, std::move(message));
    error.error_response_ = body;
    // Azure AD's error body (RFC 6749 §5.2 plus its own error_codes, trace_id and
    // correlation_id). Anything that is not a JSON object is kept only as the raw text.
    const std::optional<rapidjson::Document> doc = json::try_parse(body);
    if (!doc || !doc->IsObject()) return error;
    error.error_ = json::get_string(*doc, "error").value_or("");
    error.error_description_ = json::get_string(*doc, "error_description").value_or("");
    error.correlation_id_ = json::get_string(*doc, "correlation_id").value_or("");
    if (const rapidjson::Value *codes = json::find(*doc, "error_codes");
        codes != nullptr && codes->IsArray()) {
        for (const auto &code : codes->GetArray()) {
            // A handful is all anyone reads; a hostile body must not grow this without bound.
            if (error.error_codes_.size() >= 32) break;
            if (code.IsInt64()) error.error_codes_.push_back(code.GetInt64());
        }
    }
    return error;
}

AdalError &AdalError::with_error_response(std::string raw) {
    error_response_ = std::move(raw);
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
