// git's credential helper protocol (gitcredentials(7)): the description git writes on
// our stdin. Either a credential or a reason comes back, never both, and every value
// read back must be sayable in a reply without injecting attributes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "credential_protocol.hpp"

namespace {

constexpr std::string_view kKeys[] = {
    "protocol", "host",       "path",     "username", "password",           "url",
    "wwwauth",  "capability", "authtype", "state",    "oauth_refresh_token"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    gitcred::ParseResult result = gitcred::parse_credential(input);
    if (result.credential.has_value() == !result.error.empty()) std::abort();
    if (!result.credential) return 0;
    const gitcred::Credential &credential = *result.credential;
    gitcred::ReplyWriter reply;
    for (const std::string_view key : kKeys) {
        if (const auto value = credential.get(key)) {
            // A parsed value never holds CR, LF or NUL, so echoing it back must succeed.
            if (!reply.add(key, *value)) std::abort();
        }
        for (const std::string_view value : credential.get_all(key)) {
            if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
                std::abort();
            }
        }
    }
    (void)credential.has_capability("authtype");
    // What we would write back reads back as the same attributes.
    const gitcred::ParseResult again = gitcred::parse_credential(reply.text());
    if (!again.credential) std::abort();
    for (const std::string_view key : kKeys) {
        if (again.credential->get(key) != credential.get(key)) std::abort();
    }
    return 0;
}
