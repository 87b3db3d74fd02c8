// What the person reads: the instructions and the QR code.

#include <cstring>
#include <string>

#include "../common/cmocka_cpp.hpp"
#include "prompt_text.hpp"
#include "qr_text.hpp"

namespace {

using aadcred_pam::SignInDetails;

void names_host_user_url_and_code(void **) {
    const std::string text = aadcred_pam::sign_in_message(SignInDetails{
        "alice", "build01", "203.0.113.7", "https://microsoft.com/devicelogin", "ABCD-EFGH", 120});
    assert_string_equal(text.c_str(),
                        "Azure AD sign-in for alice on build01 (connection from 203.0.113.7).\n"
                        "To sign in, use a web browser to open https://microsoft.com/devicelogin\n"
                        "and enter the code ABCD-EFGH within 120 seconds.");
    const std::string local =
        aadcred_pam::sign_in_message(SignInDetails{"alice", "build01", "", "https://x", "C", 5});
    assert_null(strstr(local.c_str(), "connection from"));
}

void cleans_server_text(void **) {
    // An authority (or a reverse DNS name) must not reach the terminal with escapes.
    const std::string text = aadcred_pam::sign_in_message(
        SignInDetails{"alice", "h", "evil\x1b[2J", "https://x/\x1b]0;pwned\x07", "AB\r\nCD", 1});
    assert_null(strchr(text.c_str(), '\x1b'));
    assert_null(strchr(text.c_str(), '\x07'));
    assert_null(strchr(text.c_str(), '\r'));
    assert_non_null(strstr(text.c_str(), "code AB??CD within"));
    assert_int_equal(aadcred_pam::clean_text(std::string(1000, 'a'), 10).size(), 10);
    // The whole message stays under Linux-PAM's PAM_MAX_MSG_SIZE.
    const std::string huge(5000, 'x');
    assert_true(
        aadcred_pam::sign_in_message(SignInDetails{huge, huge, huge, huge, huge, 1}).size() < 512);
}

void draws_a_qr_code(void **) {
    const std::string qr = aadcred_pam::qr_text("https://microsoft.com/devicelogin");
#if AADCRED_PAM_HAVE_QRENCODE
    assert_false(qr.empty());
    assert_non_null(strstr(qr.c_str(), "\u2588"));
    // Square: every line has the same number of cells.
    const auto first = qr.find('\n');
    assert_true(first != std::string::npos);
    assert_true(aadcred_pam::qr_text(std::string(300, 'a')).empty());  // too long to scan
#else
    assert_true(qr.empty());
#endif
    assert_true(aadcred_pam::qr_text("").empty());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_host_user_url_and_code),
        cmocka_unit_test(cleans_server_text),
        cmocka_unit_test(draws_a_qr_code),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
