// The token endpoint's 2xx reply (AAD v1/v2, numbers as strings, id_token claims) and the
// cache entry it becomes: parse, write both JSON forms, read the compact one back.
#include <chrono>
#include <cstdlib>
#include <string>

#include "core/adal_error.hpp"
#include "core/oauth2/token_response.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    // A fixed clock: expiresOn must not depend on when the input runs.
    const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}};
    try {
        const aadcred::TokenEntry entry =
            aadcred::parse_token_response(aadcred::fuzz::as_text(data, size), now);
        (void)entry.to_python_json();
        (void)entry.expires_at();
        // What the Secret Service stores must read back as what was stored (a lone
        // surrogate escape, once written back as U+FFFD, is now refused when parsed).
        const std::string stored = entry.to_json();
        if (aadcred::TokenEntry::from_json(stored).to_json() != stored) std::abort();
    } catch (const aadcred::AdalError &error) {
        // A refused reply is the expected outcome for most inputs.
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
