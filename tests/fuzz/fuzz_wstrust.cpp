// The federated sign-in's documents (ADAL's username/password flow against ADFS): the
// WS-MetadataExchange document, the WS-Trust RequestSecurityTokenResponse (1.3 and
// 2005), and the user realm JSON that points at them. The first byte picks the parser.
// libxml2 parses hostile XML here: no DTD, no entities, no network (xml_document.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/adal_error.hpp"
#include "core/oauth2/user_realm.hpp"
#include "core/wstrust/mex.hpp"
#include "core/wstrust/wstrust_response.hpp"
#include "fuzz_core.hpp"

namespace {

void check_mex(std::string_view document, const aadcred::Logger &log) {
    const aadcred::MexPolicy policy = aadcred::parse_mex(document, log);
    // Only an https WS-Trust 1.3 or 2005 endpoint is ever chosen.
    if (policy.version == aadcred::WsTrustVersion::undefined) std::abort();
    if (!policy.url.starts_with("https://")) std::abort();
}

void check_rstr(std::string_view body, aadcred::WsTrustVersion version,
                const aadcred::Logger &log) {
    const aadcred::WsTrustToken token = aadcred::parse_rstr(body, version, log);
    // The token is cut out of the body as it was sent (its signature covers those bytes).
    if (body.find(token.token.reveal()) == std::string_view::npos) std::abort();
    try {
        (void)aadcred::saml_grant_type(token.token_type);
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    if (size == 0) return 0;
    const std::string_view body = aadcred::fuzz::as_text(data + 1, size - 1);
    const aadcred::Logger log("WSTrust", "fuzz-correlation");
    try {
        switch (data[0] % 5) {
            case 0:
                check_mex(body, log);
                break;
            case 1:
                check_rstr(body, aadcred::WsTrustVersion::v13, log);
                break;
            case 2:
                check_rstr(body, aadcred::WsTrustVersion::v2005, log);
                break;
            case 3:
                (void)aadcred::parse_user_realm(body);
                break;
            default:
                (void)aadcred::wstrust_version_from_url(body);
                (void)aadcred::raw_element_content(body, "Assertion");
                (void)aadcred::user_realm_url("https://login.microsoftonline.com/common", body);
                break;
        }
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
