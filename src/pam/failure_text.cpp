#include "failure_text.hpp"

#include "prompt_text.hpp"

namespace aadcred_pam {
namespace {

// scheme://host of the authority: the person's network problem is with the host.
std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto end = url.find('/', start);
    return clean_text(url.substr(0, end), 200);
}

}  // namespace

Failure classify_failure(const aadcred::AdalError &e) {
    if (e.code() == AADCRED_EUNREACHABLE) return Failure::unreachable;
    if (e.klass() == AADCRED_ERROR_CLASS_NETWORK) return Failure::unreachable;
    if (e.klass() == AADCRED_ERROR_CLASS_TIMEOUT) return Failure::timed_out;
    // RFC 8628 names, and AAD v1's (code_expired) for the same things.
    const std::string &error = e.error();
    if (error == "authorization_declined" || error == "access_denied") return Failure::declined;
    if (error == "expired_token" || error == "code_expired") return Failure::timed_out;
    return Failure::other;
}

std::string failure_message(const FailureDetails &d) {
    std::string text = "Azure AD sign-in failed: ";
    switch (d.kind) {
        case Failure::declined:
            text += "the sign-in was declined.";
            break;
        case Failure::timed_out:
            text += "nobody signed in with the code";
            if (d.seconds > 0) text += " within " + std::to_string(d.seconds) + " seconds";
            text += ". Log in again for a new code.";
            break;
        case Failure::unreachable:
            text += "cannot reach the sign-in service";
            if (!d.authority.empty()) text += " " + host_of(d.authority);
            text += ". Try again later or tell the administrator.";
            break;
        case Failure::wrong_account:
            text += "you signed in as " + clean_text(d.signed_in, 128) + ", which is not " +
                    clean_text(d.user, 64) + " on this host. Log in again and sign in with " +
                    clean_text(d.user, 64) + "'s account.";
            break;
        case Failure::other:
            text += d.what.empty() ? std::string("see the system log") : std::string(d.what);
            text += ".";
            break;
    }
    return text;
}

}  // namespace aadcred_pam
