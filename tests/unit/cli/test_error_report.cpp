// How the CLI tells a failed library call (src/cli/output.cpp, invocation.cpp): the
// aadcred::AdalError that escapes a command becomes the stderr lines, the --json error
// object on stdout and the exit code of SPEC §4; settings the library refuses exit 2; the
// device code prompt shows the code (prompter.cpp).

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "config.hpp"
#include "invocation.hpp"
#include "options.hpp"
#include "output.hpp"
#include "prompter.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::AdalError;
using aadcred::cli::error_lines;
using aadcred::cli::exit_code_for;
using aadcred::cli::report_error;
using aadcred::cli::run_reporting_errors;
using aadcred::cli::SettingsRefused;

struct Output {
    int code = -1;
    std::string out;
    std::string err;
};

std::string read_all(std::FILE *file) {
    std::string text;
    std::rewind(file);
    char buffer[512];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
    std::fclose(file);
    return text;
}

// Runs `body` with stdout and stderr going to files, and returns what each received.
Output capture(const std::function<int()> &body) {
    std::fflush(stdout);
    std::fflush(stderr);
    std::FILE *out = std::tmpfile();
    std::FILE *err = std::tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    const int saved_out = dup(STDOUT_FILENO);
    const int saved_err = dup(STDERR_FILENO);
    dup2(fileno(out), STDOUT_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    Output result;
    result.code = body();
    std::fflush(stdout);
    std::fflush(stderr);
    dup2(saved_out, STDOUT_FILENO);
    dup2(saved_err, STDERR_FILENO);
    close(saved_out);
    close(saved_err);
    result.out = read_all(out);
    result.err = read_all(err);
    return result;
}

void the_exit_codes_follow_spec_4(void **) {
    assert_int_equal(exit_code_for(AADCRED_OK), 0);
    assert_int_equal(exit_code_for(AADCRED_ERROR), 1);
    assert_int_equal(exit_code_for(AADCRED_ECANCELLED), 1);
    assert_int_equal(exit_code_for(AADCRED_EUNREACHABLE), 1);
    assert_int_equal(exit_code_for(AADCRED_ESTORE), 1);
    assert_int_equal(exit_code_for(AADCRED_ENOTFOUND), 1);
    assert_int_equal(exit_code_for(AADCRED_EINVALID), 2);
    assert_int_equal(exit_code_for(AADCRED_EINTERACTION_REQUIRED), 3);
}

void the_lines_add_what_the_message_lacks(void **) {
    using Lines = std::vector<std::string>;
    assert_true(error_lines(AADCRED_ECANCELLED, "Polling cancelled", "", "") == Lines{"cancelled"});
    assert_true(error_lines(AADCRED_EINTERACTION_REQUIRED, "x", "", "") ==
                Lines{"a sign-in is needed but --no-prompt forbids it; run 'aadcred token' "
                      "without --no-prompt to sign in"});
    assert_true(error_lines(AADCRED_ERROR, "", "", "") == Lines{"failed (library error -1)"});
    // The OAuth error and the description's first line, when the message lacks them.
    assert_true(
        error_lines(AADCRED_ERROR, "Unexpected polling state", "authorization_declined",
                    "AADSTS70000: declined\r\nTrace ID: 1") ==
        (Lines{"Unexpected polling state", "authorization_declined: AADSTS70000: declined"}));
    // Nothing twice.
    assert_true(error_lines(AADCRED_ERROR, "Unexpected polling state authorization_declined",
                            "authorization_declined",
                            "") == Lines{"Unexpected polling state authorization_declined"});
    assert_true(error_lines(AADCRED_ERROR,
                            "Get Token request returned http error: 400 and "
                            "server response: AADSTS1: bad",
                            "invalid_grant", "AADSTS1: bad") ==
                (Lines{"Get Token request returned http error: 400 and server response: AADSTS1: "
                       "bad",
                       "invalid_grant"}));
    assert_true(error_lines(AADCRED_ERROR, "m", "", "\nsecond line only") == Lines{"m"});
    // Issue 11: the library's code for an untrusted CA becomes the option that cures it,
    // and so does Azure AD's refusal of an unknown authority host.
    const Lines tls = error_lines(AADCRED_EUNREACHABLE,
                                  "TLS error talking to h (https://h/t): "
                                  "SSL certificate problem",
                                  AADCRED_ERROR_TLS_UNTRUSTED_CA, "");
    assert_int_equal(tls.size(), 2);
    assert_true(tls[1].find("--ca-file") != std::string::npos);
    assert_true(tls[1].find("tls_untrusted_ca") == std::string::npos);
    const Lines instance =
        error_lines(AADCRED_ERROR,
                    "Instance Discovery request returned http error: 400 and server "
                    "response: {\"error\":\"invalid_instance\"}",
                    "invalid_instance", "");
    assert_int_equal(instance.size(), 2);
    assert_true(instance[1].find("--no-validate-authority") != std::string::npos);
}

void an_error_goes_to_stderr_and_with_json_to_stdout(void **) {
    const AdalError error(AADCRED_ECANCELLED, AADCRED_ERROR_CLASS_CANCELLED, "Polling cancelled");
    Output plain = capture([&] { return report_error(error, false); });
    assert_int_equal(plain.code, 1);
    assert_sv_equal(plain.err, "aadcred: cancelled\n");
    assert_sv_equal(plain.out, "");

    Output json = capture([&] { return report_error(error, true); });
    assert_int_equal(json.code, 1);
    assert_sv_equal(json.err, "aadcred: cancelled\n");
    assert_sv_equal(json.out,
                    "{\"error\":null,\"error_description\":null,\"error_codes\":[],"
                    "\"correlation_id\":null,\"error_response\":null,"
                    "\"message\":\"Polling cancelled\"}\n");

    // Another code: its lines and exit code, the same error object.
    Output as_error = capture([&] { return report_error(error, false, AADCRED_ERROR); });
    assert_int_equal(as_error.code, 1);
    assert_sv_equal(as_error.err, "aadcred: Polling cancelled\n");

    // Server text is sanitised before a terminal sees it.
    const AdalError hostile(AADCRED_ERROR, AADCRED_ERROR_CLASS_SERVER, "bad\x1b[2Jthing");
    Output sanitised = capture([&] { return report_error(hostile, false); });
    assert_null(std::strchr(sanitised.err.c_str(), '\x1b'));
}

void an_escaping_error_is_reported_with_its_exit_code(void **) {
    Output ok = capture([] { return run_reporting_errors(false, [] { return 0; }); });
    assert_int_equal(ok.code, 0);
    assert_sv_equal(ok.err, "");

    Output interaction = capture([] {
        return run_reporting_errors(false, []() -> int {
            throw AdalError(AADCRED_EINTERACTION_REQUIRED, AADCRED_ERROR_CLASS_NONE, "needed");
        });
    });
    assert_int_equal(interaction.code, 3);

    // A failure the library itself recorded (aadcred_error_last), with --json.
    std::string message;
    Output invalid = capture([&] {
        return run_reporting_errors(true, [&]() -> int {
            try {
                (void)aadcred::UserCodeInfo::from_json("[]");
            } catch (const AdalError &e) {
                message = e.message();
                throw;
            }
            return 0;
        });
    });
    assert_int_equal(invalid.code, 2);
    assert_false(message.empty());
    assert_sv_equal(invalid.err, "aadcred: " + message + "\n");
    assert_true(invalid.out.starts_with("{\"error\":null,"));

    // Settings the library refused exit 2 whatever the code.
    Output refused = capture([] {
        return run_reporting_errors(false, []() -> int {
            throw SettingsRefused(
                AdalError(AADCRED_ESTORE, AADCRED_ERROR_CLASS_STORE, "no such store"));
        });
    });
    assert_int_equal(refused.code, 2);
    assert_sv_equal(refused.err, "aadcred: no such store\n");

    // Anything else is main()'s to report.
    bool passed_through = false;
    try {
        (void)run_reporting_errors(false, []() -> int {
            throw aadcred::cli::UsageError("bad", aadcred::cli::Command::token);
        });
    } catch (const aadcred::cli::UsageError &) {
        passed_through = true;
    }
    assert_true(passed_through);
}

aadcred::cli::Settings settings() {
    aadcred::cli::Settings s;
    s.authority = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
    s.client_id = "client-1";
    s.resource = "https://management.core.windows.net/";
    s.store = "memory";
    return s;
}

void refused_settings_throw_settings_refused(void **) {
    aadcred::cli::Settings bad_timeout = settings();
    bad_timeout.timeout = 100000;
    bool refused = false;
    try {
        (void)aadcred::cli::make_provider(bad_timeout, false);
    } catch (const SettingsRefused &e) {
        refused = std::string(e.what()).find("timeout") != std::string::npos;
    }
    assert_true(refused);

    aadcred::cli::Settings http = settings();
    http.authority = "http://login.microsoftonline.com/contoso.onmicrosoft.com";
    refused = false;
    try {
        (void)aadcred::cli::make_context(http);
    } catch (const SettingsRefused &e) {
        refused = std::string(e.what()) == "The authority url must be an https endpoint.";
    }
    assert_true(refused);

    // Good settings make both.
    aadcred::CredentialProvider provider = aadcred::cli::make_provider(settings(), true);
    assert_non_null(provider.handle());
    aadcred::AuthenticationContext context = aadcred::cli::make_context(settings());
    assert_non_null(context.handle());
}

void the_prompt_shows_the_page_and_the_code(void **) {
    const aadcred::UserCodeInfo code = aadcred::UserCodeInfo::from_json(
        "{\"userCode\": \"ABCD-EFGH\", \"deviceCode\": \"DC123\", \"verificationUrl\": "
        "\"https://microsoft.com/devicelogin\", \"expiresIn\": 900, \"interval\": 5, "
        "\"message\": \"Sign in somewhere\"}");
    // With no terminal the prompter may also try a desktop notification: never from a
    // unit test on somebody's desktop.
    unsetenv("DBUS_SESSION_BUS_ADDRESS");
    unsetenv("XDG_RUNTIME_DIR");
    Output shown = capture([&] {
        aadcred::cli::Prompter prompter(false);  // stderr is a file: no countdown thread
        const bool go_on = prompter(aadcred::PromptEvent::show, code) &&
                           prompter(aadcred::PromptEvent::done, code);
        return go_on ? 0 : 1;
    });
    assert_int_equal(shown.code, 0);
    // The server's message names neither the page nor the code: ours replaces it.
    assert_sv_equal(shown.err,
                    "To sign in, use a web browser to open the page "
                    "https://microsoft.com/devicelogin and enter the code ABCD-EFGH to "
                    "authenticate.\nCode expires in 15:00.\n");
    assert_null(std::strstr(shown.err.c_str(), "DC123"));
    assert_sv_equal(shown.out, "");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_exit_codes_follow_spec_4),
        cmocka_unit_test(the_lines_add_what_the_message_lacks),
        cmocka_unit_test(an_error_goes_to_stderr_and_with_json_to_stdout),
        cmocka_unit_test(an_escaping_error_is_reported_with_its_exit_code),
        cmocka_unit_test(refused_settings_throw_settings_refused),
        cmocka_unit_test(the_prompt_shows_the_page_and_the_code),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
