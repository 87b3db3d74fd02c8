#pragma once
// CredentialProvider::get(request, prompter): cache hit → silent refresh → device code
// flow → store (SPEC §2), serialised across processes by one lock file per authority and
// client (account_lock.hpp: it covers every refresh token that client may use); the store
// is re-read after the lock is taken, so when two processes race, the second finds the
// first one's refreshed token and makes no request.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cache/store.hpp"
#include "core/adal/authentication_context.hpp"
#include "util/log.hpp"

namespace aadcred {

/// How a sign-in that is needed happens (issue 11): the device code, the browser (auth
/// code + PKCE on a loopback redirect), or the browser when one can be started here and
/// the device code otherwise. A device code the authority's policy refuses falls back to
/// the browser once, when one can be started (sign_in.cpp).
enum class SignInFlow { device, browser, automatic };

struct CredentialRequest {
    std::string authority;
    std::string client_id;
    std::string resource;  ///< v1 resource, or v2/oidc scopes (space-separated)
    std::string user_id;   ///< empty: the only cached account, never a guess
    ApiKind api = ApiKind::v1;
    std::string ca_file;
    std::string proxy;  ///< empty: curl's environment default
    bool validate_authority = true;
    std::chrono::seconds timeout{30};
    StoreOptions store;
    bool allow_prompt = true;
    std::chrono::seconds min_validity{300};
    /// Tests inject canned transports; empty: libcurl.
    TransportFactory transport_factory;
    SignInFlow flow = SignInFlow::device;
    /// A resource's claims challenge (JSON or base64 of it); empty: none. Set, the cached
    /// access token is not used: the refresh or new sign-in asks for these claims with
    /// client capability cp1 (core/oauth2/claims.hpp).
    std::string claims;
    /// May a warm get() answer from the hot cache (cache/hot_cache.hpp) without opening
    /// the store? The token it returns then has no refresh token. Used only with a
    /// Secret Service store ("auto" or "secret-service") and no claims challenge.
    bool hot_cache = false;
};

/// Shows a device code. Return false to cancel.
class Prompter {
  public:
    virtual ~Prompter() = default;
    virtual bool show(const UserCodeInfo &code) = 0;
    virtual void done(const UserCodeInfo &code) = 0;
    /// The sign-in goes on in the browser; `note` says why when it is not the person's
    /// choice (the device code was refused by a policy), else it is empty. Return false
    /// to cancel.
    virtual bool browser(const std::string &note) {
        (void)note;
        return true;
    }
};

class CredentialProvider {
  public:
    explicit CredentialProvider(CredentialRequest request);
    ~CredentialProvider();

    /// Throws AdalError: interaction_required when a sign-in is needed and not allowed,
    /// cancelled, network, store, server...
    TokenEntry get(Prompter *prompter);
    /// Cancels a running get() from another thread.
    void cancel();
    /// git erase: drops the cached access token if it equals `access_token`.
    void forget_access_token(const SecretString &access_token);
    /// Removes one user's tokens (user_id) or every aadcred token (all); returns how many.
    int logout(std::string_view user_id, bool all);
    /// Every entry of the store (callers show only non-secret fields).
    std::vector<TokenEntry> list();
    /// The resolved store name, empty before the store was opened.
    std::string store_name() const;

    // --- Store hand-off (issue 3): tokens and caches obtained outside get() ---
    /// Saves a token obtained elsewhere (e.g. acquire_token_with_device_code) into the
    /// store, under this request's account lock. Throws AdalError(invalid) for an entry
    /// without accessToken, _authority or _clientId.
    void store_token(const TokenEntry &token);
    /// Every entry of the store as ADAL's TokenCache.serialize() JSON.
    SecretString export_json();
    /// Adds (or replaces by key) every entry of an ADAL TokenCache JSON in the store; the
    /// whole document is checked before anything is saved. Returns how many were saved.
    int import_json(std::string_view adal_cache_json);

  private:
    Store &store();
    /// The sign-in request_.flow asks for (sign_in.cpp), with the fallback to the browser.
    TokenEntry run_sign_in(AuthenticationContext &context, Prompter &prompter, const Logger &log);
    /// acquire_user_code → prompter → acquire_token_with_device_code, cancellable.
    TokenEntry run_device_flow(AuthenticationContext &context, Prompter &prompter);
    /// prompter.browser(note) → acquire_token_with_browser, cancellable.
    TokenEntry run_browser_flow(AuthenticationContext &context, Prompter &prompter,
                                const std::string &note);

    CredentialRequest request_;
    std::unique_ptr<Store> store_;
    std::mutex mutex_;
    std::atomic<bool> cancelled_{false};
    AuthenticationContext *running_context_ = nullptr;  // guarded by mutex_
    std::optional<UserCodeInfo> running_code_;          // guarded by mutex_
};

}  // namespace aadcred
