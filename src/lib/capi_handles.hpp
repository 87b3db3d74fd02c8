#pragma once
// The opaque handles of aadcred.h: each wraps one engine object. Their destructors wipe
// secrets because the engine keeps tokens and device codes in SecretString.

#include <aadcred/aadcred.h>

#include <memory>
#include <mutex>
#include <string>

#include "core/adal/authentication_context.hpp"
#include "core/adal/token_cache.hpp"
#include "core/oauth2/token_entry.hpp"
#include "core/oauth2/user_code_info.hpp"
#include "provider/credential_provider.hpp"

struct aadcred_token {
    aadcred::TokenEntry entry;
};

struct aadcred_user_code {
    aadcred::UserCodeInfo info;
};

struct aadcred_token_cache {
    // Shared with every context made with it, so freeing the handle first cannot leave a
    // context with a dangling cache (the header still asks callers not to).
    std::shared_ptr<aadcred::TokenCache> cache;
};

struct aadcred_context {
    std::unique_ptr<aadcred::AuthenticationContext> context;
};

struct aadcred_provider {
    std::unique_ptr<aadcred::CredentialProvider> provider;
    aadcred_prompt_cb prompt = nullptr;
    void *prompt_payload = nullptr;
    // The resolved store name; set once, then never changes, so the pointer that
    // aadcred_provider_store_name hands out stays valid while the provider lives.
    mutable std::mutex store_name_mutex;
    mutable std::string store_name;
};

namespace aadcred::capi {

/// Moves an engine object into a new handle for the caller. Throws bad_alloc.
template <typename Handle, typename Value>
Handle *new_handle(Value &&value) {
    return std::make_unique<Handle>(Handle{std::forward<Value>(value)}).release();
}

/// Releases a handle made by new_handle; NULL-safe.
template <typename Handle>
void free_handle(Handle *handle) noexcept {
    std::unique_ptr<Handle> owned(handle);
}

}  // namespace aadcred::capi
