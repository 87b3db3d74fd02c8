// aadcred_token: read access to ADAL's token dict. The accessors point into the entry's
// own strings, so no secret is copied to hand it out.

#include <variant>

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

const char *entry_string(const aadcred_token *token, std::string_view key) noexcept {
    if (token == nullptr) return nullptr;
    try {
        const aadcred::EntryValue *value = token->entry.find(key);
        if (value == nullptr) return nullptr;
        const auto *text = std::get_if<aadcred::SecretString>(value);
        return text != nullptr ? text->c_str() : nullptr;
    } catch (...) {
        return nullptr;
    }
}

// The header promises a string for these. The engine refuses entries whose token is not
// a string (parse_token_response, TokenEntry::from_json); should one slip through all the
// same, a front end gets "" (the git helper says "no access token"), never NULL to crash on.
const char *never_null(const char *text) noexcept {
    return text != nullptr ? text : "";
}

}  // namespace

extern "C" {

const char *aadcred_token_access_token(const aadcred_token *token) {
    if (token == nullptr) return nullptr;
    return never_null(entry_string(token, aadcred::key::access_token));
}

const char *aadcred_token_refresh_token(const aadcred_token *token) {
    return entry_string(token, aadcred::key::refresh_token);
}

const char *aadcred_token_token_type(const aadcred_token *token) {
    return token != nullptr ? never_null(entry_string(token, aadcred::key::token_type)) : nullptr;
}

const char *aadcred_token_user_id(const aadcred_token *token) {
    return entry_string(token, aadcred::key::user_id);
}

const char *aadcred_token_resource(const aadcred_token *token) {
    return entry_string(token, aadcred::key::resource);
}

const char *aadcred_token_tenant_id(const aadcred_token *token) {
    return entry_string(token, aadcred::key::tenant_id);
}

const char *aadcred_token_expires_on(const aadcred_token *token) {
    // An entry ADAL built from a reply with expires_on but no expires_in keeps the int
    // epoch here; that is not text, so NULL (aadcred_token_expires_at still reads it).
    return entry_string(token, aadcred::key::expires_on);
}

int64_t aadcred_token_expires_at(const aadcred_token *token) {
    if (token == nullptr) return 0;
    try {
        return token->entry.expires_at().value_or(0);
    } catch (...) {
        return 0;
    }
}

const char *aadcred_token_id_token(const aadcred_token *token) {
    if (token == nullptr || token->entry.id_token().empty()) return nullptr;
    return token->entry.id_token().c_str();
}

int aadcred_token_to_json(char **out, const aadcred_token *token) {
    return firewall([&] {
        require(out != nullptr, "aadcred_token_to_json", "out is NULL");
        require(token != nullptr, "aadcred_token_to_json", "token is NULL");
        // The JSON holds the access and refresh tokens: wipe the intermediate copy.
        const aadcred::SecretString json(token->entry.to_json());
        *out = aadcred::capi::dup_string(json.reveal());
        return 0;
    });
}

void aadcred_token_free(aadcred_token *token) {
    aadcred::capi::free_handle(token);
}

}  // extern "C"
