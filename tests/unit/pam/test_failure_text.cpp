// What the person reads when the sign-in fails: the cause they can act on.

#include <aadcred/aadcred.hpp>

#include <string>

#include "../common/cmocka_cpp.hpp"
#include "failure_text.hpp"

namespace {

using aadcred_pam::Failure;
using aadcred_pam::FailureDetails;

std::string message(Failure kind, int seconds = 0) {
    FailureDetails d;
    d.kind = kind;
    d.user = "alice";
    d.authority = "https://login.microsoftonline.com/contoso";
    d.seconds = seconds;
    d.what = "cannot start the device code sign-in";
    return aadcred_pam::failure_message(d);
}

void each_cause_has_its_words(void **) {
    assert_string_equal(message(Failure::declined).c_str(),
                        "Azure AD sign-in failed: the sign-in was declined.");
    assert_string_equal(
        message(Failure::timed_out, 120).c_str(),
        "Azure AD sign-in failed: nobody signed in with the code within 120 seconds. Log in "
        "again for a new code.");
    assert_string_equal(message(Failure::unreachable).c_str(),
                        "Azure AD sign-in failed: cannot reach the sign-in service "
                        "https://login.microsoftonline.com. Try again later or tell the "
                        "administrator.");
    assert_string_equal(message(Failure::other).c_str(),
                        "Azure AD sign-in failed: cannot start the device code sign-in.");
}

void the_wrong_account_is_named_and_cleaned(void **) {
    FailureDetails d;
    d.kind = Failure::wrong_account;
    d.user = "alice";
    d.signed_in = "bob@contoso.com\x1b[2J";
    const std::string text = aadcred_pam::failure_message(d);
    assert_string_equal(text.c_str(),
                        "Azure AD sign-in failed: you signed in as bob@contoso.com[2J, which is "
                        "not alice on this host. Log in again and sign in with alice's account.");
}

int kind_of(int code, aadcred_error_class klass) {
    return static_cast<int>(aadcred_pam::classify_failure(aadcred::AdalError(code, klass, "")));
}

void no_library_error_is_other(void **) {
    assert_int_equal(kind_of(AADCRED_ERROR, AADCRED_ERROR_CLASS_INTERNAL),
                     static_cast<int>(Failure::other));
    assert_int_equal(kind_of(AADCRED_EUNREACHABLE, AADCRED_ERROR_CLASS_NONE),
                     static_cast<int>(Failure::unreachable));
}

void the_error_class_names_the_cause(void **) {
    assert_int_equal(kind_of(AADCRED_ERROR, AADCRED_ERROR_CLASS_NETWORK),
                     static_cast<int>(Failure::unreachable));
    assert_int_equal(kind_of(AADCRED_ERROR, AADCRED_ERROR_CLASS_TIMEOUT),
                     static_cast<int>(Failure::timed_out));
    assert_int_equal(kind_of(AADCRED_ERROR, AADCRED_ERROR_CLASS_SERVER),
                     static_cast<int>(Failure::other));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_cause_has_its_words),
        cmocka_unit_test(the_wrong_account_is_named_and_cleaned),
        cmocka_unit_test(no_library_error_is_other),
        cmocka_unit_test(the_error_class_names_the_cause),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
