#pragma once
// What the person is told when the sign-in fails: one line naming the cause they can act
// on (sign in again, use the right account, call the admin), never a library message.
// The admin's detail goes to syslog separately (sign_in.cpp).

#include <aadcred/aadcred.hpp>

#include <string>
#include <string_view>

namespace aadcred_pam {

enum class Failure {
    declined,     ///< the person (or the tenant's policy) declined the sign-in
    timed_out,    ///< nobody signed in before the deadline, or the code expired
    unreachable,  ///< the authority could not be reached (network, TLS)
    wrong_account,
    other,
};

/// The kind of failure a libaadcred call threw.
Failure classify_failure(const aadcred::AdalError &error);

struct FailureDetails {
    Failure kind = Failure::other;
    std::string_view user;       ///< PAM_USER
    std::string_view signed_in;  ///< wrong_account: the identity that signed in
    std::string_view authority;  ///< unreachable: the authority URL
    int seconds = 0;             ///< timed_out: the time the person had
    std::string_view what;       ///< other: what did not work, e.g. "cannot start the sign-in"
};

/// "Azure AD sign-in failed: ..." with the cause; server-supplied parts cleaned.
std::string failure_message(const FailureDetails &details);

}  // namespace aadcred_pam
