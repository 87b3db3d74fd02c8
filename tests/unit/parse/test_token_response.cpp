// parse_token_response: reference §4 step by step and the compatibility vectors of §6.1.
// Expected entries were printed by python3-adal 1.2.7's
// OAuth2Client._validate_token_response for the same bodies (expiresOn aside, which
// depends on now and is computed here for a fixed `now` and time zone).

#include "core/oauth2/token_response.hpp"

#include <cstdlib>
#include <ctime>

#include "util/base64.hpp"

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

using namespace aadcred;
using std::chrono::microseconds;
using std::chrono::system_clock;
using unit_test::expect_error;

namespace {

// V1: encoded_id_token of ADAL's tests/util.py (alg none, empty signature).
const char kV1[] =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJlOTU4YzA5YS1hYzM3LTQ5MDAtYjRkNy1mYjNlZWFmNz"
    "MzOGQiLCJpc3MiOiJodHRwczovL3N0cy53aW5kb3dzLm5ldC9jY2ViYTE0Yy02YTAwLTQ5YWMtYjgwNi04NGRlNTJi"
    "ZjFkNDIvIiwiaWF0IjoxMzkxNjQ1NDU4LCJuYmYiOjEzOTE2NDU0NTgsImV4cCI6MTM5MTY0OTM1OCwidmVyIjoiMS"
    "4wIiwidGlkIjoiY2NlYmExNGMtNmEwMC00OWFjLWI4MDYtODRkZTUyYmYxZDQyIiwib2lkIjoiYTQ0MzIwNGEtYWJj"
    "OS00Y2I4LWFkYzEtYzBkZmMxMjMwMGFhIiwidXBuIjoicnJhbmRhbGxAcnJhbmRhbGxhYWQxLm9ubWljcm9zb2Z0Lm"
    "NvbSIsInVuaXF1ZV9uYW1lIjoicnJhbmRhbGxAcnJhbmRhbGxhYWQxLm9ubWljcm9zb2Z0LmNvbSIsInN1YiI6IjRn"
    "VHY0RXRvWVctRFRvdzBiRG5KZDFBQTRzZkNoQmJqZXJtcXQ2UV9aYTQiLCJmYW1pbHlfbmFtZSI6IlJhbmRhbGwiLC"
    "JnaXZlbl9uYW1lIjoiUmljaCJ9.";

// V2: encoded_id_token_url_safe: '_' in the payload and a literal "==" before the dot.
const char kV2[] =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJlOTU4YzA5YS1hYzM3LTQ5MDAtYjRkNy1mYjNlZWFmNz"
    "MzOGQiLCJpc3MiOiJodHRwczovL3N0cy53aW5kb3dzLm5ldC9jY2ViYTE0Yy02YTAwLTQ5YWMtYjgwNi04NGRlNTJi"
    "ZjFkNDIvIiwiaWF0IjoxMzkxNjQ1NDU4LCJuYmYiOjEzOTE2NDU0NTgsImV4cCI6MTM5MTY0OTM1OCwidmVyIjoiMS"
    "4wIiwidGlkIjoiY2NlYmExNGMtNmEwMC00OWFjLWI4MDYtODRkZTUyYmYxZDQyIiwib2lkIjoiYTQ0MzIwNGEtYWJj"
    "OS00Y2I4LWFkYzEtYzBkZmMxMjMwMGFhIiwidXBuIjoiZm9vYmFyQHNvbWVwbGFjZWVsc2UuY29tIiwidW5pcXVlX2"
    "5hbWUiOiJycmFuZGFsbEBycmFuZGFsbGFhZDEub25taWNyb3NvZnQuY29tIiwic3ViIjoiNGdUdjRFdG9ZVy1EVG93"
    "MGJEbkpkMUFBNHNmQ2hCYmplcm1xdDZRX1phNCIsImZhbWlseV9uYW1lIjoiUmFuZGFsbCIsImdpdmVuX25hbWUiOi"
    "JSaTw_Y2gifQ==.";

// A time zone that needs no tzdata and is not UTC, so "local time" is really tested.
void eastern_time() {
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
}

// datetime(2026,11,26,17,42,25,827652) in EST is 1795732945.827652; 3599 s earlier:
const system_clock::time_point kNow{microseconds(1795729346827652LL)};

std::string body_with_id_token(std::string_view id_token) {
    return R"({"token_type":"Bearer","access_token":"AT","id_token":")" + std::string(id_token) +
           R"("})";
}

std::string id_token_for(std::string_view payload_json) {
    return "hdr." + base64url_encode(payload_json) + ".sig";
}

bool is_uuid4(std::string_view s) {
    return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[14] == '4' && s[18] == '-' &&
           s[23] == '-';
}

}  // namespace

static void aad_v1_device_code_reply(void **) {
    eastern_time();
    // What Azure AD v1 sends: numbers as strings, extra fields ADAL drops.
    const std::string body =
        R"({"token_type":"Bearer","scope":"user_impersonation","expires_in":"3599",)"
        R"("ext_expires_in":"3599","expires_on":"1764175345","not_before":"1764171445",)"
        R"("resource":"https://management.core.windows.net/","access_token":"AT1",)"
        R"("refresh_token":"RT1","foci":"1","id_token":")" +
        std::string(kV1) + R"("})";
    const TokenEntry entry = parse_token_response(body, kNow);
    // ADAL's order: the wire's for the mapped fields, then the id_token's claims.
    assert_sv_equal(
        entry.to_python_json(),
        R"({"tokenType": "Bearer", "expiresIn": 3599, "expiresOn": "2026-11-26 17:42:25.827652", )"
        R"("resource": "https://management.core.windows.net/", "accessToken": "AT1", )"
        R"("refreshToken": "RT1", "tenantId": "cceba14c-6a00-49ac-b806-84de52bf1d42", )"
        R"("oid": "a443204a-abc9-4cb8-adc1-c0dfc12300aa", "familyName": "Randall", )"
        R"("givenName": "Rich", "userId": "rrandall@rrandallaad1.onmicrosoft.com", )"
        R"("isUserIdDisplayable": true})");
    assert_sv_equal(entry.id_token().reveal(), kV1);
    // Reading expiresOn back gives the instant it was computed from.
    assert_int_equal(*entry.expires_at(), 1795732945);
}

static void wire_order_and_appended_expires_on(void **) {
    eastern_time();
    // ADAL: {"accessToken": "AT", "tokenType": "Bearer", "expiresIn": 3600, "resource": "r",
    //        "expiresOn": ...} -- expires_on absent on the wire is appended last.
    const TokenEntry entry = parse_token_response(
        R"({"access_token":"AT","token_type":"Bearer","expires_in":3600,"resource":"r"})",
        system_clock::time_point(std::chrono::seconds(1546354800 - 3600)));
    assert_sv_equal(entry.to_python_json(),
                    R"({"accessToken": "AT", "tokenType": "Bearer", "expiresIn": 3600, )"
                    R"("resource": "r", "expiresOn": "2019-01-01 10:00:00"})");
}

static void v2_url_safe_id_token(void **) {
    const TokenEntry entry = parse_token_response(body_with_id_token(kV2), kNow);
    assert_sv_equal(*entry.string(key::user_id), "foobar@someplaceelse.com");
    assert_sv_equal(*entry.string(key::given_name), "Ri<?ch");
    assert_sv_equal(*entry.string(key::family_name), "Randall");
    assert_sv_equal(*entry.string(key::tenant_id), "cceba14c-6a00-49ac-b806-84de52bf1d42");
    assert_sv_equal(*entry.string(key::oid), "a443204a-abc9-4cb8-adc1-c0dfc12300aa");
    assert_true(*entry.boolean(key::is_user_id_displayable));
}

static void v3_unicode_and_random_user_id(void **) {
    const TokenEntry entry = parse_token_response(
        body_with_id_token(".eyJmYW1pbHlfbmFtZSI6Ikd1aW5lYmVydGnDqHJlIn0."), kNow);
    assert_sv_equal(*entry.string(key::family_name), "Guineberti\xc3\xa8re");
    assert_true(is_uuid4(*entry.string(key::user_id)));
    assert_false(entry.has(key::is_user_id_displayable));
    const std::string python = entry.to_python_json();
    assert_non_null(std::strstr(python.c_str(), R"("familyName": "Guineberti\u00e8re")"));
}

static void v4_user_id_precedence(void **) {
    struct Case {
        const char *payload;
        const char *user;  // nullptr: a uuid4
        bool displayable;
    };
    const Case cases[] = {
        {R"({"upn":"u@x","email":"e@x","sub":"s"})", "u@x", true},
        {R"({"email":"e@x","sub":"s"})", "e@x", true},
        {R"({"sub":"s"})", "s", false},
        {R"({"upn":"","email":"e"})", "e", true},
        {R"({})", nullptr, false},
    };
    for (const auto &c : cases) {
        const TokenEntry entry =
            parse_token_response(body_with_id_token(id_token_for(c.payload)), kNow);
        if (c.user != nullptr) {
            assert_sv_equal(*entry.string(key::user_id), c.user);
        } else {
            assert_true(is_uuid4(*entry.string(key::user_id)));
        }
        // Absent, not false, when the id is not displayable.
        assert_int_equal(entry.has(key::is_user_id_displayable), c.displayable);
    }
}

static void claims_in_payload_order(void **) {
    // ADAL: {"tokenType": "Bearer", "accessToken": "AT", "oid": "o2",
    //        "identityProvider": "live.com", "tenantId": "t", "userId": 7,
    //        "isUserIdDisplayable": true}
    const TokenEntry entry = parse_token_response(
        body_with_id_token(
            id_token_for(R"({"sub":"s","oid":"o","idp":"live.com","tid":"t","oid":"o2","upn":7})")),
        kNow);
    assert_sv_equal(entry.to_python_json(),
                    R"({"tokenType": "Bearer", "accessToken": "AT", "oid": "o2", )"
                    R"("identityProvider": "live.com", "tenantId": "t", "userId": 7, )"
                    R"("isUserIdDisplayable": true})");
}

static void v5_tokens_adal_will_not_split(void **) {
    const std::string p = base64url_encode(R"({"sub":"s"})");
    const std::string rejected[] = {
        "hdr..",
        "a. .b",
        " a." + p + ".c",
        "a." + p + ".c ",
        "a." + p + ".c.d",
        "stuff a." + p + ".c",
        "ab." + p,
        "a." + p.substr(0, 3) + " " + p.substr(3) + ".c",
        "a." + p + ".c\n\n",
        "a." + p + ".c\r",
        "a." + p + ".\xc2\xa0",
        "a." + p + ".c\xe2\x80\xa8",
        "a." + p + ".\x1c",
    };
    for (const auto &token : rejected) {
        const TokenEntry entry = parse_token_response(body_with_id_token(""), kNow);
        TokenEntry with = entry;
        add_id_token_claims(with, token);
        // No id fields at all, not even userId.
        assert_int_equal(with.items().size(), 2);
    }
    const std::string accepted[] = {"hdr." + p + ".", "." + p + ".", "h." + p + ".foobar",
                                    "h." + p + ".s\n"};
    for (const auto &token : accepted) {
        TokenEntry entry;
        add_id_token_claims(entry, token);
        assert_sv_equal(*entry.string(key::user_id), "s");
    }
}

static void v6_bad_payloads_are_protocol_errors(void **) {
    for (const char *token :
         {"aaaaaaa./+===.aaaaaa", "x.bm90IGpzb24.", "x.Y.", "x.WzFd.", "x.eyJhIjoiXHVkODAwIn0."}) {
        const std::string msg = expect_error(
            ErrorClass::protocol, [&] { parse_token_response(body_with_id_token(token), kNow); });
        assert_non_null(std::strstr(msg.c_str(), "The returned id_token could not be decoded"));
    }
}

static void empty_payload_gives_no_claims(void **) {
    // "=" decodes to nothing: ADAL warns and adds no id fields.
    TokenEntry entry;
    add_id_token_claims(entry, "h.=.s");
    assert_true(entry.empty());
}

static void missing_fields_use_adal_texts(void **) {
    struct Case {
        const char *body;
        const char *message;
    };
    const Case cases[] = {
        {R"({"access_token":"AT"})", "wire_response is missing token_type"},
        {R"({"token_type":"","access_token":"AT"})", "wire_response is missing token_type"},
        {R"({"token_type":null,"access_token":"AT"})", "wire_response is missing token_type"},
        {R"({"token_type":"Bearer"})", "wire_response is missing access_token"},
        {R"({"token_type":"Bearer","access_token":""})", "wire_response is missing access_token"},
        {R"({"error":"authorization_pending"})", "wire_response is missing token_type"},
        {R"({"token_type":"Bearer","access_token":"AT","expires_in":"foo"})",
         "invalid literal for int() with base 10: 'foo'"},
    };
    for (const auto &c : cases) {
        const std::string msg =
            expect_error(ErrorClass::protocol, [&] { parse_token_response(c.body, kNow); });
        assert_sv_equal(msg, c.message);
    }
}

static void error_response_never_holds_tokens(void **) {
    try {
        parse_token_response(R"({"refresh_token":"RT-secret","access_token":"AT-secret"})", kNow);
        fail();
    } catch (const AdalError &e) {
        assert_sv_equal(e.message(), "wire_response is missing token_type");
        assert_sv_equal(e.error_response(), R"({"refresh_token":"...","access_token":"..."})");
    }
}

static void junk_bodies(void **) {
    for (const char *body : {"", "<html>500</html>", "[]", "\"Bearer\""}) {
        try {
            parse_token_response(body, kNow);
            fail();
        } catch (const AdalError &e) {
            assert_int_equal(e.klass(), ErrorClass::protocol);
            assert_sv_equal(e.error_response(), body);
        }
    }
    // The start of a JSON document cut short may hold tokens: only its size is kept.
    try {
        parse_token_response("{\"a\":", kNow);
        fail();
    } catch (const AdalError &e) {
        assert_sv_equal(e.error_response(), "the reply was not valid JSON (5 bytes)");
    }
    expect_error(ErrorClass::protocol, [] {
        parse_token_response(R"({"token_type":"Bearer","access_token":"AT","id_token":5})", kNow);
    });
    expect_error(ErrorClass::protocol, [] {
        parse_token_response(R"({"token_type":"B","access_token":"AT","expires_in":1e15})", kNow);
    });
}

// Issue 9: a token field that is not a string (a number, bool, list or object) once
// became an entry whose accessToken the C API handed out as NULL: `aadcred token`
// crashed, and so did every later call, as the entry was stored.
static void non_string_tokens_are_refused(void **) {
    const std::pair<const char *, const char *> cases[] = {
        {R"({"token_type":"Bearer","access_token":42})",
         "wire_response's access_token is not a string"},
        {R"({"token_type":"Bearer","access_token":true})",
         "wire_response's access_token is not a string"},
        {R"({"token_type":"Bearer","access_token":["AT"]})",
         "wire_response's access_token is not a string"},
        {R"({"token_type":"Bearer","access_token":{"t":"AT"}})",
         "wire_response's access_token is not a string"},
        {R"({"token_type":"Bearer","access_token":1.5})",
         "wire_response's access_token is not a string"},
        {R"({"token_type":7,"access_token":"AT"})", "wire_response's token_type is not a string"},
        {R"({"token_type":"Bearer","access_token":"AT","refresh_token":7})",
         "wire_response's refresh_token is not a string"},
        {R"({"token_type":"Bearer","access_token":"AT","refresh_token":[]})",
         "wire_response's refresh_token is not a string"},
        {R"({"token_type":"Bearer","access_token":"AT","id_token":5})",
         "wire_response's id_token is not a string"},
        {R"({"token_type":"Bearer","access_token":"AT","resource":{}})",
         "wire_response's resource is not a string"},
        // json.loads: the last of a repeated key wins, so that is the one checked.
        {R"({"token_type":"Bearer","access_token":"AT","access_token":0.5})",
         "wire_response's access_token is not a string"},
    };
    for (const auto &[body, message] : cases) {
        const std::string got =
            expect_error(ErrorClass::protocol, [body = body] { parse_token_response(body, kNow); });
        assert_sv_equal(got, message);
    }
    // null is ADAL's None: a refresh token that is not there.
    const TokenEntry entry = parse_token_response(
        R"({"token_type":"Bearer","access_token":"AT","refresh_token":null})", kNow);
    assert_sv_equal(entry.to_json(),
                    R"({"tokenType":"Bearer","accessToken":"AT","refreshToken":null})");
}

// Issue 9: tokens go into HTTP headers, git's credential protocol and terminals as they
// are; CR/LF, NUL, ESC or DEL in one is an injection, not a token (RFC 6749: VSCHAR).
static void tokens_with_controls_are_refused(void **) {
    for (const char *bad : {"AT\\r\\nX-Injected: 1", "AT\\n", "A\\u0000T", "\\u001b[31mAT",
                            "AT\\u007f", "A\\tT", "AT\\u00e9", "AT\\u202e"}) {
        for (const char *field : {"access_token", "refresh_token", "token_type"}) {
            std::string body =
                R"({"token_type":"Bearer","access_token":"AT","refresh_token":"RT",")";
            body += field;
            body += R"(":")";
            body += bad;
            body += "\"}";
            const std::string got =
                expect_error(ErrorClass::protocol, [&] { parse_token_response(body, kNow); });
            assert_sv_equal(got, "wire_response's " + std::string(field) +
                                     " holds a control or non-ASCII character");
        }
    }
    expect_error(ErrorClass::protocol, [] {
        parse_token_response(
            std::string(R"({"token_type":"Bearer","access_token":"AT","id_token":")") + kV1 +
                "\\r\\n\"}",
            kNow);
    });
    // What real tokens hold (JWTs, opaque refresh tokens, a space in a token type) passes.
    const TokenEntry entry = parse_token_response(
        R"({"token_type":"Bearer","access_token":"eyJ0.e30.sig-_~+/=","refresh_token":"0.AX!#$%&'()*,:;<>?@[]^`{|}"})",
        kNow);
    assert_sv_equal(*entry.string(key::refresh_token), "0.AX!#$%&'()*,:;<>?@[]^`{|}");
}

// Issue 9: a token reply cut short (the connection dropped after the tokens) is not
// JSON; its text once went whole into error_response, live tokens and all, to --json
// output and aadcred_error_last().
static void truncated_reply_keeps_no_token(void **) {
    const std::string whole =
        std::string(
            R"({"token_type":"Bearer","expires_in":"3599","access_token":"eyJhbGciOi.live-AT.sig","refresh_token":"live-RT-0123456789","id_token":")") +
        kV1 + R"("})";
    for (std::size_t cut : {std::size_t{1}, std::size_t{2}, whole.size() / 2, std::size_t{40}}) {
        const std::string body = whole.substr(0, whole.size() - cut);
        try {
            parse_token_response(body, kNow);
            fail();
        } catch (const AdalError &e) {
            assert_int_equal(e.klass(), ErrorClass::protocol);
            assert_sv_equal(e.error_response(), "the reply was not valid JSON (" +
                                                    std::to_string(body.size()) + " bytes)");
            for (const char *secret : {"live-AT", "live-RT", "eyJ"}) {
                assert_null(std::strstr(e.error_response().c_str(), secret));
                assert_null(std::strstr(e.what(), secret));
            }
        }
    }
    // Valid JSON that is refused keeps its shape with every token blanked, nested ones too.
    try {
        parse_token_response(
            R"({"token_type":"Bearer","access_token":7,"refresh_token":"live-RT","x":{"id_token":"eyJ.a.b"},"y":["eyJhbGc.x.y"]})",
            kNow);
        fail();
    } catch (const AdalError &e) {
        assert_sv_equal(
            e.error_response(),
            R"({"token_type":"Bearer","access_token":"...","refresh_token":"...","x":{"id_token":"..."},"y":["..."]})");
    }
}

static void integers_and_dates(void **) {
    eastern_time();
    // expires_on alone stays the server's epoch; created_on becomes local time; zeros
    // are falsy and left alone; int() strips spaces. ADAL:
    // {"tokenType": "Bearer", "expiresOn": 1764175345, "accessToken": "AT"}
    TokenEntry entry = parse_token_response(
        R"({"token_type":"Bearer","expires_on":"1764175345","access_token":"AT"})", kNow);
    assert_sv_equal(entry.to_python_json(),
                    R"({"tokenType": "Bearer", "expiresOn": 1764175345, "accessToken": "AT"})");
    entry = parse_token_response(
        R"({"token_type":"Bearer","access_token":"AT","created_on":"1764175345"})", kNow);
    assert_sv_equal(*entry.string(key::created_on), "2025-11-26 11:42:25");
    entry = parse_token_response(
        R"({"token_type":"Bearer","access_token":"AT","created_on":0,"expires_in":0})", kNow);
    assert_sv_equal(entry.to_python_json(),
                    R"({"tokenType": "Bearer", "accessToken": "AT", "createdOn": 0, )"
                    R"("expiresIn": 0})");
    // Repeated keys: the last value at the first position; error fields are mapped too.
    entry = parse_token_response(
        R"({"token_type":"Bearer","token_type":"MAC","access_token":"AT","expires_in":10,)"
        R"("expires_in":" 20 ","resource":null,"error":"e","error_description":"d"})",
        system_clock::time_point(std::chrono::seconds(1546354800 - 20)));
    assert_sv_equal(entry.to_python_json(),
                    R"({"tokenType": "MAC", "accessToken": "AT", "expiresIn": 20, )"
                    R"("resource": null, "error": "e", "errorDescription": "d", )"
                    R"("expiresOn": "2019-01-01 10:00:00"})");
}

static void adal_time_text(void **) {
    eastern_time();
    const system_clock::time_point t{microseconds(1546354800LL * 1000000 + 5)};
    assert_sv_equal(format_adal_time(t), "2019-01-01 10:00:00.000005");
    assert_sv_equal(format_adal_time(system_clock::time_point{}), "1969-12-31 19:00:00");
    assert_sv_equal(format_adal_time(system_clock::time_point{microseconds(-1)}),
                    "1969-12-31 18:59:59.999999");

    const auto at = [](const char *text) { return parse_adal_time(text); };
    assert_true(*at("2019-01-01 10:00:00.000005") == t);
    assert_true(*at("2019-01-01T10:00:00.000005") == t);
    assert_true(*at("2019-01-01 15:00:00.000005Z") == t);
    assert_true(*at("2019-01-01T16:00:00.000005+01:00") == t);
    assert_true(*at("2019-01-01T14:00:00.000005-0100") == t);
    assert_true(*at("2019-01-01 10:00:00.0000051") == t);
    assert_true(*at("2019-01-01 10:00:00.5") ==
                system_clock::time_point{microseconds(1546354800LL * 1000000 + 500000)});
    for (const char *bad :
         {"", "2019-01-01", "2019-13-01 10:00:00", "2019-02-29 10:00:00", "2019-01-01 24:00:00",
          "2019-01-01 10:00", "2019-01-01 10:00:00.", "2019-01-01 10:00:00 junk",
          "19-01-01 10:00:00", "2019/01/01 10:00:00", "2019-01-01 10:00:00+25:00"}) {
        assert_false(at(bad).has_value());
    }
    assert_true(at("2020-02-29 10:00:00").has_value());
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aad_v1_device_code_reply),
        cmocka_unit_test(wire_order_and_appended_expires_on),
        cmocka_unit_test(v2_url_safe_id_token),
        cmocka_unit_test(v3_unicode_and_random_user_id),
        cmocka_unit_test(v4_user_id_precedence),
        cmocka_unit_test(claims_in_payload_order),
        cmocka_unit_test(v5_tokens_adal_will_not_split),
        cmocka_unit_test(v6_bad_payloads_are_protocol_errors),
        cmocka_unit_test(empty_payload_gives_no_claims),
        cmocka_unit_test(missing_fields_use_adal_texts),
        cmocka_unit_test(error_response_never_holds_tokens),
        cmocka_unit_test(junk_bodies),
        cmocka_unit_test(non_string_tokens_are_refused),
        cmocka_unit_test(tokens_with_controls_are_refused),
        cmocka_unit_test(truncated_reply_keeps_no_token),
        cmocka_unit_test(integers_and_dates),
        cmocka_unit_test(adal_time_text),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
