#pragma once
// ADAL's AuthenticationContext, name for name (SPEC §3), with the fixes SPEC lists:
// a wall-clock polling deadline, slow_down honoured, transient retries, instant cancel,
// timeouts on every request, no crash on any reply.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/authority.hpp"
#include "core/http_transport.hpp"
#include "core/token_cache_base.hpp"
#include "core/token_entry.hpp"
#include "core/user_code_info.hpp"

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
    /// Tests inject canned transports here; empty: libcurl.
    TransportFactory transport_factory;
    /// Tests inject a virtual clock for device code polling and cache expiry; null: the
    /// real clock.
    std::shared_ptr<PollClock> poll_clock;
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
    TokenEntry acquire_token_with_device_code(std::string_view resource,
                                              const UserCodeInfo &user_code_info,
                                              std::string_view client_id);

    /// ADAL's cancel_request_to_get_token_with_device_code; any thread; wakes the poller.
    /// Throws AdalError(invalid) with ADAL's texts when nothing is polling for that code.
    void cancel_request_to_get_token_with_device_code(const UserCodeInfo &user_code_info);

    /// ADAL's acquire_token: cache lookup (ADAL's rules), refresh when the entry expires
    /// within `expiry_buffer`. nullopt on a miss (ADAL returns None).
    std::optional<TokenEntry> acquire_token(std::string_view resource,
                                            std::string_view user_id,
                                            std::string_view client_id,
                                            std::chrono::seconds expiry_buffer = kExpiryBuffer);

    /// ADAL's acquire_token_with_refresh_token (not cached, as in ADAL).
    TokenEntry acquire_token_with_refresh_token(const SecretString &refresh_token,
                                                std::string_view client_id,
                                                std::string_view resource,
                                                const SecretString &client_secret = {});

    void set_correlation_id(std::string id) { correlation_id_ = std::move(id); }
    const std::string &correlation_id() const noexcept { return correlation_id_; }
    const Authority &authority() const noexcept { return authority_; }
    TokenCacheBase &cache() noexcept { return *options_.cache; }
    const ContextOptions &options() const noexcept { return options_; }

private:
    struct PollRegistration;
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

    Authority authority_;
    ContextOptions options_;
    std::string correlation_id_;
    std::mutex validate_mutex_;
    std::mutex polls_mutex_;
    std::map<std::string, std::shared_ptr<PollRegistration>> polls_;  // by device code
};

}  // namespace aadcred
