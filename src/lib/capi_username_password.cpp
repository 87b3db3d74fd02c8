// aadcred_context_acquire_token_with_username_password: ADAL's username/password flow
// behind the C ABI (exception firewall in capi_common.hpp).

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

using aadcred::capi::firewall;
using aadcred::capi::require;

extern "C" {

int aadcred_context_acquire_token_with_username_password(aadcred_token **out,
                                                         aadcred_context *context,
                                                         const char *resource, const char *username,
                                                         const char *password,
                                                         const char *client_id) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_username_password";
        require(out != nullptr, fn, "out is NULL");
        require(context != nullptr && context->context != nullptr, fn, "context is NULL");
        require(resource != nullptr, fn, "resource is NULL");
        require(username != nullptr && *username != '\0', fn, "username is NULL or empty");
        require(password != nullptr, fn, "password is NULL");
        require(client_id != nullptr, fn, "client_id is NULL");
        const aadcred::SecretString secret{std::string_view(password)};
        aadcred::TokenEntry entry = context->context->acquire_token_with_username_password(
            resource, username, secret, client_id);
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

}  // extern "C"
