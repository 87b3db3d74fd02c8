// aadcred_error_to_json (SPEC §3 "Error" shape), aadcred_string_free and aadcred_version.

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "lib/capi_common.hpp"

static_assert(std::string_view(AADCRED_ERROR_TLS_UNTRUSTED_CA) == aadcred::kErrorTlsUntrustedCa,
              "the engine's error code is the one <aadcred/error.h> documents");

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

// Servers send a handful of AADSTS codes; more than this is not a real error reply.
constexpr std::size_t kMaxErrorCodes = 64;

void append_nullable(std::string &out, const char *value) {
    if (value == nullptr) {
        out += "null";
    } else {
        aadcred::json::append_quoted(out, value);
    }
}

std::vector<long long> codes_from_response(const rapidjson::Value *reply) {
    std::vector<long long> codes;
    if (reply == nullptr || !reply->IsObject()) return codes;
    auto it = reply->FindMember("error_codes");
    if (it == reply->MemberEnd() || !it->value.IsArray()) return codes;
    for (const auto &code : it->value.GetArray()) {
        if (codes.size() >= kMaxErrorCodes) break;
        if (code.IsInt64()) codes.push_back(code.GetInt64());
    }
    return codes;
}

std::string error_json(const aadcred_error &error) {
    // The engine keeps no token in an error; a caller's own aadcred_error gets the same
    // treatment, as this JSON goes to stdout and logs.
    std::optional<std::string> response;
    if (error.error_response != nullptr)
        response = aadcred::error_body_without_secrets(error.error_response);
    std::optional<rapidjson::Document> reply;
    if (response) reply = aadcred::json::try_parse(*response);

    const std::vector<long long> *recorded = aadcred::capi::recorded_error_codes(&error);
    std::vector<long long> parsed;
    if (recorded == nullptr) parsed = codes_from_response(reply ? &*reply : nullptr);
    const std::vector<long long> &codes = recorded != nullptr ? *recorded : parsed;

    std::string out = "{\"error\":";
    append_nullable(out, error.error);
    out += ",\"error_description\":";
    append_nullable(out, error.error_description);
    out += ",\"error_codes\":[";
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(codes[i]);
    }
    out += "],\"correlation_id\":";
    append_nullable(out, error.correlation_id);
    out += ",\"error_response\":";
    if (reply) {
        out += aadcred::json::to_string(*reply);
    } else {
        // Not JSON (a proxy's HTML page; a truncated token reply is only its size by now):
        // kept as a string so the caller still sees it, and the output stays valid JSON.
        append_nullable(out, response ? response->c_str() : nullptr);
    }
    out += ",\"message\":";
    append_nullable(out, error.message != nullptr ? error.message : "");
    out += '}';
    return out;
}

}  // namespace

extern "C" {

const char *aadcred_version(void) {
    return AADCRED_VERSION;
}

int aadcred_error_to_json(char **out, const aadcred_error *error) {
    // keep_error: callers pass aadcred_error_last() itself, which must survive the call.
    return firewall(
        [&] {
            require(out != nullptr, "aadcred_error_to_json", "out is NULL");
            require(error != nullptr, "aadcred_error_to_json", "error is NULL");
            *out = aadcred::capi::dup_string(error_json(*error));
            return 0;
        },
        true);
}

void aadcred_string_free(char *string) {
    if (string == nullptr) return;
    // Strings from *_to_json carry access and refresh tokens.
    OPENSSL_cleanse(string, std::strlen(string));
    std::free(string);
}

}  // extern "C"
