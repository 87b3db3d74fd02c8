// Claims challenges (core/oauth2/claims.cpp): MSAL's merge of client capability cp1 into
// the challenge's claims, JSON or base64; and the tenant a resource's probe reply names
// (core/oauth2/resource_tenant.cpp).

#include <string>

#include "core/adal_error.hpp"
#include "core/oauth2/claims.hpp"
#include "core/oauth2/resource_tenant.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::claims_with_client_capability;

constexpr const char *kCp1 = R"("xms_cc":{"values":["cp1"]})";

void cp1_is_merged_into_the_access_token_claims(void **) {
    assert_sv_equal(
        claims_with_client_capability(
            R"({"access_token":{"nbf":{"essential":true,"value":"1604106651"}}})"),
        std::string(R"({"access_token":{"nbf":{"essential":true,"value":"1604106651"},)") + kCp1 +
            "}}");
    // Other members stay; access_token is created; an old xms_cc is replaced.
    assert_sv_equal(
        claims_with_client_capability(R"({"id_token":{"acrs":{"value":"c1"}}})"),
        std::string(R"({"id_token":{"acrs":{"value":"c1"}},"access_token":{)") + kCp1 + "}}");
    assert_sv_equal(
        claims_with_client_capability(R"({"access_token":{"xms_cc":{"values":["cp2"]},"a":1}})"),
        std::string(R"({"access_token":{"a":1,)") + kCp1 + "}}");
}

void base64_challenges_are_decoded(void **) {
    // What Azure AD's CAE challenge carries: standard base64 of the JSON, and base64url.
    const std::string expected =
        std::string(R"({"access_token":{"nbf":{"essential":true,"value":"1604106651"},)") + kCp1 +
        "}}";
    assert_sv_equal(
        claims_with_client_capability("eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwid"
                                      "mFsdWUiOiIxNjA0MTA2NjUxIn19fQ=="),
        expected);
    assert_sv_equal(claims_with_client_capability("e30"),
                    std::string(R"({"access_token":{)") + kCp1 + "}}");  // "{}", unpadded
}

void bad_challenges_are_refused(void **) {
    for (const char *bad : {"", "   ", "[1,2]", "not base64!", "bm90IGpzb24=",  // "not json"
                            R"({"access_token":"x"})", "{"}) {
        try {
            claims_with_client_capability(bad);
            fail_msg("accepted %s", bad);
        } catch (const aadcred::AdalError &e) {
            assert_int_equal(static_cast<int>(e.klass()),
                             static_cast<int>(aadcred::ErrorClass::invalid));
        }
    }
}

aadcred::HttpResponse reply(std::initializer_list<std::pair<std::string, std::string>> headers) {
    aadcred::HttpResponse r;
    r.status = 401;
    for (const auto &h : headers) r.headers.push_back(h);
    return r;
}

void the_probe_reply_names_the_tenant(void **) {
    using aadcred::authority_from_probe_reply;
    auto a = authority_from_probe_reply(
        reply({{"x-vss-resourcetenant",
                "00000000-0000-0000-0000-000000000000, 72F988BF-86F1-41AF-91AB-2D7CD011DB47"}}));
    assert_true(a.has_value());
    assert_sv_equal(*a, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47");
    // Without the header: a Bearer challenge on a well-known host, quoted or not.
    a = authority_from_probe_reply(
        reply({{"www-authenticate",
                "Basic realm=\"x\", Bearer authorization_uri=https://login.windows.net/"
                "contoso.onmicrosoft.com/oauth2/authorize"}}));
    assert_true(a.has_value());
    assert_sv_equal(*a, "https://login.windows.net/contoso.onmicrosoft.com");
    // Another host, the nil tenant or garbage: nothing.
    assert_false(
        authority_from_probe_reply(
            reply({{"www-authenticate", "Bearer authorization_uri=\"https://evil.test/t\""}}))
            .has_value());
    assert_false(authority_from_probe_reply(
                     reply({{"x-vss-resourcetenant", "00000000-0000-0000-0000-000000000000"}}))
                     .has_value());
    assert_false(
        authority_from_probe_reply(reply({{"x-vss-resourcetenant", "<script>"}})).has_value());
    assert_false(authority_from_probe_reply(reply({})).has_value());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cp1_is_merged_into_the_access_token_claims),
        cmocka_unit_test(base64_challenges_are_decoded),
        cmocka_unit_test(bad_challenges_are_refused),
        cmocka_unit_test(the_probe_reply_names_the_tenant),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
