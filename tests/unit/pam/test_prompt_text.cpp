// What the person reads: the instructions (the QR code: tests/unit/frontend/test_qr_text.cpp).

#include <algorithm>
#include <cstring>
#include <string>

#include "../common/cmocka_cpp.hpp"
#include "display_text.hpp"
#include "prompt_text.hpp"

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
    // CR LF is whitespace: one space, as git and the CLI show it.
    assert_non_null(strstr(text.c_str(), "code AB CD within"));
    assert_non_null(strstr(text.c_str(), "(connection from evil[2J)"));
    assert_string_equal(aadcred_pam::clean_text(std::string(1000, 'a'), 10).c_str(), "aaaaaaa...");
    // The whole message stays under Linux-PAM's PAM_MAX_MSG_SIZE.
    const std::string huge(5000, 'x');
    assert_true(
        aadcred_pam::sign_in_message(SignInDetails{huge, huge, huge, huge, huge, 1}).size() < 512);
}

// The user code a hostile authority sends in tests/integration/test_display_text.py: PAM
// shows it as the git helper and the CLI do there.
void cleans_like_git_and_the_cli(void **) {
    const std::string text = aadcred_pam::sign_in_message(SignInDetails{
        "alice", "h", "", "https://x/\u202edevice\u2066", "ABCD1234\u202e\u200b\x1b[31m\r\nX", 1});
    assert_non_null(strstr(text.c_str(), "open https://x/device\n"));
    assert_non_null(strstr(text.c_str(), "code ABCD1234[31m X within"));
    // Where the front ends' sanitiser leaves ASCII, PAM shows exactly the same...
    for (const char *hostile : {"AB\u202eCD\u200f\x1b[0m\xc2\x9b", "a\u2028b\u00a0c\x7f",
                                "zero\u200bwidth\ufeff \u061cmark\u2069"}) {
        const std::string everyone = aadcred::frontend::display_text(hostile, 4096);
        assert_true(std::all_of(everyone.begin(), everyone.end(),
                                [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
        assert_string_equal(aadcred_pam::clean_text(hostile, 4096).c_str(), everyone.c_str());
    }
    // ...and it folds the rest to '?': a PAM conversation has no charset.
    assert_string_equal(aadcred_pam::clean_text("Gr\u00fc\u00dfe \xff", 64).c_str(), "Gr??e ?");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_host_user_url_and_code),
        cmocka_unit_test(cleans_server_text),
        cmocka_unit_test(cleans_like_git_and_the_cli),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
