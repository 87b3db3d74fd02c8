// An OAuth error reply (RFC 6749 §5.2 plus AAD's error_codes, correlation_id): never
// throws, whatever the body; every field it fills is read.
#include <string>
#include <vector>

#include "core/adal_error.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string body(aadcred::fuzz::as_text(data, size));
    const aadcred::AdalError error = aadcred::AdalError::from_server_reply(
        "Get Token request returned http error: 400 and server response: " + body, body);
    // The C ABI copies these out for aadcred_error_last(): each must be a whole string.
    for (const std::string *field : {&error.message(), &error.error(), &error.error_description(),
                                     &error.correlation_id(), &error.error_response()}) {
        (void)std::string(*field);
    }
    (void)std::vector<long long>(error.error_codes());
    return 0;
}
