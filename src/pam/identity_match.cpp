// Identity matching. Case is ignored for ASCII only: a locale-dependent tolower (the
// Turkish dotless i) must not make two different accounts equal. Everything else must
// match byte for byte, and a claim that still holds '@' after the domain is removed never
// matches: "alice@evil.example" is not the local user "alice".

#include "identity_match.hpp"

#include <algorithm>

#include "ascii_case.hpp"

namespace aadcred_pam {
namespace {

using aadcred::frontend::equal_ignoring_ascii_case;

bool has_control(std::string_view s) noexcept {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

MatchResult match_identity(std::string_view claim, std::string_view domain,
                           std::string_view pam_user) {
    if (claim.empty()) return {false, "the claim is empty"};
    if (pam_user.empty()) return {false, "PAM_USER is empty"};
    if (has_control(claim) || has_control(pam_user))
        return {false, "the claim or PAM_USER holds control characters"};
    std::string_view local = claim;
    if (!domain.empty()) {
        const auto at = claim.rfind('@');
        if (at == std::string_view::npos ||
            !equal_ignoring_ascii_case(claim.substr(at + 1), domain))
            return {false, "the claim is not in domain " + std::string(domain)};
        local = claim.substr(0, at);
        if (local.find('@') != std::string_view::npos)
            return {false, "the claim has more than one '@'"};
    }
    if (!equal_ignoring_ascii_case(local, pam_user)) return {false, "the claim names another user"};
    return {true, {}};
}

}  // namespace aadcred_pam
