// UserCodeInfo JSON: SPEC's camelCase out, camelCase or ADAL's snake_case in.

#include "core/oauth2/user_code_info.hpp"

#include "core/json/json.hpp"

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

using namespace aadcred;
using unit_test::expect_error;

// What ADAL for Python's acquire_user_code returns (reference §3.1).
static const char kAdalDict[] =
    R"({"user_code": "ABCD-EFGH", "device_code": "DC123", )"
    R"("verification_url": "https://microsoft.com/devicelogin", "expires_in": 900, )"
    R"("interval": 5, "message": "To sign in, use a web browser to open the page )"
    R"(https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.", )"
    R"("correlation_id": "server-echo-corr-id"})";

static void reads_adal_snake_case(void **) {
    const UserCodeInfo info = UserCodeInfo::from_json(kAdalDict);
    assert_sv_equal(info.user_code, "ABCD-EFGH");
    assert_sv_equal(info.device_code.reveal(), "DC123");
    assert_sv_equal(info.verification_url, "https://microsoft.com/devicelogin");
    assert_int_equal(info.expires_in, 900);
    assert_int_equal(info.interval, 5);
    assert_non_null(std::strstr(info.message.c_str(), "enter the code ABCD-EFGH"));
    assert_sv_equal(info.correlation_id, "server-echo-corr-id");
    assert_int_equal(info.expires_at, 0);
    assert_true(info.verification_url_complete.empty());
}

static void writes_spec_camel_case(void **) {
    UserCodeInfo info = UserCodeInfo::from_json(kAdalDict);
    info.message = "m";
    info.expires_at = 1795729346;
    assert_sv_equal(info.to_json(),
                    R"({"userCode":"ABCD-EFGH","deviceCode":"DC123",)"
                    R"("verificationUrl":"https://microsoft.com/devicelogin","expiresIn":900,)"
                    R"("interval":5,"message":"m","correlationId":"server-echo-corr-id",)"
                    R"("expiresAt":1795729346})");
    info.correlation_id.clear();
    info.expires_at = 0;
    info.verification_url_complete = "https://microsoft.com/devicelogin?code=ABCD";
    const std::string out = info.to_json();
    assert_non_null(std::strstr(out.c_str(), R"("correlationId":null)"));
    assert_null(std::strstr(out.c_str(), "expiresAt"));
    assert_non_null(std::strstr(
        out.c_str(), R"("verificationUrlComplete":"https://microsoft.com/devicelogin?code=ABCD")"));
}

static void camel_case_round_trip(void **) {
    UserCodeInfo info;
    info.user_code = "WXYZ";
    info.device_code = SecretString(std::string_view("dc \"quoted\" \xc3\xa9"));
    info.verification_url = "https://example.test/device";
    info.verification_url_complete = "https://example.test/device?user_code=WXYZ";
    info.expires_in = 600;
    info.interval = 2;
    info.message = "line1\nline2";
    info.correlation_id = "c-1";
    info.expires_at = 42;
    const UserCodeInfo back = UserCodeInfo::from_json(info.to_json());
    assert_sv_equal(back.user_code, info.user_code);
    assert_true(back.device_code == info.device_code);
    assert_sv_equal(back.verification_url, info.verification_url);
    assert_sv_equal(back.verification_url_complete, info.verification_url_complete);
    assert_int_equal(back.expires_in, 600);
    assert_int_equal(back.interval, 2);
    assert_sv_equal(back.message, info.message);
    assert_sv_equal(back.correlation_id, "c-1");
    assert_int_equal(back.expires_at, 42);
    // The output is one valid JSON object.
    assert_true(json::parse(info.to_json()).IsObject());
}

static void rfc8628_names_and_numeric_strings(void **) {
    const UserCodeInfo info = UserCodeInfo::from_json(
        R"({"device_code":"d","user_code":"u","verification_uri":"https://v",)"
        R"("verification_uri_complete":"https://v?c=u","expires_in":"1800","interval":"5",)"
        R"("correlation_id":null})");
    assert_sv_equal(info.verification_url, "https://v");
    assert_sv_equal(info.verification_url_complete, "https://v?c=u");
    assert_int_equal(info.expires_in, 1800);
    assert_int_equal(info.interval, 5);
    assert_true(info.correlation_id.empty());
}

static void missing_fields_named_like_adal(void **) {
    struct Case {
        const char *json;
        const char *message;
    };
    const Case cases[] = {
        {"{}", "the user_code_info parameter is required"},
        {R"({"interval":5,"expires_in":900})", "the user_code_info is missing device_code"},
        {R"({"device_code":"","interval":5,"expires_in":900})",
         "the user_code_info is missing device_code"},
        {R"({"device_code":"d","expires_in":900})", "the user_code_info is missing interval"},
        {R"({"device_code":"d","interval":0,"expires_in":900})",
         "the user_code_info is missing interval"},
        {R"({"device_code":"d","interval":5})", "the user_code_info is missing expires_in"},
        {R"({"deviceCode":"d","interval":-1,"expiresIn":900})", "invalid refresh interval"},
    };
    for (const auto &c : cases) {
        const std::string msg =
            expect_error(ErrorClass::invalid, [&] { UserCodeInfo::from_json(c.json); });
        assert_sv_equal(msg, c.message);
    }
}

static void wrong_types_name_the_field(void **) {
    struct Case {
        const char *json;
        const char *field;
    };
    const Case cases[] = {
        {R"({"device_code":5,"interval":5,"expires_in":900})", "bad device_code"},
        {R"({"device_code":"d","interval":"soon","expires_in":900})", "bad interval"},
        {R"({"device_code":"d","interval":5,"expires_in":[900]})", "bad expires_in"},
        {R"({"device_code":"d","interval":5,"expires_in":900,"user_code":{}})", "bad user_code"},
        {R"({"device_code":"d","interval":5,"expires_in":900,"verification_uri":1})",
         "bad verification_url"},
        {R"({"device_code":"d","interval":5,"expires_in":900,"message":true})", "bad message"},
        {R"({"device_code":"d","interval":5,"expires_in":-900})", "bad expires_in"},
    };
    for (const auto &c : cases) {
        const std::string msg =
            expect_error(ErrorClass::invalid, [&] { UserCodeInfo::from_json(c.json); });
        assert_non_null(std::strstr(msg.c_str(), c.field));
    }
    const std::string msg = expect_error(ErrorClass::invalid, [] {
        UserCodeInfo::from_json(R"({"device_code":"d","interval":"x5","expires_in":900})");
    });
    assert_sv_equal(msg,
                    "the user_code_info has a bad interval: invalid literal for int() with "
                    "base 10: 'x5'");
}

static void not_json_or_not_an_object(void **) {
    for (const char *bad : {"", "nope", "[]", "null", "\"DC123\"", "{\"device_code\":"}) {
        expect_error(ErrorClass::invalid, [&] { UserCodeInfo::from_json(bad); });
    }
    const std::string deep = std::string(100000, '[');
    expect_error(ErrorClass::invalid, [&] { UserCodeInfo::from_json(deep); });
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_adal_snake_case),
        cmocka_unit_test(writes_spec_camel_case),
        cmocka_unit_test(camel_case_round_trip),
        cmocka_unit_test(rfc8628_names_and_numeric_strings),
        cmocka_unit_test(missing_fields_named_like_adal),
        cmocka_unit_test(wrong_types_name_the_field),
        cmocka_unit_test(not_json_or_not_an_object),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
