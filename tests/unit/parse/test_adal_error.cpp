// AdalError::from_server_reply: Azure AD's error body becomes data on the error.

#include "core/adal_error.hpp"

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static void azure_ad_error_body(void **) {
    // The invalid_client reply of reference §4, as Azure AD sends it.
    const std::string body =
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client )"
        R"(secret is provided.\r\nTrace ID: x\r\nCorrelation ID: y\r\nTimestamp: 2019-09-16 )"
        R"(10:18:35Z","error_codes":[7000215],"timestamp":"2019-09-16 10:18:35Z",)"
        R"("trace_id":"x","correlation_id":"y","error_uri":"https://login.microsoftonline.com/)"
        R"(error?code=7000215"})";
    const std::string message =
        "Get Token request returned http error: 401 and server response: " + body;
    const AdalError e = AdalError::from_server_reply(message, body);
    assert_int_equal(e.klass(), ErrorClass::server);
    assert_sv_equal(e.what(), message);
    assert_sv_equal(e.error(), "invalid_client");
    assert_sv_equal(e.error_description(),
                    "AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: x\r\n"
                    "Correlation ID: y\r\nTimestamp: 2019-09-16 10:18:35Z");
    assert_int_equal(e.error_codes().size(), 1);
    assert_int_equal(e.error_codes()[0], 7000215);
    assert_sv_equal(e.correlation_id(), "y");
    assert_sv_equal(e.error_response(), body);
}

static void bodies_that_are_not_error_objects(void **) {
    for (const char *body : {"", "<html>Bad Gateway</html>", "[1,2]", "\"text\"", "{\"error\":"}) {
        const AdalError e = AdalError::from_server_reply("m", body);
        assert_int_equal(e.klass(), ErrorClass::server);
        // A JSON document cut short may be a token reply: only its size is kept.
        assert_sv_equal(e.error_response(), std::strcmp(body, "{\"error\":") == 0
                                                ? "the reply was not valid JSON (9 bytes)"
                                                : body);
        assert_true(e.error().empty());
        assert_true(e.error_description().empty());
        assert_true(e.error_codes().empty());
        assert_true(e.correlation_id().empty());
    }
}

// Issue 9: an error reply is kept as error_response and quoted in the message, which go
// to terminals, --json output and logs: no token may ride along.
static void tokens_never_stay_in_an_error(void **) {
    const std::string with_tokens =
        R"({"error":"invalid_grant","access_token":"live-AT","nested":[{"refresh_token":"live-RT"}],"x":"eyJhbGciOi.e30.sig"})";
    const AdalError e = AdalError::from_server_reply(
        "Get Token request returned http error: 400 and server response: " + with_tokens,
        with_tokens);
    const std::string blanked =
        R"({"error":"invalid_grant","access_token":"...","nested":[{"refresh_token":"..."}],"x":"..."})";
    assert_sv_equal(e.error_response(), blanked);
    assert_sv_equal(e.message(),
                    "Get Token request returned http error: 400 and server response: " + blanked);
    assert_sv_equal(e.error(), "invalid_grant");

    // Not JSON: kept when nothing in it can be a token, else only its size.
    for (const char *cut : {R"({"token_type":"Bearer","access_token":"live-AT)", " \n[\"live",
                            "ACCESS_TOKEN=live-AT", "token eyJhbGciOi.e30"}) {
        const AdalError t = AdalError::from_server_reply(std::string("m: ") + cut, cut);
        const std::string size = std::to_string(std::strlen(cut));
        assert_sv_equal(t.error_response(), "the reply was not valid JSON (" + size + " bytes)");
        assert_sv_equal(t.message(), "m: the reply was not valid JSON (" + size + " bytes)");
    }
    AdalError built(ErrorClass::protocol, "m");
    built.with_error_response(R"({"token_type":"Bearer","access_token":"live)");
    assert_sv_equal(built.error_response(), "the reply was not valid JSON (43 bytes)");
    assert_sv_equal(error_body_without_secrets("\"eyJhbGciOi.e30.x\""),
                    "the reply was not valid JSON (18 bytes)");
    assert_sv_equal(error_body_without_secrets("<html>502 Bad Gateway</html>"),
                    "<html>502 Bad Gateway</html>");
}

static void wrong_types_are_ignored(void **) {
    const AdalError e = AdalError::from_server_reply(
        "m", R"({"error":5,"error_description":null,"error_codes":["7",8,1.5,[]],)"
             R"("correlation_id":{}})");
    assert_true(e.error().empty());
    assert_true(e.error_description().empty());
    assert_int_equal(e.error_codes().size(), 1);
    assert_int_equal(e.error_codes()[0], 8);
    assert_true(e.correlation_id().empty());
}

static void error_codes_are_capped(void **) {
    std::string body = R"({"error":"x","error_codes":[)";
    for (int i = 0; i < 10000; ++i) body += (i ? ",1" : "1");
    body += "]}";
    const AdalError e = AdalError::from_server_reply("m", body);
    assert_true(e.error_codes().size() <= 32);
    assert_sv_equal(e.error(), "x");
}

static void builders(void **) {
    AdalError e(ErrorClass::protocol, "wire_response is missing token_type");
    e.with_error_response("{}").with_error("e", "d").with_correlation_id("c");
    assert_sv_equal(e.message(), "wire_response is missing token_type");
    assert_sv_equal(e.error_response(), "{}");
    assert_sv_equal(e.error(), "e");
    assert_sv_equal(e.error_description(), "d");
    assert_sv_equal(e.correlation_id(), "c");
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(azure_ad_error_body),
        cmocka_unit_test(bodies_that_are_not_error_objects),
        cmocka_unit_test(tokens_never_stay_in_an_error),
        cmocka_unit_test(wrong_types_are_ignored),
        cmocka_unit_test(error_codes_are_capped),
        cmocka_unit_test(builders),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
