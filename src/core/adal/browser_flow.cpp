// AuthenticationContext::acquire_token_with_browser: the authorization code flow of a
// native app (RFC 8252) for tenants whose Conditional Access refuses the device code,
// and for people at a desktop. Not in ADAL for Python, which leaves the browser to the
// application and offers acquire_token_with_authorization_code; the redemption here is
// that call's (redeem_authorization_code), so both cache alike.

#include <openssl/crypto.h>

#include "core/adal/authentication_context.hpp"
#include "core/adal/flow_call.hpp"
#include "core/adal_error.hpp"
#include "core/http/loopback_redirect.hpp"
#include "core/oauth2/flow_requests.hpp"
#include "core/oauth2/pkce.hpp"
#include "util/log.hpp"

namespace aadcred {
namespace {

const SecretString *field(const LoopbackRedirect::Query &query, const char *name) {
    const auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
}

// The state comes back as sent or the reply is someone else's (RFC 6749 §10.12): compared
// in constant time, so its bytes cannot be found one by one.
bool same_state(const SecretString *got, const std::string &sent) {
    return got != nullptr && got->size() == sent.size() &&
           CRYPTO_memcmp(got->c_str(), sent.data(), sent.size()) == 0;
}

// The page the browser shows once it is back: plain text, nothing from the query but the
// error code, which the page does not interpret.
std::string page_for(const LoopbackRedirect::Query &query, const std::string &state) {
    if (!same_state(field(query, "state"), state))
        return "This sign-in reply does not belong to the sign-in in progress; it was refused.\n";
    if (field(query, "error") != nullptr)
        return "The sign-in failed. Return to the application to see why.\n";
    return "Signed in. You can close this window and return to the application.\n";
}

}  // namespace

TokenEntry AuthenticationContext::acquire_token_with_browser(std::string_view resource,
                                                             std::string_view client_id,
                                                             const BrowserSignIn &how) {
    if (!how.open) throw AdalError(ErrorClass::invalid, "No way to open a browser was given");
    Call call = open_call("TokenRequest");
    call.log.info("Getting a token via the browser");
    if (call.endpoints.authorize.empty())
        throw AdalError(ErrorClass::invalid,
                        "The authority names no authorization endpoint; sign in with the "
                        "device code instead");

    LoopbackRedirect redirect;
    const PkcePair pkce = make_pkce_pair();
    const std::string state = random_state();
    const std::string url = authorization_request_url(
        options_.api, call.endpoints.authorize, client_id, resource, redirect.redirect_uri(), state,
        pkce.challenge, how.login_hint, options_.claims);
    call.log.verbose("Opening the browser at: " + call.log.pii(url));
    if (!how.open(url))
        throw AdalError(ErrorClass::interaction_required,
                        "No browser could be started for the sign-in");

    const auto never = [] { return false; };
    const auto deadline = LoopbackRedirect::Clock::now() + how.timeout;
    const LoopbackRedirect::Query query =
        redirect.wait(deadline, how.cancelled ? how.cancelled : std::function<bool()>(never),
                      [&](const LoopbackRedirect::Query &q) { return page_for(q, state); });

    if (!same_state(field(query, "state"), state))
        throw AdalError(ErrorClass::protocol,
                        "The browser came back with a state that is not this sign-in's; the "
                        "reply was refused (it may come from another site)");
    if (const SecretString *error = field(query, "error")) {
        const SecretString *description = field(query, "error_description");
        std::string message = "The sign-in in the browser failed: " + error->reveal();
        if (description != nullptr) message += ": " + description->reveal();
        throw AdalError(ErrorClass::server, message)
            .with_error(error->reveal(), description != nullptr ? description->reveal() : "");
    }
    const SecretString *code = field(query, "code");
    if (code == nullptr || code->empty())
        throw AdalError(ErrorClass::protocol,
                        "The browser came back without an authorization code");
    call.log.info("The browser brought back an authorization code; redeeming it");
    return redeem_authorization_code(call, *code, redirect.redirect_uri(), resource, client_id, {},
                                     pkce.verifier);
}

}  // namespace aadcred
