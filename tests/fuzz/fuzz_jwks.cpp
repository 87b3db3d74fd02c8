// The authority's signing keys (RFC 7517 JWK Set: base64url n/e, RSA limits) and its
// OpenID Connect discovery document (issuer, jwks_uri), as the engine fetches them.
// The first byte picks the parser, the authority kind and the HTTP status.
#include <cstdlib>

#include "core/adal_error.hpp"
#include "core/identity/issuer_keys.hpp"
#include "core/oauth2/authority.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view body = aadcred::fuzz::as_text(data + 1, size - 1);
    const aadcred::Logger log("JwksCache", "fuzz-correlation");
    try {
        if ((mode & 1) == 0) {
            const aadcred::KeySet keys = aadcred::parse_jwks(body);
            for (const aadcred::SigningKey &key : keys.keys) {
                // A key naming neither kid nor x5t can never be picked; any other can.
                if ((!key.kid.empty() || !key.x5t.empty()) &&
                    keys.find(key.kid, key.x5t) == nullptr) {
                    std::abort();
                }
            }
            return 0;
        }
        static constexpr aadcred::ApiKind kApis[] = {aadcred::ApiKind::v1, aadcred::ApiKind::v2,
                                                     aadcred::ApiKind::oidc, aadcred::ApiKind::v2};
        const aadcred::Authority authority(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com", false,
            kApis[(mode >> 1) & 3]);
        aadcred::fuzz::CannedTransport transport(aadcred::fuzz::status_for(mode >> 3), body);
        if (mode & 0x80) {
            (void)aadcred::fetch_jwks(transport, "https://login.microsoftonline.com/keys", log);
        } else {
            (void)aadcred::fetch_issuer_metadata(transport, authority, log);
        }
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
