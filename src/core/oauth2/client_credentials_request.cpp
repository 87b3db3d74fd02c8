// The client credentials grant (RFC 6749 §4.4) with a client secret, and the helper the
// flow bodies share for ADAL's parameter order.

#include "core/oauth2/flow_requests.hpp"

namespace aadcred {

void add_client_and_target(FormEncoder &form, ApiKind api, std::string_view client_id,
                           std::string_view resource, std::string_view scope) {
    if (!client_id.empty()) form.add("client_id", client_id);
    if (api == ApiKind::v1) {
        if (!resource.empty()) form.add("resource", resource);
    } else if (!scope.empty()) {
        form.add("scope", scope);
    }
}

SecretString client_credentials_body(ApiKind api, std::string_view client_id,
                                     std::string_view resource, const SecretString &client_secret) {
    FormEncoder form;
    form.add("grant_type", "client_credentials");
    add_client_and_target(form, api, client_id, resource, resource);
    form.add("client_secret", client_secret);
    return form.body();
}

}  // namespace aadcred
