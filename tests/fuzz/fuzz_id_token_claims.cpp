// ADAL's id_token reading (no verification): header.payload.signature, the payload's
// base64url JSON turned into tenantId, givenName, userId and friends.
#include "core/adal_error.hpp"
#include "core/oauth2/token_entry.hpp"
#include "core/oauth2/token_response.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    aadcred::TokenEntry entry;
    entry.set_string("accessToken", "at");
    try {
        aadcred::add_id_token_claims(entry, aadcred::fuzz::as_text(data, size));
        (void)entry.to_python_json();
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
