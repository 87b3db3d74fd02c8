// ADAL's cache JSON (TokenCache.deserialize: a JSON array of entry objects) as found in
// the Secret Service or an exported file, and one entry on its own
// (TokenEntry::from_json, the Secret Service secret). What is read must write out and
// read back the same. The first byte picks the parser.
#include <cstdlib>
#include <string>

#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/oauth2/token_entry.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    if (size == 0) return 0;
    const std::string_view text = aadcred::fuzz::as_text(data + 1, size - 1);
    try {
        if (data[0] & 1) {
            const aadcred::TokenEntry entry = aadcred::TokenEntry::from_json(text);
            (void)entry.expires_at();
            (void)entry.to_python_json();
            // As in fuzz_token_response: compared as the text that is stored.
            const std::string stored = entry.to_json();
            if (aadcred::TokenEntry::from_json(stored).to_json() != stored) std::abort();
            return 0;
        }
        aadcred::TokenCache cache;
        cache.deserialize(text);
        const std::string state = cache.serialize();
        aadcred::TokenCache again(state);
        if (again.size() != cache.size() || again.serialize() != state) std::abort();
        for (const aadcred::TokenEntry &entry : cache.read_items()) (void)entry.expires_at();
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
