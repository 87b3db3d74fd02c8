// The request head the browser sign-in's loopback listener reads (read_redirect_request):
// any local program can connect to it, so every byte sequence must be classified without
// a crash, and a reply's fields must be the query's, each name unique and non-empty.
#include <cstdlib>
#include <string_view>

#include "core/http/loopback_redirect.hpp"
#include "fuzz_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view head = aadcred::fuzz::as_text(data, size);
    const aadcred::RedirectRequest request = aadcred::read_redirect_request(head);
    if (request.kind != aadcred::RedirectRequest::Kind::reply && !request.query.empty())
        std::abort();  // only a reply carries fields
    for (const auto &[name, value] : request.query) {
        if (name.empty() || name.find('\0') != std::string::npos) std::abort();
        if (value.reveal().find('\0') != std::string::npos) std::abort();
    }
    return 0;
}
