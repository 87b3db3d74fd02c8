// Authority parsing (ADAL's accepted and rejected URLs, exact messages) and validation
// (static list, instance discovery, OpenID configuration) against a scripted transport.

#include <cstdlib>
#include <string>

#include "../common/fakes.hpp"
#include "core/oauth2/authority.hpp"
#include "util/log.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;
using aadcred::test::Script;

namespace {

const Logger kLog("Authority", "corr-1");

std::string parse_error(std::string_view url, ApiKind api = ApiKind::v1) {
    try {
        Authority authority(url, true, api);
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::invalid));
        return e.message();
    }
    return "<accepted>";
}

struct Validated {
    std::shared_ptr<Script> script = std::make_shared<Script>();
    std::optional<AdalError> error;
};

Validated validate(Authority &authority, std::vector<test::Reply> replies) {
    Validated v;
    for (auto &reply : replies) v.script->push(std::move(reply));
    test::ScriptedTransport transport(v.script);
    try {
        authority.validate(transport, kLog);
    } catch (const AdalError &e) {
        v.error = e;
    }
    return v;
}

void accepts_adal_urls(void **) {
    Authority a("https://login.microsoftonline.com/contoso.onmicrosoft.com", true);
    assert_string_equal(a.url().c_str(),
                        "https://login.microsoftonline.com/contoso.onmicrosoft.com");
    assert_string_equal(a.tenant().c_str(), "contoso.onmicrosoft.com");
    assert_string_equal(a.host().c_str(), "login.microsoftonline.com");
    assert_false(a.is_adfs());

    // One trailing slash is stripped; the host is compared lower-cased, the URL keeps case.
    Authority b("HTTPS://Login.MicrosoftOnline.com/T1/", true);
    assert_string_equal(b.url().c_str(), "https://Login.MicrosoftOnline.com/T1");
    assert_string_equal(b.host().c_str(), "login.microsoftonline.com");
    assert_string_equal(b.endpoints().token.c_str(),
                        "https://Login.MicrosoftOnline.com/T1/oauth2/token");

    Authority adfs("https://fs.contoso.com/adfs", false);
    assert_true(adfs.is_adfs());

    Authority dsts("https://co2agg04-passive.dsts.core.windows.net/dstsv2/7a433bfc", true);
    assert_string_equal(dsts.tenant().c_str(), "dstsv2");
    // An empty query is no query (urlparse agrees).
    assert_string_equal(parse_error("https://login.microsoftonline.com/t1?").c_str(), "<accepted>");
}

void rejects_with_adal_messages(void **) {
    assert_string_equal(parse_error("http://login.microsoftonline.com/t1").c_str(),
                        "The authority url must be an https endpoint.");
    assert_string_equal(parse_error("login.microsoftonline.com/t1").c_str(),
                        "The authority url must be an https endpoint.");
    assert_string_equal(parse_error("https://login.microsoftonline.com/t1?x=1").c_str(),
                        "The authority url must not have a query string.");
    assert_string_equal(
        parse_error("https://login.microsoftonline.com/t1/extra").c_str(),
        "The path of authority_url (also known as tenant) is invalid, it should either be a "
        "domain name (e.g. mycompany.onmicrosoft.com) or a tenant GUID id. Your tenant input "
        "was \"t1/extra\" and your entire authority_url was "
        "\"https://login.microsoftonline.com/t1/extra\".");
    assert_string_equal(parse_error("https://login.microsoftonline.com").c_str(),
                        "Could not determine tenant.");
    assert_string_equal(parse_error("https://login.microsoftonline.com/").c_str(),
                        "Could not determine tenant.");
    assert_string_equal(parse_error("https://login.microsoftonline.com/t1#frag").c_str(),
                        "The authority url must not have a fragment.");
}

void endpoints_per_protocol(void **) {
    Authority v1("https://login.microsoftonline.com/t1", false, ApiKind::v1);
    assert_string_equal(v1.endpoints().device_code.c_str(),
                        "https://login.microsoftonline.com/t1/oauth2/devicecode");
    assert_string_equal(v1.endpoints().jwks.c_str(),
                        "https://login.microsoftonline.com/t1/discovery/keys");
    Authority v2("https://login.microsoftonline.com/t1/", false, ApiKind::v2);
    assert_string_equal(v2.endpoints().token.c_str(),
                        "https://login.microsoftonline.com/t1/oauth2/v2.0/token");
    assert_string_equal(v2.endpoints().device_code.c_str(),
                        "https://login.microsoftonline.com/t1/oauth2/v2.0/devicecode");
    assert_string_equal(v2.endpoints().jwks.c_str(),
                        "https://login.microsoftonline.com/t1/discovery/v2.0/keys");
    assert_true(v2.validated());  // validate_authority=false: nothing to fetch
}

void static_hosts_need_no_request(void **) {
    for (const char *url :
         {"https://login.windows.net/t1", "https://login.microsoftonline.com/t1",
          "https://login.chinacloudapi.cn/t1", "https://login.microsoftonline.us/t1",
          "https://LOGIN.MICROSOFTONLINE.DE/t1", "https://x.dsts.core.azure-test.net/a/b"}) {
        Authority authority(url, true);
        Validated v = validate(authority, {});
        assert_false(v.error.has_value());
        assert_int_equal(v.script->request_count(), 0);
        assert_true(authority.validated());
    }
}

void dynamic_discovery_request(void **) {
    unsetenv("AADCRED_INSTANCE_DISCOVERY_URL");
    Authority authority("https://login.example.com/t1", true);
    Validated v = validate(authority, {test::json_reply(200, R"({"tenant_discovery_endpoint":"x"})",
                                                        {{"client-request-id", "corr-1"}})});
    assert_false(v.error.has_value());
    assert_int_equal(v.script->request_count(), 1);
    const HttpRequest request = v.script->request(0);
    assert_int_equal(static_cast<int>(request.method), static_cast<int>(HttpRequest::Method::get));
    assert_string_equal(request.url.c_str(),
                        "https://login.microsoftonline.com/common/discovery/instance?"
                        "authorization_endpoint=https%3A%2F%2Flogin.example.com%2Ft1%2Foauth2%"
                        "2Fauthorize&api-version=1.0");
    assert_string_equal(test::header_of(request, "client-request-id").c_str(), "corr-1");
    assert_string_equal(test::header_of(request, "x-client-SKU").c_str(), "aadcred");
    assert_string_equal(test::header_of(request, "x-client-Ver").c_str(), "0.1.0");
    assert_string_equal(test::header_of(request, "Accept-Charset").c_str(), "utf-8");
    assert_string_equal(test::header_of(request, "return-client-request-id").c_str(), "true");

    // Once per authority, as ADAL.
    Validated again = validate(authority, {});
    assert_false(again.error.has_value());
    assert_int_equal(again.script->request_count(), 0);
}

void discovery_base_from_environment(void **) {
    setenv("AADCRED_INSTANCE_DISCOVERY_URL", "https://127.0.0.1:8443/", 1);
    assert_string_equal(Authority::instance_discovery_base().c_str(), "https://127.0.0.1:8443");
    Authority authority("https://127.0.0.1:8443/t1", true);
    Validated v =
        validate(authority, {test::json_reply(200, R"({"tenant_discovery_endpoint":"x"})")});
    unsetenv("AADCRED_INSTANCE_DISCOVERY_URL");
    assert_false(v.error.has_value());
    // ADAL names the host without its port in the authorize endpoint.
    assert_string_equal(v.script->request(0).url.c_str(),
                        "https://127.0.0.1:8443/common/discovery/instance?authorization_endpoint="
                        "https%3A%2F%2F127.0.0.1%2Ft1%2Foauth2%2Fauthorize&api-version=1.0");
}

void discovery_errors(void **) {
    unsetenv("AADCRED_INSTANCE_DISCOVERY_URL");
    {
        Authority authority("https://login.example.com/t1", true);
        Validated v = validate(authority, {test::json_reply(500, "")});
        assert_true(v.error.has_value());
        assert_string_equal(v.error->message().c_str(),
                            "Instance Discovery request returned http error: 500");
        assert_int_equal(static_cast<int>(v.error->klass()), static_cast<int>(ErrorClass::network));
        assert_false(authority.validated());
    }
    {
        const std::string body =
            R"({"error":"invalid_instance","error_description":"AADSTS50049: Unknown or invalid instance."})";
        Authority authority("https://login.example.com/t1", true);
        Validated v = validate(authority, {test::json_reply(400, body)});
        assert_true(v.error.has_value());
        assert_string_equal(v.error->message().c_str(),
                            ("Instance Discovery request returned http error: 400 and server "
                             "response: " +
                             body)
                                .c_str());
        assert_string_equal(v.error->error().c_str(), "invalid_instance");
        assert_string_equal(v.error->error_response().c_str(), body.c_str());
        assert_int_equal(static_cast<int>(v.error->klass()), static_cast<int>(ErrorClass::server));
    }
    for (const char *body :
         {R"({"api-version":"1.1"})", "not json", "[1]", R"({"tenant_discovery_endpoint":""})"}) {
        Authority authority("https://login.example.com/t1", true);
        Validated v = validate(authority, {test::json_reply(200, body)});
        assert_true(v.error.has_value());
        assert_string_equal(v.error->message().c_str(),
                            "Failed to parse instance discovery response");
    }
}

void no_validation_no_request(void **) {
    Authority authority("https://login.example.com/t1", false);
    Validated v = validate(authority, {});
    assert_false(v.error.has_value());
    assert_int_equal(v.script->request_count(), 0);
}

void oidc_configuration(void **) {
    // Generic providers have issuer paths of any depth (Keycloak: /realms/<name>).
    Authority authority("https://kc.example.com/realms/demo/", false, ApiKind::oidc);
    assert_string_equal(authority.url().c_str(), "https://kc.example.com/realms/demo");
    assert_false(authority.validated());
    Validated v = validate(authority,
                           {test::json_reply(200, R"({"issuer":"https://kc.example.com/realms/demo",
            "token_endpoint":"https://kc.example.com/realms/demo/protocol/openid-connect/token",
            "device_authorization_endpoint":"https://kc.example.com/realms/demo/device",
            "jwks_uri":"https://kc.example.com/realms/demo/certs"})")});
    assert_false(v.error.has_value());
    assert_string_equal(v.script->request(0).url.c_str(),
                        "https://kc.example.com/realms/demo/.well-known/openid-configuration");
    assert_string_equal(authority.endpoints().token.c_str(),
                        "https://kc.example.com/realms/demo/protocol/openid-connect/token");
    assert_string_equal(authority.endpoints().device_code.c_str(),
                        "https://kc.example.com/realms/demo/device");
    assert_string_equal(authority.endpoints().jwks.c_str(),
                        "https://kc.example.com/realms/demo/certs");
    assert_string_equal(authority.endpoints().issuer.c_str(), "https://kc.example.com/realms/demo");

    Authority missing("https://idp.example.com", true, ApiKind::oidc);
    Validated m = validate(missing, {test::json_reply(200, R"({"token_endpoint":"https://t"})")});
    assert_true(m.error.has_value());
    assert_string_equal(m.error->message().c_str(),
                        "OpenID configuration is missing device_authorization_endpoint");

    Authority down("https://idp.example.com", true, ApiKind::oidc);
    Validated d = validate(down, {test::json_reply(404, "")});
    assert_true(d.error.has_value());
    assert_string_equal(d.error->message().c_str(),
                        "OpenID Configuration request returned http error: 404");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_adal_urls),
        cmocka_unit_test(rejects_with_adal_messages),
        cmocka_unit_test(endpoints_per_protocol),
        cmocka_unit_test(static_hosts_need_no_request),
        cmocka_unit_test(dynamic_discovery_request),
        cmocka_unit_test(discovery_base_from_environment),
        cmocka_unit_test(discovery_errors),
        cmocka_unit_test(no_validation_no_request),
        cmocka_unit_test(oidc_configuration),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
