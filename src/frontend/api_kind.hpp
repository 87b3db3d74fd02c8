#pragma once
// The protocol a profile speaks, as people write it in a config file, a PAM stanza or an
// option: "v1", "v2" or "oidc". One parse for every front end, so a name one accepts the
// others accept too; each front end words its own refusal (its setting's name differs).

#include <aadcred/aadcred.h>

#include <optional>
#include <string_view>

namespace aadcred::frontend {

/// The API that `name` names, exactly as written (lower case; a front end that ignores
/// case folds it first).
/// @param name "v1", "v2" or "oidc"
/// @return AADCRED_API_V1, AADCRED_API_V2 or AADCRED_API_OIDC; nullopt for anything else
std::optional<aadcred_api> parse_api_kind(std::string_view name);

}  // namespace aadcred::frontend
