// The client credentials grant authenticated by a signed JWT instead of a secret
// (RFC 7523 §2.2), as ADAL's acquire_token_with_client_certificate sends it.

#include "core/oauth2/flow_requests.hpp"

namespace aadcred {

SecretString client_assertion_body(ApiKind api, std::string_view client_id,
                                   std::string_view resource, const SecretString &assertion) {
    FormEncoder form;
    form.add("grant_type", "client_credentials");
    add_client_and_target(form, api, client_id, resource, resource);
    form.add("client_assertion_type", kJwtBearerAssertionType);
    form.add("client_assertion", assertion);
    return form.body();
}

}  // namespace aadcred
