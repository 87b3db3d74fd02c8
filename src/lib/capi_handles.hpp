#pragma once
// The opaque handles of aadcred.h: each wraps one engine object. Their destructors wipe
// secrets because the engine keeps tokens and device codes in SecretString.

#include <aadcred/aadcred.h>

#include <atomic>
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
    /// aadcred_context_cancel_browser_sign_in counts up; a browser sign-in ends when the
    /// count differs from the one it started with. Behind a pointer: handles move.
    std::unique_ptr<std::atomic<unsigned>> browser_cancels =
        std::make_unique<std::atomic<unsigned>>(0);
};

struct aadcred_provider {
    std::unique_ptr<aadcred::CredentialProvider> provider;
    /// Whether the request named an authority and a client id: list, logout and the cache
    /// export and import work without (they go through every entry of the store); the
    /// calls that act for one account check these (issue 11).
    bool has_authority = false;
    bool has_client_id = false;
    aadcred_prompt_cb prompt = nullptr;
    void *prompt_payload = nullptr;
    // The resolved store name; set once, then never changes, so the pointer that
    // aadcred_provider_store_name hands out stays valid while the provider lives.
    mutable std::mutex store_name_mutex;
    mutable std::string store_name;
    /// The note of the last AADCRED_PROMPT_BROWSER (aadcred_provider_sign_in_note).
    std::string sign_in_note;
};

namespace aadcred::capi {

/// Moves an engine object into a new handle for the caller. Throws bad_alloc.
template <typename Handle, typename Value>
Handle *new_handle(Value &&value) {
    return std::make_unique<Handle>(Handle{std::forward<Value>(value)}).release();
}

/// The engine context behind a C handle; AdalError(invalid) naming `function` for NULL.
aadcred::AuthenticationContext &context_of(aadcred_context *context, const char *function);

/// Releases a handle made by new_handle; NULL-safe.
template <typename Handle>
void free_handle(Handle *handle) noexcept {
    std::unique_ptr<Handle> owned(handle);
}

}  // namespace aadcred::capi
