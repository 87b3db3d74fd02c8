#pragma once
// What every network flow of AuthenticationContext opens with, defined once: the call's
// correlation id and logger, one transport for the whole call (the device code poll
// reuses its connection), the authority validated over it, the token URL with ADAL's
// api-version, and an OAuth2 client on that transport. AuthenticationContext::open_call
// builds it; the flows in authentication_context.cpp and confidential_flows.cpp use it.

#include <memory>
#include <string>

#include "core/adal/authentication_context.hpp"
#include "core/http/http_transport.hpp"
#include "core/oauth2/authority.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "util/log.hpp"

namespace aadcred {

struct AuthenticationContext::Call {
    std::string correlation_id;
    Logger log;  ///< the flow's own component ("TokenRequest", "CodeRequest")
    std::unique_ptr<HttpTransport> transport;
    Endpoints endpoints;
    std::string token_url;  ///< endpoints.token, with ?api-version= when one is set
    OAuth2Client client;    ///< on *transport, logging as "OAuth2Client"
};

}  // namespace aadcred
