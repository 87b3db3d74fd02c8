// aadcred_user_code: acquire_user_code's result, and its JSON both ways (SPEC §3: camelCase
// out; camelCase or ADAL for Python's snake_case in).

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

const char *text_or_null(const std::string &text) noexcept {
    return text.empty() ? nullptr : text.c_str();
}

int clamp_int(std::int64_t value) noexcept {
    if (value > INT32_MAX) return INT32_MAX;
    if (value < INT32_MIN) return INT32_MIN;
    return static_cast<int>(value);
}

}  // namespace

extern "C" {

const char *aadcred_user_code_user_code(const aadcred_user_code *code) {
    return code != nullptr ? code->info.user_code.c_str() : nullptr;
}

const char *aadcred_user_code_device_code(const aadcred_user_code *code) {
    return code != nullptr ? code->info.device_code.c_str() : nullptr;
}

const char *aadcred_user_code_verification_url(const aadcred_user_code *code) {
    return code != nullptr ? code->info.verification_url.c_str() : nullptr;
}

const char *aadcred_user_code_verification_url_complete(const aadcred_user_code *code) {
    return code != nullptr ? text_or_null(code->info.verification_url_complete) : nullptr;
}

const char *aadcred_user_code_message(const aadcred_user_code *code) {
    return code != nullptr ? code->info.message.c_str() : nullptr;
}

const char *aadcred_user_code_correlation_id(const aadcred_user_code *code) {
    return code != nullptr ? text_or_null(code->info.correlation_id) : nullptr;
}

int aadcred_user_code_expires_in(const aadcred_user_code *code) {
    return code != nullptr ? clamp_int(code->info.expires_in) : 0;
}

int aadcred_user_code_interval(const aadcred_user_code *code) {
    return code != nullptr ? clamp_int(code->info.interval) : 0;
}

int aadcred_user_code_to_json(char **out, const aadcred_user_code *code) {
    return firewall([&] {
        require(out != nullptr, "aadcred_user_code_to_json", "out is NULL");
        require(code != nullptr, "aadcred_user_code_to_json", "code is NULL");
        // The JSON carries the device code, which redeems the sign-in: wipe the copy.
        const aadcred::SecretString json(code->info.to_json());
        *out = aadcred::capi::dup_string(json.reveal());
        return 0;
    });
}

int aadcred_user_code_from_json(aadcred_user_code **out, const char *json) {
    return firewall([&] {
        require(out != nullptr, "aadcred_user_code_from_json", "out is NULL");
        require(json != nullptr, "aadcred_user_code_from_json", "json is NULL");
        *out = aadcred::capi::new_handle<aadcred_user_code>(aadcred::UserCodeInfo::from_json(json));
        return 0;
    });
}

void aadcred_user_code_free(aadcred_user_code *code) {
    aadcred::capi::free_handle(code);
}

}  // extern "C"
