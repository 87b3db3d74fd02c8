#pragma once
// The host-wide cache of each authority's issuer metadata (OpenID Connect discovery) and
// JWK Set, in a directory every login process on the host shares (pam_aadcred keeps it in
// /var/cache/aadcred/keys), so a warm host's sign-in asks the authority only for the
// device code and the token. JwksCache (issuer_keys.hpp) lives as long as one process; sshd
// starts a process per login, so only a file outlives a login.
//
// One file per authority, named by the SHA-256 of its URL and protocol, holding both
// documents, when they were fetched and for how long they hold (the JWK Set reply's
// Cache-Control max-age, bounded to [5 min, 24 h]; 24 h without one: Azure AD rolls its
// keys over rarely and publishes the next key weeks ahead). A token naming a key the
// cached set lacks makes one refetch of the JWK Set, at most once every kMinRefresh per
// authority, whichever process asks: a real rollover is picked up at once, a stream of
// tokens with made-up kids costs the authority one request per five minutes.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/identity/issuer_keys.hpp"
#include "core/identity/key_cache_dir.hpp"
#include "core/oauth2/authority.hpp"

namespace aadcred {

class HttpTransport;
class Logger;

inline constexpr std::chrono::seconds kKeyCacheDefaultLifetime = std::chrono::hours(24);
inline constexpr std::chrono::seconds kKeyCacheMinLifetime = std::chrono::minutes(5);
inline constexpr std::chrono::seconds kKeyCacheMaxLifetime = std::chrono::hours(24);

/// Cache-Control's max-age (RFC 9111 §5.2.2.1) in seconds; nullopt when there is none or
/// it is malformed. no-store and no-cache are for HTTP caches of responses, not for an
/// OpenID client's key set, which OIDC Core §10.1.1 expects to be cached.
std::optional<std::chrono::seconds> cache_control_max_age(std::string_view header);

/// One authority's documents, as a cache file holds them.
struct CachedKeys {
    std::string authority;  ///< URL and protocol: a file for another authority is ignored
    IssuerMetadata metadata;
    std::string jwks;  ///< the JWK Set as the authority sent it, parsed again on reading
    std::shared_ptr<const KeySet> keys;
    std::chrono::system_clock::time_point fetched{};
    std::chrono::seconds lifetime{kKeyCacheDefaultLifetime};
    /// The last refetch for an unknown kid (the epoch: none yet).
    std::chrono::system_clock::time_point key_refresh{};
};

/// The file's text (JSON) and back; parse_cached_keys gives nullopt for anything
/// unusable (bad JSON, a missing member, a JWK Set parse_jwks refuses).
std::string serialize_cached_keys(const CachedKeys &entry);
std::optional<CachedKeys> parse_cached_keys(std::string_view text);

/// The file name of an authority's entry: "<sha256 hex of its id>.json".
std::string key_cache_file_name(const Authority &authority);

/// The host cache for the calls of one verification (or a few): it reads the directory's
/// file for the authority, fetches what is missing or stale, and writes back what it
/// fetched. Not thread-safe; make one per verification.
class HostKeyCache final : public IssuerKeySource {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    static constexpr std::chrono::minutes kMinRefresh{5};

    /// @param clock null for the system clock (tests pass a fake one)
    explicit HostKeyCache(KeyCacheDir dir, Clock clock = {});

    /// IssuerKeySource's two calls, answered from the file while it holds, else fetched.
    IssuerMetadata metadata(HttpTransport &transport, const Authority &authority,
                            const Logger &log) override;
    std::shared_ptr<const SigningKey> find_key(HttpTransport &transport, const Authority &authority,
                                               const Logger &log, std::string_view kid,
                                               std::string_view x5t) override;

  private:
    void load_or_fetch(HttpTransport &transport, const Authority &authority, const Logger &log);
    bool usable(const CachedKeys &entry, const std::string &id) const;
    void store(const Authority &authority, const Logger &log) const;
    std::chrono::system_clock::time_point now() const;

    KeyCacheDir dir_;
    Clock clock_;
    std::optional<CachedKeys> entry_;
    bool fetched_here_ = false;  ///< entry_ came from the network in this object's life
};

}  // namespace aadcred
