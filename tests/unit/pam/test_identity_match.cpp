// Who may log in: the verified claim against PAM_USER (SPEC §6), including another
// user's perfectly valid token.

#include <string>

#include "../common/cmocka_cpp.hpp"
#include "identity_match.hpp"

namespace {

using aadcred_pam::match_identity;

void matches_with_the_domain_removed(void **) {
    assert_true(match_identity("alice@contoso.com", "contoso.com", "alice").ok);
    assert_true(match_identity("Alice@CONTOSO.com", "contoso.com", "aLiCe").ok);
}

void matches_the_whole_claim_without_domain(void **) {
    assert_true(match_identity("alice@contoso.com", "", "alice@contoso.com").ok);
    assert_true(match_identity("ALICE@contoso.com", "", "alice@Contoso.COM").ok);
    assert_false(match_identity("alice@contoso.com", "", "alice").ok);
}

void refuses_another_users_token(void **) {
    const auto r = match_identity("bob@contoso.com", "contoso.com", "alice");
    assert_false(r.ok);
    assert_string_equal(r.why.c_str(), "the claim names another user");
    assert_false(match_identity("alice2@contoso.com", "contoso.com", "alice").ok);
    assert_false(match_identity("alic@contoso.com", "contoso.com", "alice").ok);
}

void refuses_another_domain(void **) {
    assert_false(match_identity("alice@evil.example", "contoso.com", "alice").ok);
    assert_false(match_identity("alice@contoso.com.evil.example", "contoso.com", "alice").ok);
    assert_false(match_identity("alice", "contoso.com", "alice").ok);
    assert_false(match_identity("alice@sub.contoso.com", "contoso.com", "alice").ok);
    // A second '@' never reduces to a local name.
    assert_false(
        match_identity("alice@evil.example@contoso.com", "contoso.com", "alice@evil.example").ok);
}

void case_folding_is_ascii_only(void **) {
    // U+0130 (İ) lower-cases to "i" in Turkish locales; it must not match "i".
    assert_false(match_identity("\xc4\xb0"
                                "ce@contoso.com",
                                "contoso.com", "ice")
                     .ok);
    assert_true(match_identity("\xc3\xa9mile@contoso.com", "contoso.com", "\xc3\xa9mile").ok);
}

void refuses_empty_and_control_characters(void **) {
    assert_false(match_identity("", "", "").ok);
    assert_false(match_identity("", "contoso.com", "alice").ok);
    assert_false(match_identity("alice@contoso.com", "contoso.com", "").ok);
    assert_false(
        match_identity(std::string("alice\0x@contoso.com", 19), "contoso.com", "alice").ok);
    assert_false(match_identity("alice\n@contoso.com", "contoso.com", "alice\n").ok);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_with_the_domain_removed),
        cmocka_unit_test(matches_the_whole_claim_without_domain),
        cmocka_unit_test(refuses_another_users_token),
        cmocka_unit_test(refuses_another_domain),
        cmocka_unit_test(case_folding_is_ascii_only),
        cmocka_unit_test(refuses_empty_and_control_characters),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
