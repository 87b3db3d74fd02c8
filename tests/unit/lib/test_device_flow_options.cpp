// aadcred_context_acquire_token_with_device_code_ex: the caller's deadline ends the poll
// before the code's own expiry (and the code's expiry still ends it when it comes
// first), aadcred_context_cancel_request_to_get_token_with_device_code stops it from
// another thread at once, and bad options are refused; the C++ overload passes the
// deadline on. The authority is a closed local port: every poll fails to connect, which
// the poller retries until the deadline, so nothing leaves the machine and the time a
// poll takes is the deadline's alone. The clock is the real one: each poll takes a second
// or two, where ignoring the deadline would take the code's 900 s.

#include <stdlib.h>
#include <time.h>
#include <aadcred/aadcred.hpp>

#include <chrono>
#include <thread>

#include "lib_test.hpp"

namespace {

constexpr const char *kClosedAuthority = "https://127.0.0.1:1/contoso.onmicrosoft.com";
constexpr const char *kClient = "client-1";
// Polled every second, valid for 15 minutes.
constexpr const char *kLongCode =
    "{\"userCode\": \"ABCD-EFGH\", \"deviceCode\": \"DC-LONG\", \"verificationUrl\": "
    "\"https://microsoft.com/devicelogin\", \"expiresIn\": 900, \"interval\": 1, "
    "\"message\": \"Enter ABCD-EFGH\"}";
// Polled every second, valid for one.
constexpr const char *kShortCode =
    "{\"userCode\": \"ABCD-EFGH\", \"deviceCode\": \"DC-SHORT\", \"verificationUrl\": "
    "\"https://microsoft.com/devicelogin\", \"expiresIn\": 1, \"interval\": 1, "
    "\"message\": \"Enter ABCD-EFGH\"}";
// Far below the 900 s of kLongCode, far above what a poll bounded to 2 s takes.
constexpr double kWellBeforeExpiry = 20.0;

struct Poll {
    aadcred_context *context = nullptr;
    aadcred_user_code *code = nullptr;

    explicit Poll(const char *code_json) {
        aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
        options.validate_authority = 0;
        assert_int_equal(aadcred_context_new(&context, kClosedAuthority, &options), 0);
        assert_int_equal(aadcred_user_code_from_json(&code, code_json), 0);
    }
    ~Poll() {
        aadcred_user_code_free(code);
        aadcred_context_free(context);
    }
    Poll(const Poll &) = delete;
    Poll &operator=(const Poll &) = delete;

    /// Runs the poll; returns what it returned, its time in `seconds`.
    int run(const aadcred_device_flow_options *options, double &seconds) {
        const auto start = std::chrono::steady_clock::now();
        aadcred_token *token = nullptr;
        const int rc = aadcred_context_acquire_token_with_device_code_ex(&token, context, kResource,
                                                                         code, kClient, options);
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        assert_null(token);
        return rc;
    }
};

void expect_timeout(int rc) {
    expect_error(rc, AADCRED_ERROR, AADCRED_ERROR_CLASS_TIMEOUT,
                 "Timeout from \"get_token_with_polling\"");
}

/// Polls `code_json` until `deadline`; expects the timeout, returns the seconds it took.
double seconds_to_time_out(const char *code_json, int64_t deadline) {
    Poll poll(code_json);
    aadcred_device_flow_options options = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    options.deadline = deadline;
    double seconds = 0;
    expect_timeout(poll.run(&options, seconds));
    return seconds;
}

int64_t seconds_from_now(int64_t seconds) {
    return static_cast<int64_t>(time(nullptr)) + seconds;
}

void the_deadline_ends_the_poll_before_the_code_expires(void **) {
    assert_true(seconds_to_time_out(kLongCode, seconds_from_now(2)) < kWellBeforeExpiry);
}

void a_deadline_already_past_ends_the_poll_at_once(void **) {
    assert_true(seconds_to_time_out(kLongCode, 1) < 1.0);  // 1970
}

void the_codes_expiry_still_ends_it_when_earlier(void **) {
    assert_true(seconds_to_time_out(kShortCode, seconds_from_now(3600)) < kWellBeforeExpiry);
    // The default deadline 0, or no options: the code's expiry alone.
    assert_true(seconds_to_time_out(kShortCode, 0) < kWellBeforeExpiry);
    Poll defaults(kShortCode);
    double seconds = 0;
    expect_timeout(defaults.run(nullptr, seconds));
    assert_true(seconds < kWellBeforeExpiry);
}

void cancel_from_another_thread_stops_the_poll(void **) {
    Poll poll(kLongCode);
    aadcred_device_flow_options options = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    options.deadline = seconds_from_now(600);
    int rc = 0;
    double seconds = 0;
    std::thread poller([&] { rc = poll.run(&options, seconds); });
    // Refused until the poll has registered the code: then it is cancelled.
    int cancelled = -1;
    for (int attempt = 0; attempt < 500 && cancelled != 0; ++attempt) {
        cancelled =
            aadcred_context_cancel_request_to_get_token_with_device_code(poll.context, poll.code);
        if (cancelled != 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    poller.join();
    assert_int_equal(cancelled, 0);
    assert_int_equal(rc, AADCRED_ECANCELLED);
    assert_true(seconds < kWellBeforeExpiry);
}

void bad_options_are_refused(void **) {
    Poll poll(kLongCode);
    aadcred_token *token = nullptr;
    aadcred_device_flow_options options = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    options.deadline = -1;
    expect_error(aadcred_context_acquire_token_with_device_code_ex(&token, poll.context, kResource,
                                                                   poll.code, kClient, &options),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "deadline must be 0");
    options = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    options.version = 0;
    expect_error(aadcred_context_acquire_token_with_device_code_ex(&token, poll.context, kResource,
                                                                   poll.code, kClient, &options),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "aadcred_device_flow_options version is 0");
    options.version = AADCRED_DEVICE_FLOW_OPTIONS_VERSION + 1;
    expect_error(aadcred_context_acquire_token_with_device_code_ex(&token, poll.context, kResource,
                                                                   poll.code, kClient, &options),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "newer than this library");
    expect_error(aadcred_context_acquire_token_with_device_code_ex(&token, poll.context, kResource,
                                                                   nullptr, kClient, nullptr),
                 AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                 "the user_code_info parameter is required");
    assert_null(token);
}

void the_cpp_overload_passes_the_deadline(void **) {
    aadcred::ContextOptions options;
    options.validate_authority = false;
    aadcred::AuthenticationContext context(kClosedAuthority, options);
    const auto code = aadcred::UserCodeInfo::from_json(kLongCode);
    aadcred::AuthenticationContext::DeviceFlowOptions flow;
    flow.deadline = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                    std::chrono::seconds(2);
    const auto start = std::chrono::steady_clock::now();
    try {
        context.acquire_token_with_device_code(kResource, code, kClient, flow);
        fail_msg("the poll of a closed port succeeded");
    } catch (const aadcred::AdalError &e) {
        assert_int_equal(e.code(), AADCRED_ERROR);
        assert_int_equal(e.klass(), AADCRED_ERROR_CLASS_TIMEOUT);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    assert_true(seconds < kWellBeforeExpiry);
}

}  // namespace

int main() {
    // A proxy from the environment would take the polls somewhere else.
    for (const char *name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        unsetenv(name);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_deadline_ends_the_poll_before_the_code_expires),
        cmocka_unit_test(a_deadline_already_past_ends_the_poll_at_once),
        cmocka_unit_test(the_codes_expiry_still_ends_it_when_earlier),
        cmocka_unit_test(cancel_from_another_thread_stops_the_poll),
        cmocka_unit_test(bad_options_are_refused),
        cmocka_unit_test(the_cpp_overload_passes_the_deadline),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
