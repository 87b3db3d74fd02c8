#pragma once
// The federated half of the username/password flow (reference §2.5): MEX, WS-Trust and
// the SAML bearer grant. It is the only part of that flow that needs libxml2, so a build
// with -Dwstrust=disabled compiles username_password_no_wstrust.cpp in its place.

#include "core/http/http_transport.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "core/oauth2/token_entry.hpp"
#include "core/oauth2/user_realm.hpp"
#include "core/oauth2/username_password_flow.hpp"
#include "util/log.hpp"

namespace aadcred {

/// ADAL's _get_token_username_password_federated for a realm whose account_type is
/// "federated". Without WS-Trust in the build it throws AdalError(invalid) naming
/// -Dwstrust=disabled, having sent nothing.
TokenEntry federated_username_password_token(HttpTransport &transport, const Logger &log,
                                             OAuth2Client &client, const UserRealm &realm,
                                             const UsernamePasswordRequest &request);

}  // namespace aadcred
