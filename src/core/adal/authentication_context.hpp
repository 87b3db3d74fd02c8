#pragma once
// ADAL's AuthenticationContext, name for name (SPEC §3), with the fixes SPEC lists:
// a wall-clock polling deadline, slow_down honoured, transient retries, instant cancel,
// timeouts on every request, no crash on any reply.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/adal/cache_driver.hpp"
#include "core/adal/token_cache_base.hpp"
#include "core/http/http_transport.hpp"
#include "core/oauth2/authority.hpp"
#include "core/oauth2/token_entry.hpp"
#include "core/oauth2/user_code_info.hpp"

namespace aadcred {

class PollClock;

struct ContextOptions {
    bool validate_authority = true;
    /// Shared with other contexts when the caller passes the same cache; null: private.
    std::shared_ptr<TokenCacheBase> cache;
    std::string api_version;  ///< ADAL's api_version; empty: none on the wire
    std::chrono::seconds timeout{30};
    bool enable_pii = false;
    std::string ca_file;
    std::string proxy;
    ApiKind api = ApiKind::v1;
    /// Who answers instance discovery (Authority::set_instance_discovery); empty: the default.
    std::string instance_discovery;
    /// Tests inject canned transports here; empty: libcurl.
    TransportFactory transport_factory;
    /// Tests inject a virtual clock for device code polling and cache expiry; null: the
    /// real clock.
    std::shared_ptr<PollClock> poll_clock;
    /// The `claims` parameter (claims_with_client_capability(): a resource's claims
    /// challenge, client capability cp1 declared) sent with the device code request, every
    /// token request and the browser's authorization request; empty: none. A context with
    /// claims never answers acquire_token() from a cached access token: it refreshes, so
    /// the new token carries them.
    std::string claims;
};

/// How acquire_token_with_browser reaches the person and when it gives up.
struct BrowserSignIn {
    /// Opens `url` (the authorization request) in a browser; false when none could be
    /// started. Required.
    std::function<bool(const std::string &url)> open;
    /// How long the person has to sign in, from the moment the browser is opened.
    std::chrono::seconds timeout{300};
    /// Asked at least every 100 ms while waiting; true ends the sign-in (cancelled).
    std::function<bool()> cancelled;
    /// Sent as login_hint when not empty (the account to preselect).
    std::string login_hint;
};

/// ADAL's CLOCK_BUFFER: a cached token expiring within this is refreshed first.
inline constexpr std::chrono::seconds kExpiryBuffer{300};

class AuthenticationContext {
  public:
    /// Parses the authority now (ADAL raises ValueError here); throws AdalError(invalid).
    AuthenticationContext(std::string_view authority, ContextOptions options = {});
    ~AuthenticationContext();
    AuthenticationContext(const AuthenticationContext &) = delete;
    AuthenticationContext &operator=(const AuthenticationContext &) = delete;

    /// ADAL's acquire_user_code. For v2/oidc, `resource` holds the space-separated scopes.
    UserCodeInfo acquire_user_code(std::string_view resource, std::string_view client_id,
                                   std::string_view language = {});

    /// ADAL's acquire_token_with_device_code: polls until success, a terminal error, the
    /// deadline (expires_in) or cancel. Adds the token to the cache and returns it.
    /// `deadline`: wall-clock seconds since the epoch at which polling stops even if the
    /// code lives on (the earlier of the two wins); 0: the code's own expiry.
    TokenEntry acquire_token_with_device_code(std::string_view resource,
                                              const UserCodeInfo &user_code_info,
                                              std::string_view client_id,
                                              std::int64_t deadline = 0);

    /// ADAL's cancel_request_to_get_token_with_device_code; any thread; wakes the poller.
    /// Throws AdalError(invalid) with ADAL's texts when nothing is polling for that code.
    void cancel_request_to_get_token_with_device_code(const UserCodeInfo &user_code_info);

    /// ADAL's acquire_token: cache lookup (ADAL's rules), refresh when the entry expires
    /// within `expiry_buffer`. nullopt on a miss (ADAL returns None).
    std::optional<TokenEntry> acquire_token(std::string_view resource, std::string_view user_id,
                                            std::string_view client_id,
                                            std::chrono::seconds expiry_buffer = kExpiryBuffer);

    /// ADAL's acquire_token_with_refresh_token (not cached, as in ADAL).
    TokenEntry acquire_token_with_refresh_token(const SecretString &refresh_token,
                                                std::string_view client_id,
                                                std::string_view resource,
                                                const SecretString &client_secret = {});

    // --- Confidential-client and authorization code flows (issue 3) -------------------
    // Implemented in confidential_flows.cpp; bodies in flow_requests.hpp (reference §2.3).

    /// ADAL's acquire_token_with_client_credentials: the cache first (by client id only,
    /// reference §5.2; a cache error is logged and the flow goes on), then the client
    /// credentials grant with the secret. The token is cached.
    TokenEntry acquire_token_with_client_credentials(std::string_view resource,
                                                     std::string_view client_id,
                                                     const SecretString &client_secret);

    /// ADAL's acquire_token_with_client_certificate: builds the RS256 client assertion
    /// (self_signed_jwt.hpp, aud = the token endpoint), then the cache, then the grant.
    /// Not cached, as in ADAL. Throws ADAL's texts for a bad key or thumbprint.
    TokenEntry acquire_token_with_client_certificate(std::string_view resource,
                                                     std::string_view client_id,
                                                     const SecretString &certificate_pem,
                                                     std::string_view thumbprint,
                                                     std::string_view public_certificate_pem = {});

    /// ADAL's acquire_token_with_authorization_code (with PKCE's code_verifier). No
    /// cache lookup; the token is cached. Empty secret/verifier: not sent.
    TokenEntry acquire_token_with_authorization_code(const SecretString &authorization_code,
                                                     std::string_view redirect_uri,
                                                     std::string_view resource,
                                                     std::string_view client_id,
                                                     const SecretString &client_secret = {},
                                                     const SecretString &code_verifier = {});
    // --- end of confidential-client and authorization code flows ----------------------

    /// The browser sign-in of a native app (RFC 8252; browser_flow.cpp): an
    /// authorization request with PKCE (S256) and a random state, opened through
    /// `how.open`, brought back to a loopback redirect on 127.0.0.1, the state checked,
    /// the code redeemed with the verifier on this call's transport. The token is cached.
    /// Throws AdalError: interaction_required when no browser could be opened, server
    /// with the authority's error (access_denied, AADSTS codes) when the sign-in failed
    /// in the browser, protocol for a redirect with another state or without a code,
    /// timeout after `how.timeout`, cancelled, invalid when the authority has no
    /// authorization endpoint; and what the token request throws.
    TokenEntry acquire_token_with_browser(std::string_view resource, std::string_view client_id,
                                          const BrowserSignIn &how);

    // --- Username/password flow (issue 3) ------------------------------------------------
    // Implemented at the end of authentication_context.cpp; the network part is
    // username_password_flow.hpp (reference §2.3, §2.5).

    /// ADAL's acquire_token_with_username_password: the cache first (userId = username;
    /// a cache error is logged and the flow goes on), then, for an ADFS authority, the
    /// password grant; otherwise user realm discovery and the password grant (managed) or
    /// MEX + WS-Trust 1.3/2005 + SAML bearer grant (federated). The token is cached.
    TokenEntry acquire_token_with_username_password(std::string_view resource,
                                                    std::string_view username,
                                                    const SecretString &password,
                                                    std::string_view client_id);
    // --- end of username/password flow ---------------------------------------------------

    void set_correlation_id(std::string id) { correlation_id_ = std::move(id); }
    const std::string &correlation_id() const noexcept { return correlation_id_; }
    const Authority &authority() const noexcept { return authority_; }
    TokenCacheBase &cache() noexcept { return *options_.cache; }
    const ContextOptions &options() const noexcept { return options_; }

  private:
    struct PollRegistration;
    struct Call;  // flow_call.hpp
    /// Opens one flow call (flow_call.hpp): correlation id (`preferred`, else the
    /// context's, else a new one), a transport, the validated authority, the token URL.
    /// @param component the flow's log component ("TokenRequest", "CodeRequest")
    Call open_call(std::string_view component, std::string_view preferred_correlation_id = {});
    /// ADAL's refresh_function inside `call`: redeems a cached refresh token for the
    /// cache driver, never with a client secret.
    /// @param refusal_level the log level of a refused refresh (OAuth2Client::get_token)
    CacheDriver::Refresh refresh_within(Call &call, std::string_view client_id,
                                        std::string_view resource,
                                        LogLevel refusal_level = LogLevel::error) const;
    /// The authorization code grant inside `call`; the token is cached.
    TokenEntry redeem_authorization_code(Call &call, const SecretString &authorization_code,
                                         std::string_view redirect_uri, std::string_view resource,
                                         std::string_view client_id,
                                         const SecretString &client_secret,
                                         const SecretString &code_verifier);
    std::unique_ptr<HttpTransport> new_transport() const;
    /// `preferred`, else the context's correlation id, else a new uuid4.
    std::string call_correlation_id(std::string_view preferred = {}) const;
    /// Validates the authority once (under validate_mutex_) and returns its endpoints.
    Endpoints validated_endpoints(HttpTransport &transport, const std::string &correlation_id);
    std::string token_url(const Endpoints &endpoints) const;
    /// The refresh grant body: ADAL's order, resource= for v1, scope= for v2/oidc.
    SecretString refresh_body(const SecretString &refresh_token, std::string_view client_id,
                              std::string_view resource, const SecretString &client_secret) const;
    PollClock &poll_clock() const;
    /// ADAL's CacheDriver over this context's cache, authority and clock; `refresh`
    /// redeems a cached refresh token when the driver needs one.
    CacheDriver cache_driver(std::string_view resource, std::string_view client_id,
                             const std::string &correlation_id, CacheDriver::Refresh refresh);

    Authority authority_;
    ContextOptions options_;
    std::string correlation_id_;
    std::mutex validate_mutex_;
    std::mutex polls_mutex_;
    std::map<std::string, std::shared_ptr<PollRegistration>> polls_;  // by device code
};

}  // namespace aadcred
