// Authority URLs with ADAL's rules (https only, no query, a tenant path, ADFS) and the
// endpoints derived from them. The first byte picks the API and validation.
#include <cstdlib>

#include "core/adal_error.hpp"
#include "core/identity/issuer_keys.hpp"
#include "core/oauth2/authority.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr aadcred::ApiKind kApis[] = {aadcred::ApiKind::v1, aadcred::ApiKind::v2,
                                                 aadcred::ApiKind::oidc, aadcred::ApiKind::v1};
    const std::string_view url = aadcred::fuzz::as_text(data + 1, size - 1);
    try {
        const aadcred::Authority authority(url, (data[0] & 4) != 0, kApis[data[0] & 3]);
        if (authority.host().empty() || authority.url().empty()) std::abort();
        (void)aadcred::openid_configuration_url(authority);
        (void)aadcred::aad_default_metadata(authority);
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
