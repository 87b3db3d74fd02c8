#pragma once
// How a sign-in happens, as people write it in a config file or an option: "auto",
// "device" or "browser" (aadcred_sign_in_flow). One parse for the CLI and git, as for the
// API kind (api_kind.hpp); each front end words its own refusal.

#include <aadcred/aadcred.h>

#include <optional>
#include <string_view>

namespace aadcred::frontend {

/// The flow that `name` names, exactly as written (lower case).
/// @param name "auto", "device" or "browser"
/// @return AADCRED_FLOW_AUTO, AADCRED_FLOW_DEVICE or AADCRED_FLOW_BROWSER; nullopt for
///         anything else
std::optional<aadcred_sign_in_flow> parse_sign_in_flow(std::string_view name);

}  // namespace aadcred::frontend
