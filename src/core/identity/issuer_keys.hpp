#pragma once
// An authority's token signing keys and the issuer its id_tokens name, found through
// OpenID Connect Discovery 1.0 (`issuer`, `jwks_uri`) or, for Azure AD authorities
// without a discovery document, AAD's own keys endpoint. JwksCache keeps them for as long
// as its owner lives: the caller decides the lifetime (a PAM module keeps one per
// sign-in, an application one per process), never a static.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/jose/jwk_set.hpp"
#include "core/oauth2/authority.hpp"

namespace aadcred {

class HttpTransport;
class Logger;

/// Where the keys are and which `iss` the authority's id_tokens carry.
struct IssuerMetadata {
    /// The expected iss; may hold "{tenantid}" (AAD's common/organizations documents),
    /// to be replaced by the token's own `tid`.
    std::string issuer;
    std::string jwks_uri;
};

/// The discovery document's URL: `<authority>/.well-known/openid-configuration`, with
/// `/v2.0` before it for AAD v2 (AAD serves v1 and v2 issuers at different places).
std::string openid_configuration_url(const Authority &authority);

/// What AAD promises when no discovery document is served: v1 keys at
/// /discovery/keys and iss `https://sts.windows.net/{tenantid}/`; v2 keys at
/// /discovery/v2.0/keys and iss `https://<host>/{tenantid}/v2.0`. Empty for oidc.
IssuerMetadata aad_default_metadata(const Authority &authority);

/// Fetches the discovery document; falls back to aad_default_metadata() when an AAD
/// authority answers 4xx. Throws AdalError: network when unreachable, protocol or
/// server when the reply is unusable.
IssuerMetadata fetch_issuer_metadata(HttpTransport &transport, const Authority &authority,
                                     const Logger &log);

/// GETs and parses the JWK Set at `uri`.
KeySet fetch_jwks(HttpTransport &transport, const std::string &uri, const Logger &log);

/// Where a verifier gets an authority's issuer and signing keys: the per-process
/// JwksCache below or the host-wide HostKeyCache (key_cache.hpp), chosen by the caller.
class IssuerKeySource {
  public:
    virtual ~IssuerKeySource() = default;

    /// The issuer metadata of `authority` (fetched when not cached for it yet).
    virtual IssuerMetadata metadata(HttpTransport &transport, const Authority &authority,
                                    const Logger &log) = 0;

    /// The key for a token header's kid/x5t, or null when the authority has none.
    virtual std::shared_ptr<const SigningKey> find_key(HttpTransport &transport,
                                                       const Authority &authority,
                                                       const Logger &log, std::string_view kid,
                                                       std::string_view x5t) = 0;
};

/// The issuer metadata and keys of one authority, fetched on first use and again when
/// older than kMaxAge, or when a token names an unknown key (AAD rolls keys over) but
/// at most once per kMinRefresh, so forged kids cannot make us hammer the authority.
/// Thread-safe; keys handed out stay valid after a refresh replaces the set.
class JwksCache final : public IssuerKeySource {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    static constexpr std::chrono::hours kMaxAge{24};
    static constexpr std::chrono::minutes kMinRefresh{5};

    /// @param clock null for the system clock (tests pass a fake one)
    explicit JwksCache(Clock clock = {});

    IssuerMetadata metadata(HttpTransport &transport, const Authority &authority,
                            const Logger &log) override;
    std::shared_ptr<const SigningKey> find_key(HttpTransport &transport, const Authority &authority,
                                               const Logger &log, std::string_view kid,
                                               std::string_view x5t) override;

  private:
    struct Entry {
        std::string authority;  ///< url and api the entry was fetched for
        IssuerMetadata metadata;
        std::shared_ptr<const KeySet> keys;
        std::chrono::system_clock::time_point fetched{};
    };
    /// Fetches when the entry is for another authority, empty or too old, or `force`d and
    /// older than kMinRefresh. Called with mutex_ held.
    void refresh(HttpTransport &transport, const Authority &authority, const Logger &log,
                 bool force);
    std::chrono::system_clock::time_point now() const;

    Clock clock_;
    std::mutex mutex_;
    Entry entry_;
};

}  // namespace aadcred
