#pragma once
// Verifies an OpenID Connect id_token (a JWS, RFC 7515, in compact form) before anyone
// trusts who it names: RS256 only, the signature by the authority's key of its `kid`,
// then OpenID Connect Core 1.0 §3.1.3.7's checks — `iss`, `aud`/`azp`, `exp`, `nbf` with
// a clock skew — plus Azure AD's `tid` (tenant) rules. id_token.cpp only *reads* claims,
// as ADAL does; this is what PAM and any caller that grants access must use instead.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/jose/jwk_set.hpp"

namespace aadcred {

/// Largest id_token accepted (AAD's are 1–3 KiB; group overage keeps them small).
inline constexpr std::size_t kMaxIdTokenBytes = 64 << 10;

struct IdentityPolicy {
    /// The `aud` the token must carry: the application's client id.
    std::string client_id;
    /// The `iss` the token must carry; "{tenantid}" in it is replaced by the token's tid.
    std::string issuer;
    /// Tenant ids (`tid`) accepted; empty accepts any the issuer check lets through.
    std::vector<std::string> allowed_tenants;
    /// When non-empty and a GUID, the token's tid must equal it (a tenant-specific
    /// authority); names such as "common", "organizations" or domains bind nothing here.
    std::string authority_tenant;
    /// Azure AD tokens always name their tenant; generic OIDC providers do not.
    bool require_tid = true;
    /// Allowed difference between our clock and the authority's (SPEC §6: 5 minutes).
    std::chrono::seconds clock_skew{300};
};

/// The claims of a verified token.
struct VerifiedIdToken {
    /// Claims whose values are strings, integers or booleans, as text, in token order.
    /// A string holding a control character (C0, DEL or C1; a NUL above all) is not here.
    std::vector<std::pair<std::string, std::string>> claims;
    /// Names of the string claims refused for holding control characters.
    std::vector<std::string> refused_claims;
    /// The verified claims set as the authority sent it (JSON).
    std::string payload;

    /// The claim's text, or null when absent, refused, or not a string, integer or boolean.
    const std::string *claim(std::string_view name) const noexcept;
    /// True when the token has claim `name` but it was refused (control characters).
    bool refused(std::string_view name) const noexcept;
};

/// Finds the key a token header names; null when the authority has no such key.
using KeyLookup =
    std::function<std::shared_ptr<const SigningKey>(std::string_view kid, std::string_view x5t)>;

class IdTokenVerifier {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// @param clock null for the system clock
    explicit IdTokenVerifier(IdentityPolicy policy, Clock clock = {});

    /// Verifies `id_token` and returns its claims. Throws AdalError(protocol) with
    /// "The id_token was rejected: <why>" for any token that fails a check; errors of
    /// `keys` (a network failure fetching them) pass through unchanged.
    VerifiedIdToken verify(std::string_view id_token, const KeyLookup &keys) const;

  private:
    IdentityPolicy policy_;
    Clock clock_;
};

}  // namespace aadcred
