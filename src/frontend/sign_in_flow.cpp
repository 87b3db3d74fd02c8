#include "sign_in_flow.hpp"

namespace aadcred::frontend {

std::optional<aadcred_sign_in_flow> parse_sign_in_flow(std::string_view name) {
    if (name == "auto") return AADCRED_FLOW_AUTO;
    if (name == "device") return AADCRED_FLOW_DEVICE;
    if (name == "browser") return AADCRED_FLOW_BROWSER;
    return std::nullopt;
}

}  // namespace aadcred::frontend
