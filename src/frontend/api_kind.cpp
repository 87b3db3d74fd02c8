#include "api_kind.hpp"

namespace aadcred::frontend {

std::optional<aadcred_api> parse_api_kind(std::string_view name) {
    if (name == "v1") return AADCRED_API_V1;
    if (name == "v2") return AADCRED_API_V2;
    if (name == "oidc") return AADCRED_API_OIDC;
    return std::nullopt;
}

}  // namespace aadcred::frontend
