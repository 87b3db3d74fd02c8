// -Dwstrust=disabled: no libxml2, so no MEX or WS-Trust. Managed accounts and ADFS
// authorities still sign in with the password grant (username_password_flow.cpp); a
// federated account gets an error that says why, before anything goes to its STS.
#include "core/adal_error.hpp"
#include "core/oauth2/username_password_federated.hpp"

namespace aadcred {

TokenEntry federated_username_password_token(HttpTransport &, const Logger &log, OAuth2Client &,
                                             const UserRealm &, const UsernamePasswordRequest &) {
    log.warning("Federated account, but WS-Trust is not built in");
    throw AdalError(ErrorClass::invalid,
                    "The account is federated (WS-Trust), but this aadcred was built without "
                    "WS-Trust support (-Dwstrust=disabled)");
}

}  // namespace aadcred
