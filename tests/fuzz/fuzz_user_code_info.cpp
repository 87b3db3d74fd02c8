// The device code endpoint's reply, two ways: OAuth2Client::get_user_code_info over a
// canned transport (ADAL's "wire_response is missing ..." checks), and
// UserCodeInfo::from_json (the CLI's --user-code-info input, camelCase or snake_case),
// whose output must read back. The first byte picks the way and the HTTP status.
#include <chrono>
#include <cstdlib>
#include <string>

#include "core/adal_error.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "core/oauth2/user_code_info.hpp"
#include "fuzz_core.hpp"

namespace {

void check_round_trip(const aadcred::UserCodeInfo &info) {
    // Compared as the text the CLI prints and reads back (--user-code-info).
    const std::string printed = info.to_json();
    if (aadcred::UserCodeInfo::from_json(printed).to_json() != printed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    aadcred::fuzz::quiet_verbose_logs();
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view body = aadcred::fuzz::as_text(data + 1, size - 1);
    try {
        if (mode & 1) {
            check_round_trip(aadcred::UserCodeInfo::from_json(body));
        } else {
            aadcred::fuzz::CannedTransport transport(aadcred::fuzz::status_for(mode >> 1), body);
            aadcred::OAuth2Client client(transport,
                                         aadcred::Logger("OAuth2Client", "fuzz-correlation"));
            const auto now =
                std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}};
            check_round_trip(client.get_user_code_info(
                "https://login.microsoftonline.com/common/oauth2/devicecode",
                aadcred::SecretString(std::string("client_id=x&resource=y")), now));
        }
    } catch (const aadcred::AdalError &error) {
        aadcred::fuzz::note_refusal(error);
    }
    return 0;
}
