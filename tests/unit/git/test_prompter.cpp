// What git-credential-aadcred shows for a device code (src/git/prompter.cpp) where there
// is no terminal: the lines on stderr, the time left once, and with aadcredQr the QR code
// of verification_uri_complete when the authority sent one, else of the page. Each case
// runs in a child in a session of its own, so it has no /dev/tty whoever runs the tests.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include <aadcred/aadcred.hpp>

#include "prompter.hpp"
#include "qr_text.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

constexpr const char *kPage = "https://microsoft.com/devicelogin";
constexpr const char *kComplete = "https://microsoft.com/devicelogin?otc=ABCD1234";

std::string code_json(bool complete) {
    std::string json = std::string(
                           "{\"userCode\": \"ABCD1234\", \"deviceCode\": \"DC-SECRET\", "
                           "\"verificationUrl\": \"") +
                       kPage +
                       "\", \"expiresIn\": 900, \"interval\": 5, \"message\": "
                       "\"To sign in, open " +
                       kPage + " and enter the code ABCD1234.\"";
    if (complete) json += std::string(", \"verificationUrlComplete\": \"") + kComplete + "\"";
    return json + "}";
}

/// What the prompter writes to stderr for SHOW then DONE, run with no terminal.
std::string shown(bool qr, bool complete) {
    char path[] = "/tmp/test_prompter.XXXXXX";
    const int fd = mkstemp(path);
    assert_true(fd >= 0);
    const pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        setsid();  // no controlling terminal: the prompt goes to stderr
        // A desktop of whoever runs the tests must not see a notification.
        unsetenv("DBUS_SESSION_BUS_ADDRESS");
        unsetenv("XDG_RUNTIME_DIR");
        dup2(fd, STDERR_FILENO);
        const aadcred::UserCodeInfo code = aadcred::UserCodeInfo::from_json(code_json(complete));
        gitcred::DeviceCodePrompter prompter("https://example.test/repo.git", qr);
        prompter(aadcred::PromptEvent::show, code);
        prompter(aadcred::PromptEvent::done, code);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    std::string text;
    char buf[4096];
    ssize_t n;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    close(fd);
    unlink(path);
    return text;
}

std::string qr_of(const char *text) {
    const std::string qr = aadcred::frontend::qr_text(text, aadcred::frontend::QrStyle::plain);
    return qr.empty() ? "(QR code unavailable: no libqrencode, or the URL is too long)" : qr;
}

const std::string kLines = std::string(
                               "git-credential-aadcred: sign-in needed for "
                               "https://example.test/repo.git\nTo sign in, open ") +
                           kPage + " and enter the code ABCD1234.\n";

void without_a_terminal_the_prompt_and_the_time_left_go_to_stderr(void **) {
    assert_sv_equal(shown(false, true), kLines + "Code expires in 15:00.\n");
}

void the_qr_code_encodes_the_complete_uri_when_there_is_one(void **) {
    const std::string text = shown(true, true);
    assert_sv_equal(text, kLines + qr_of(kComplete) + "\nCode expires in 15:00.\n");
    if (aadcred::frontend::qr_text(kPage, aadcred::frontend::QrStyle::plain).empty()) return;
    assert_true(text.find(qr_of(kPage)) == std::string::npos);
}

void the_qr_code_encodes_the_page_without_one(void **) {
    assert_sv_equal(shown(true, false), kLines + qr_of(kPage) + "\nCode expires in 15:00.\n");
}

void the_device_code_is_never_shown(void **) {
    assert_true(shown(true, true).find("DC-SECRET") == std::string::npos);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_a_terminal_the_prompt_and_the_time_left_go_to_stderr),
        cmocka_unit_test(the_qr_code_encodes_the_complete_uri_when_there_is_one),
        cmocka_unit_test(the_qr_code_encodes_the_page_without_one),
        cmocka_unit_test(the_device_code_is_never_shown),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
