// AuthenticationContext::acquire_token_with_username_password on a scripted transport:
// which requests go out, in which order, with which bodies, and the cache in front.
#include <cstring>
#include <memory>
#include <string>

#include "../common/fakes.hpp"
#include "core/adal/authentication_context.hpp"
#include "core/adal_error.hpp"
#include "util/base64.hpp"

// clang-format off
#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()
// clang-format on

using namespace aadcred;
using test::json_reply;

namespace {

const SecretString kPassword{std::string("p&ss<word>")};
constexpr const char *kResource = "https://r/";

std::string token_reply(const std::string &upn) {
    const std::string id_token =
        base64url_encode(R"({"typ":"JWT","alg":"none"})") + "." +
        base64url_encode(R"({"upn":")" + upn + R"(","tid":"tid-1","oid":"oid-1"})") + ".";
    return R"({"token_type":"Bearer","expires_in":"3599","resource":"https://r/",)"
           R"("access_token":"AT","refresh_token":"RT","id_token":")" +
           id_token + "\"}";
}

#if AADCRED_TEST_HAVE_WSTRUST
test::Reply xml_reply(long status, std::string body) {
    return test::Reply{status, std::move(body), {{"content-type", "application/soap+xml"}}, {}};
}
#endif

struct Flow {
    std::shared_ptr<test::Script> script = std::make_shared<test::Script>();
    std::unique_ptr<AuthenticationContext> context;
    explicit Flow(const char *authority = "https://login.example.com/contoso") {
        ContextOptions options;
        options.validate_authority = false;
        options.transport_factory = test::scripted(script);
        context = std::make_unique<AuthenticationContext>(authority, std::move(options));
    }
    TokenEntry sign_in(const char *user) {
        return context->acquire_token_with_username_password(kResource, user, kPassword, "cid");
    }
    std::string error_of(const char *user) {
        try {
            sign_in(user);
        } catch (const AdalError &e) {
            return e.message();
        }
        return {};
    }
};

void managed_user_then_cache(void **) {
    Flow flow;
    flow.script->push(json_reply(200, R"({"account_type":"Managed"})"));
    flow.script->push(json_reply(200, token_reply("alice@contoso.com")));
    const TokenEntry first = flow.sign_in("alice@contoso.com");
    assert_int_equal(flow.script->request_count(), 2);
    const HttpRequest realm = flow.script->request(0);
    assert_string_equal(
        realm.url.c_str(),
        "https://login.example.com/common/UserRealm/alice%40contoso.com?api-version=1.0");
    assert_string_equal(test::header_of(realm, "Accept").c_str(), "application/json");
    const HttpRequest grant = flow.script->request(1);
    assert_string_equal(grant.url.c_str(), "https://login.example.com/contoso/oauth2/token");
    assert_string_equal(grant.body.reveal().c_str(),
                        "grant_type=password&scope=openid&client_id=cid&resource=https%3A%2F%2Fr%2F"
                        "&password=p%26ss%3Cword%3E&username=alice%40contoso.com");
    // ADAL looks in the cache first, by this user: no request the second time.
    const TokenEntry second = flow.sign_in("alice@contoso.com");
    assert_int_equal(flow.script->request_count(), 2);
    assert_true(second.secret(key::access_token) == first.secret(key::access_token));
}

#if AADCRED_TEST_HAVE_WSTRUST
void federated_falls_back_when_mex_fails(void **) {
    Flow flow;
    flow.script->push(json_reply(
        200,
        R"({"account_type":"Federated","federation_protocol":"WSTrust",)"
        R"("federation_metadata_url":"https://sts.test/adfs/services/trust/mex",)"
        R"("federation_active_auth_url":"https://sts.test/adfs/services/trust/2005/usernamemixed",)"
        R"("cloud_audience_urn":"urn:test:audience"})"));
    flow.script->push(xml_reply(404, "no mex here"));
    flow.script->push(xml_reply(
        200,
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
        "<t:RequestSecurityTokenResponse xmlns:t=\"http://schemas.xmlsoap.org/ws/2005/02/trust\">"
        "<t:RequestedSecurityToken><Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>"
        "</t:RequestedSecurityToken><t:TokenType>urn:oasis:names:tc:SAML:2.0:assertion"
        "</t:TokenType></t:RequestSecurityTokenResponse></s:Body></s:Envelope>"));
    flow.script->push(json_reply(200, token_reply("fred@fabrikam.com")));
    flow.sign_in("fred@fabrikam.com");
    assert_int_equal(flow.script->request_count(), 4);
    assert_string_equal(flow.script->request(1).url.c_str(),
                        "https://sts.test/adfs/services/trust/mex");
    const HttpRequest rst = flow.script->request(2);
    assert_string_equal(rst.url.c_str(), "https://sts.test/adfs/services/trust/2005/usernamemixed");
    assert_string_equal(test::header_of(rst, "SOAPAction").c_str(),
                        "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue");
    assert_non_null(
        strstr(rst.body.c_str(), "<wsse:Password>p&amp;ss&lt;word&gt;</wsse:Password>"));
    assert_non_null(strstr(rst.body.c_str(), "<wsa:Address>urn:test:audience</wsa:Address>"));
    const std::string assertion =
        base64_encode("<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>");
    std::string quoted;
    for (char c : assertion)
        quoted += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    assert_string_equal(flow.script->request(3).body.c_str(),
                        ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer"
                         "&scope=openid&client_id=cid&resource=https%3A%2F%2Fr%2F&assertion=" +
                         quoted)
                            .c_str());
}

void federated_without_endpoints(void **) {
    Flow flow;
    flow.script->push(
        json_reply(200, R"({"account_type":"Federated","federation_protocol":"WSTrust",)"
                        R"("federation_metadata_url":null,"federation_active_auth_url":null})"));
    assert_string_equal(flow.error_of("fred@fabrikam.com").c_str(),
                        "AAD did not return a WSTrust endpoint. Unable to proceed.");
}

void federated_unsupported_version(void **) {
    Flow flow;
    flow.script->push(json_reply(
        200,
        R"({"account_type":"Federated","federation_protocol":"WSTrust",)"
        R"("federation_metadata_url":null,"federation_active_auth_url":"https://sts.test/adfs/ls"})"));
    assert_string_equal(flow.error_of("fred@fabrikam.com").c_str(),
                        "Unsupported wstrust endpoint version. Current support version is "
                        "wstrust2005 or wstrust13.");
    assert_int_equal(flow.script->request_count(), 1);  // nothing sent to the STS
}
#else
// -Dwstrust=disabled: the realm is asked (it says which kind of account this is), then
// the federated account is refused with the option to change; nothing goes to its STS.
void federated_needs_wstrust_in_the_build(void **) {
    Flow flow;
    flow.script->push(json_reply(
        200,
        R"({"account_type":"Federated","federation_protocol":"WSTrust",)"
        R"("federation_metadata_url":"https://sts.test/adfs/services/trust/mex",)"
        R"("federation_active_auth_url":"https://sts.test/adfs/services/trust/13/usernamemixed"})"));
    try {
        flow.sign_in("fred@fabrikam.com");
        fail();
    } catch (const AdalError &e) {
        assert_int_equal(static_cast<int>(e.klass()), static_cast<int>(ErrorClass::invalid));
        assert_non_null(strstr(e.message().c_str(),
                               "this aadcred was built without WS-Trust support "
                               "(-Dwstrust=disabled)"));
    }
    assert_int_equal(flow.script->request_count(), 1);
}
#endif

void unknown_account_type(void **) {
    Flow flow;
    flow.script->push(json_reply(200, R"({"account_type":"Unknown"})"));
    assert_string_equal(flow.error_of("x@unknown.example").c_str(),
                        "Server returned an unknown AccountType: unknown");
}

void adfs_authority_skips_user_realm(void **) {
    Flow flow("https://adfs.fabrikam.test/adfs");
    flow.script->push(json_reply(200, token_reply("fred@fabrikam.com")));
    flow.sign_in("fred@fabrikam.com");
    assert_int_equal(flow.script->request_count(), 1);
    assert_string_equal(flow.script->request(0).url.c_str(),
                        "https://adfs.fabrikam.test/adfs/oauth2/token");
}

void user_realm_http_error(void **) {
    Flow flow;
    flow.script->push(json_reply(400, R"({"error":"bad"})"));
    assert_string_equal(
        flow.error_of("a@b.c").c_str(),
        "User Realm Discovery request returned http error: 400 and server response: "
        "{\"error\":\"bad\"}");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(managed_user_then_cache),
#if AADCRED_TEST_HAVE_WSTRUST
        cmocka_unit_test(federated_falls_back_when_mex_fails),
        cmocka_unit_test(federated_without_endpoints),
        cmocka_unit_test(federated_unsupported_version),
#else
        cmocka_unit_test(federated_needs_wstrust_in_the_build),
#endif
        cmocka_unit_test(unknown_account_type),
        cmocka_unit_test(adfs_authority_skips_user_realm),
        cmocka_unit_test(user_realm_http_error),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
