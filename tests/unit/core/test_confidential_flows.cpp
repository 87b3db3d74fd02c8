// The confidential-client and authorization code flows of AuthenticationContext on a
// scripted transport: request bodies byte for byte as ADAL sends them (reference §2.3),
// which flows read and write the cache (§1.1, §5.2), and ADAL's error text.

#include <string>

#include "../common/client_cert_fixture.hpp"
#include "../common/fakes.hpp"
#include "core/adal/authentication_context.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/base64.hpp"

#include "../common/cmocka_cpp.hpp"  // last

using namespace aadcred;
using test::json_reply;

namespace {

constexpr const char *kAuthority = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
constexpr const char *kResource = "https://management.core.windows.net/";
constexpr const char *kAppToken =
    R"({"token_type":"Bearer","expires_in":"3599","expires_on":"1700003599","resource":"https://management.core.windows.net/","access_token":"AT-app"})";
constexpr const char *kUserToken =
    R"({"token_type":"Bearer","expires_in":"3599","resource":"https://management.core.windows.net/","access_token":"AT-user","refresh_token":"RT-user"})";

struct Flow {
    std::shared_ptr<test::Script> script = std::make_shared<test::Script>();
    std::shared_ptr<test::FakeClock> clock = std::make_shared<test::FakeClock>();
    std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>();
    std::unique_ptr<AuthenticationContext> context;

    explicit Flow(ApiKind api = ApiKind::v1, std::string api_version = {}) {
        ContextOptions options;
        options.cache = cache;
        options.api = api;
        options.api_version = std::move(api_version);
        options.transport_factory = test::scripted(script);
        options.poll_clock = clock;
        context = std::make_unique<AuthenticationContext>(kAuthority, options);
    }
    std::size_t cached() const { return cache->find({}).size(); }
};

SecretString secret(const char *text) {
    return SecretString(std::string(text));
}

void client_credentials_body_and_cache(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kAppToken));
    TokenEntry entry = flow.context->acquire_token_with_client_credentials(kResource, "app-id",
                                                                           secret("s3cr3t&="));
    assert_int_equal(flow.script->request_count(), 1);
    const HttpRequest request = flow.script->request(0);
    assert_string_equal(request.url.c_str(), (std::string(kAuthority) + "/oauth2/token").c_str());
    // reference §2.3, "client credentials", byte for byte.
    assert_string_equal(request.body.c_str(),
                        "grant_type=client_credentials&client_id=app-id&resource=https%3A%2F%"
                        "2Fmanagement.core.windows.net%2F&client_secret=s3cr3t%26%3D");
    assert_string_equal(test::header_of(request, "content-type").c_str(),
                        "application/x-www-form-urlencoded");
    // ADAL's cached dict: resource in the reply → isMRRT, plus _clientId and _authority.
    assert_string_equal(std::string(*entry.string(key::access_token)).c_str(), "AT-app");
    assert_true(entry.boolean(key::is_mrrt).value_or(false));
    assert_string_equal(std::string(*entry.string(key::client_id)).c_str(), "app-id");
    assert_string_equal(std::string(*entry.string(key::authority)).c_str(), kAuthority);
    assert_int_equal(flow.cached(), 1);

    // The second call is answered from the cache: no request.
    TokenEntry again = flow.context->acquire_token_with_client_credentials(kResource, "app-id",
                                                                           secret("s3cr3t&="));
    assert_int_equal(flow.script->request_count(), 1);
    assert_string_equal(std::string(*again.string(key::access_token)).c_str(), "AT-app");
}

void client_credentials_wrong_secret(void **) {
    Flow flow;
    const std::string reply =
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.","error_codes":[7000215]})";
    flow.script->push(json_reply(401, reply));
    try {
        flow.context->acquire_token_with_client_credentials(kResource, "app-id", secret("wrong"));
        fail_msg("no error");
    } catch (const AdalError &e) {
        assert_string_equal(
            e.message().c_str(),
            ("Get Token request returned http error: 401 and server response: " + reply).c_str());
        assert_string_equal(e.error().c_str(), "invalid_client");
        assert_string_equal(e.error_response().c_str(), reply.c_str());
    }
    assert_int_equal(flow.cached(), 0);
}

void client_credentials_v2_sends_scope(void **) {
    Flow flow(ApiKind::v2);
    flow.script->push(
        json_reply(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"AT-app"})"));
    flow.context->acquire_token_with_client_credentials("https://graph.microsoft.com/.default",
                                                        "app-id", secret("s"));
    const HttpRequest request = flow.script->request(0);
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/v2.0/token").c_str());
    assert_string_equal(request.body.c_str(),
                        "grant_type=client_credentials&client_id=app-id&scope=https%3A%2F%2Fgraph."
                        "microsoft.com%2F.default&client_secret=s");
}

void authorization_code_body_and_cache(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kUserToken));
    TokenEntry entry = flow.context->acquire_token_with_authorization_code(
        secret("CODE1"), "http://localhost", kResource, "cid", secret("sec"), secret("ver"));
    // reference §2.3, "auth code": redirect_uri before code, then secret and verifier.
    assert_string_equal(flow.script->request(0).body.c_str(),
                        "grant_type=authorization_code&client_id=cid&resource=https%3A%2F%2Fmanag"
                        "ement.core.windows.net%2F&redirect_uri=http%3A%2F%2Flocalhost&code=CODE1&"
                        "client_secret=sec&code_verifier=ver");
    assert_string_equal(std::string(*entry.string(key::refresh_token)).c_str(), "RT-user");
    assert_int_equal(flow.cached(), 1);

    // A public client without PKCE: neither client_secret nor code_verifier is sent.
    flow.script->push(json_reply(200, kUserToken));
    flow.context->acquire_token_with_authorization_code(secret("CODE2"), "http://localhost",
                                                        kResource, "cid");
    assert_string_equal(flow.script->request(1).body.c_str(),
                        "grant_type=authorization_code&client_id=cid&resource=https%3A%2F%2Fmanag"
                        "ement.core.windows.net%2F&redirect_uri=http%3A%2F%2Flocalhost&code=CODE2");
}

void authorization_code_never_reads_the_cache(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kUserToken));
    flow.script->push(json_reply(200, kUserToken));
    flow.context->acquire_token_with_authorization_code(secret("C1"), "http://l", kResource, "cid");
    flow.context->acquire_token_with_authorization_code(secret("C2"), "http://l", kResource, "cid");
    assert_int_equal(flow.script->request_count(), 2);
}

void certificate_body_assertion_and_no_cache(void **) {
    // api_version goes on the URL but not into the assertion's aud (reference §2.4).
    Flow flow(ApiKind::v1, "1.0");
    flow.script->push(json_reply(200, kAppToken));
    flow.context->acquire_token_with_client_certificate(
        kResource, "cid-1", secret(test::kClientKeyPem), test::kClientCertThumbprint);
    const HttpRequest request = flow.script->request(0);
    assert_string_equal(request.url.c_str(),
                        (std::string(kAuthority) + "/oauth2/token?api-version=1.0").c_str());
    const std::string prefix =
        "grant_type=client_credentials&client_id=cid-1&resource=https%3A%2F%2Fmanagement.core."
        "windows.net%2F&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-"
        "type%3Ajwt-bearer&client_assertion=";
    const std::string &body = request.body.reveal();
    assert_true(body.starts_with(prefix));
    const std::string jwt = body.substr(prefix.size());
    const auto dot = jwt.find('.');
    const auto payload =
        base64url_decode_strict(jwt.substr(dot + 1, jwt.find('.', dot + 1) - dot - 1));
    assert_true(payload.has_value());
    const rapidjson::Document claims = json::parse(*payload);
    assert_string_equal(claims["aud"].GetString(),
                        (std::string(kAuthority) + "/oauth2/token").c_str());
    assert_string_equal(claims["iss"].GetString(), "cid-1");
    assert_int_equal(claims["nbf"].GetInt64(),
                     std::chrono::system_clock::to_time_t(flow.clock->now()));
    // Not cached, as in ADAL.
    assert_int_equal(flow.cached(), 0);
}

void certificate_uses_a_cached_app_token(void **) {
    Flow flow;
    flow.script->push(json_reply(200, kAppToken));
    flow.context->acquire_token_with_client_credentials(kResource, "cid-1", secret("s"));
    // ADAL looks in the cache (by client id) after building the assertion.
    TokenEntry entry = flow.context->acquire_token_with_client_certificate(
        kResource, "cid-1", secret(test::kClientKeyPem), test::kClientCertThumbprint);
    assert_int_equal(flow.script->request_count(), 1);
    assert_string_equal(std::string(*entry.string(key::access_token)).c_str(), "AT-app");
}

void certificate_bad_thumbprint_before_any_request(void **) {
    Flow flow;
    try {
        flow.context->acquire_token_with_client_certificate(kResource, "cid-1",
                                                            secret(test::kClientKeyPem), "xyz");
        fail_msg("no error");
    } catch (const AdalError &e) {
        assert_string_equal(e.message().c_str(), "The thumbprint does not match a known format");
    }
    assert_int_equal(flow.script->request_count(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_credentials_body_and_cache),
        cmocka_unit_test(client_credentials_wrong_secret),
        cmocka_unit_test(client_credentials_v2_sends_scope),
        cmocka_unit_test(authorization_code_body_and_cache),
        cmocka_unit_test(authorization_code_never_reads_the_cache),
        cmocka_unit_test(certificate_body_assertion_and_no_cache),
        cmocka_unit_test(certificate_uses_a_cached_app_token),
        cmocka_unit_test(certificate_bad_thumbprint_before_any_request),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
