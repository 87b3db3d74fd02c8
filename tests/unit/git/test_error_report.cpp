// How git-credential-aadcred reports a failed libaadcred call (src/git/error_report.cpp):
// the exit status for each aadcred::AdalError code (git_exit.hpp) and the stderr text,
// which quotes the server and so must be made safe to show.

#include <string>

#include <aadcred/aadcred.hpp>

#include "error_report.hpp"
#include "git_exit.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

aadcred::AdalError failure(int code, std::string message = "it failed") {
    return aadcred::AdalError(code, AADCRED_ERROR_CLASS_SERVER, std::move(message));
}

void each_code_has_the_status_the_helper_always_gave(void **) {
    assert_int_equal(gitcred::exit_for(failure(AADCRED_EINTERACTION_REQUIRED)),
                     gitcred::kExitInteractionRequired);
    assert_int_equal(gitcred::exit_for(failure(AADCRED_EINVALID)), gitcred::kExitUsage);
    for (const int code : {AADCRED_ERROR, AADCRED_ENOTFOUND, AADCRED_ECANCELLED,
                           AADCRED_EUNREACHABLE, AADCRED_ESTORE}) {
        assert_int_equal(gitcred::exit_for(failure(code)), gitcred::kExitAuthFailed);
    }
}

void the_text_is_the_message_when_it_is_plain(void **) {
    assert_sv_equal(gitcred::error_text(failure(AADCRED_ERROR, "AADSTS70000: invalid grant")),
                    "AADSTS70000: invalid grant");
    assert_sv_equal(gitcred::error_text(failure(AADCRED_ERROR, "")), "");
}

void a_servers_escapes_and_line_breaks_do_not_reach_the_terminal(void **) {
    const std::string text = gitcred::error_text(
        failure(AADCRED_ERROR, "denied\x1b[2J\x1b]0;owned\x07\r\ngit-credential-aadcred: ok"));
    assert_sv_equal(text, "denied[2J]0;owned git-credential-aadcred: ok");
}

void a_wall_of_text_is_cut(void **) {
    const std::string text = gitcred::error_text(failure(AADCRED_ERROR, std::string(100000, 'x')));
    assert_true(text.size() <= 2048);
    assert_true(text.size() > 1000);
    assert_sv_equal(text.substr(0, 10), "xxxxxxxxxx");
}

void a_cause_a_setting_cures_names_the_git_setting(void **) {
    const std::string remote = "https://git.example.com";
    const std::string ca = gitcred::setting_hint(AADCRED_ERROR_TLS_UNTRUSTED_CA, remote);
    assert_true(ca.find("credential.https://git.example.com.aadcredCaFile") != std::string::npos);
    const std::string instance = gitcred::setting_hint(AADCRED_ERROR_INVALID_INSTANCE, remote);
    assert_true(
        instance.find("credential.https://git.example.com.aadcredValidateAuthority false") !=
        std::string::npos);
    assert_sv_equal(gitcred::setting_hint("invalid_grant", remote), "");
    assert_sv_equal(gitcred::setting_hint("", remote), "");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_code_has_the_status_the_helper_always_gave),
        cmocka_unit_test(the_text_is_the_message_when_it_is_plain),
        cmocka_unit_test(a_servers_escapes_and_line_breaks_do_not_reach_the_terminal),
        cmocka_unit_test(a_wall_of_text_is_cut),
        cmocka_unit_test(a_cause_a_setting_cures_names_the_git_setting),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
