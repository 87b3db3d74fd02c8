#include "core/oauth2/claims.hpp"

#include <rapidjson/document.h>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"

namespace aadcred {

namespace {

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

[[noreturn]] void refuse(const std::string &why) {
    throw AdalError(ErrorClass::invalid, "The claims challenge " + why);
}

// JSON as it is, else base64 (Azure AD's CAE challenges), else base64url.
std::string challenge_json(std::string_view challenge) {
    challenge = trimmed(challenge);
    if (challenge.empty()) refuse("is empty");
    if (challenge.size() > kMaxClaimsBytes) refuse("is too large");
    if (challenge.front() == '{') return std::string(challenge);
    if (auto decoded = base64_decode(challenge)) return std::move(*decoded);
    if (auto decoded = base64url_decode_strict(challenge)) return std::move(*decoded);
    refuse("is neither JSON nor base64");
}

}  // namespace

std::string claims_with_client_capability(std::string_view challenge) {
    const std::string text = challenge_json(challenge);
    auto document = json::try_parse(text);
    if (!document || !document->IsObject()) refuse("is not a JSON object");
    auto &alloc = document->GetAllocator();
    rapidjson::Value *access_token = nullptr;
    // The last of duplicate names is the one a JSON reader keeps (json::find).
    for (auto it = document->MemberEnd(); it != document->MemberBegin();) {
        --it;
        if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == "access_token") {
            access_token = &it->value;
            break;
        }
    }
    if (access_token == nullptr) {
        document->AddMember("access_token", rapidjson::Value(rapidjson::kObjectType), alloc);
        access_token = &(document->MemberEnd() - 1)->value;
    }
    if (!access_token->IsObject()) refuse("has an access_token that is not an object");
    while (access_token->RemoveMember("xms_cc")) {
    }
    rapidjson::Value values(rapidjson::kArrayType);
    values.PushBack("cp1", alloc);
    rapidjson::Value xms_cc(rapidjson::kObjectType);
    xms_cc.AddMember("values", values, alloc);
    access_token->AddMember("xms_cc", xms_cc, alloc);
    return json::to_string(*document);
}

}  // namespace aadcred
