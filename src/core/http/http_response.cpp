#include "core/http/http_transport.hpp"

#include "util/text.hpp"

namespace aadcred {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    // The transport stores names lower-cased with the last value winning, but fakes in
    // tests may not: search from the back so the last occurrence wins either way.
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
        if (iequals_ascii(it->first, name)) return it->second;
    }
    return std::nullopt;
}

}  // namespace aadcred
