#pragma once
// Who the verified token names versus who PAM is signing in (SPEC §6): the configured
// claim, less "@domain" when domain= is given, must equal PAM_USER ignoring case.

#include <string>
#include <string_view>

namespace aadcred_pam {

struct MatchResult {
    bool ok = false;
    std::string why;  ///< for syslog when !ok
};

/// @param claim the value of user_claim in the verified id_token
/// @param domain empty, or the domain whose "@domain" suffix is removed (and required)
/// @param pam_user PAM_USER
MatchResult match_identity(std::string_view claim, std::string_view domain,
                           std::string_view pam_user);

}  // namespace aadcred_pam
