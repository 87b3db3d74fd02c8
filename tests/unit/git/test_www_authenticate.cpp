// WWW-Authenticate challenges as git forwards them (src/git/www_authenticate.cpp): several
// challenges in one value, quoted and unquoted params, token68, and the claims of a
// Continuous Access Evaluation challenge.

#include <string>
#include <string_view>
#include <vector>

#include "www_authenticate.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

// {"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}, as Azure AD sends it.
constexpr std::string_view kCaeClaims =
    "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";

void one_value_may_hold_several_challenges(void **) {
    const auto challenges = gitcred::parse_challenges(
        "Bearer authorization_uri=https://login.microsoftonline.com/tid, "
        "Basic realm=\"https://dev.azure.com/\", TFS-Federated, Negotiate YII=");
    assert_int_equal(challenges.size(), 4);
    assert_true(challenges[0].is("bearer"));
    assert_sv_equal(*challenges[0].param("Authorization_URI"),
                    "https://login.microsoftonline.com/tid");
    assert_true(challenges[1].is("Basic"));
    assert_sv_equal(*challenges[1].param("realm"), "https://dev.azure.com/");
    assert_true(challenges[2].is("TFS-Federated"));
    assert_true(challenges[2].params.empty());
    assert_true(challenges[3].is("Negotiate"));
    assert_true(challenges[3].params.empty());
}

void quoted_values_are_unescaped(void **) {
    const auto challenges =
        gitcred::parse_challenges(R"(Bearer realm="a \"b\", c", error="insufficient_claims")");
    assert_int_equal(challenges.size(), 1);
    assert_sv_equal(*challenges[0].param("realm"), "a \"b\", c");
    assert_sv_equal(*challenges[0].param("error"), "insufficient_claims");
    assert_false(challenges[0].param("claims").has_value());
}

void an_unterminated_quote_keeps_what_came_before(void **) {
    const auto challenges = gitcred::parse_challenges("Basic realm=x, Bearer claims=\"abc");
    assert_int_equal(challenges.size(), 2);
    assert_sv_equal(*challenges[0].param("realm"), "x");
    assert_false(challenges[1].param("claims").has_value());
}

void claims_come_from_a_bearer_challenge(void **) {
    const std::string cae = std::string(
                                "Bearer realm=\"\", authorization_uri=\"https://login."
                                "microsoftonline.com/common/oauth2/authorize\", "
                                "error=\"insufficient_claims\", claims=\"") +
                            std::string(kCaeClaims) + "\"";
    const std::vector<std::string_view> wwwauth = {"Basic realm=\"x\", claims=\"not-bearer\"", cae};
    const auto claims = gitcred::claims_from_challenges(wwwauth);
    assert_true(claims.has_value());
    assert_sv_equal(*claims, kCaeClaims);
    // None at all, or only outside a Bearer challenge, or empty: none.
    assert_false(gitcred::claims_from_challenges({}).has_value());
    assert_false(
        gitcred::claims_from_challenges({"Basic realm=\"x\", claims=\"abc\""}).has_value());
    assert_false(gitcred::claims_from_challenges({"Bearer claims=\"\""}).has_value());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_value_may_hold_several_challenges),
        cmocka_unit_test(quoted_values_are_unescaped),
        cmocka_unit_test(an_unterminated_quote_keeps_what_came_before),
        cmocka_unit_test(claims_come_from_a_bearer_challenge),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
