// TokenEntry: ordered dict with json.dumps parity. Every expected string below was
// printed by /usr/bin/python3 -c 'import json; print(json.dumps(json.loads(INPUT)))'.

#include "core/oauth2/token_entry.hpp"

#include <cstdlib>
#include <ctime>

#include "core/oauth2/token_response.hpp"

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

using namespace aadcred;
using unit_test::expect_error;

// Reference §5.1: what ADAL's TokenCache.serialize() wrote for one entry.
static const char kAdalEntry[] =
    R"({"tokenType": "Bearer", "expiresIn": 3600, "expiresOn": "2019-01-01 10:00:00.000000", )"
    R"("resource": "https://graph.windows.net/", "accessToken": "AT", "refreshToken": "RT", )"
    R"("userId": "alice@contoso.com", "isUserIdDisplayable": true, "isMRRT": true, )"
    R"("_clientId": "client-1", )"
    R"("_authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"})";

static void adal_entry_round_trips_byte_for_byte(void **) {
    const TokenEntry entry = TokenEntry::from_json(kAdalEntry);
    assert_sv_equal(entry.to_python_json(), kAdalEntry);
    assert_sv_equal(*entry.string(key::user_id), "alice@contoso.com");
    assert_sv_equal(entry.secret(key::access_token).reveal(), "AT");
    assert_int_equal(*entry.integer(key::expires_in), 3600);
    assert_true(*entry.boolean(key::is_mrrt));
    assert_false(entry.boolean("nope").has_value());
    assert_int_equal(entry.items().size(), 11);
    assert_sv_equal(entry.items()[0].first, "tokenType");
    assert_sv_equal(entry.items()[10].first, "_authority");
}

static void unicode_controls_and_raw_values_like_json_dumps(void **) {
    const char *input =
        R"({"tokenType":"Bearer","expiresIn":3599,"familyName":"Guinebertière",)"
        R"("emoji":"😀 €","ctl":"a\"b\\c\n\r\t\b\f\u0001\u001f\u007f/","isMRRT":true,)"
        R"("n":null,"f":1.5,"big":1e16,"small":0.00001,"arr":[1,2.0,"x",{"k":[true,false]}],)"
        R"("neg":-0.0,"e":1e100,"kéy":0.0001,"u64":18446744073709551615})";
    const char *python =
        R"({"tokenType": "Bearer", "expiresIn": 3599, "familyName": "Guineberti\u00e8re", )"
        R"("emoji": "\ud83d\ude00 \u20ac", "ctl": "a\"b\\c\n\r\t\b\f\u0001\u001f\u007f/", )"
        R"("isMRRT": true, "n": null, "f": 1.5, "big": 1e+16, "small": 1e-05, )"
        R"("arr": [1, 2.0, "x", {"k": [true, false]}], "neg": -0.0, "e": 1e+100, )"
        R"("k\u00e9y": 0.0001, "u64": 18446744073709551615})";
    const TokenEntry entry = TokenEntry::from_json(input);
    assert_sv_equal(entry.to_python_json(), python);
    // Python's output is valid input again and gives the same entry.
    const TokenEntry again = TokenEntry::from_json(python);
    assert_true(again == entry);
    assert_sv_equal(again.to_python_json(), python);
    assert_sv_equal(*entry.string(key::family_name), "Guineberti\xc3\xa8re");
}

static void python_float_repr(void **) {
    // json.dumps(json.loads('[...]'))
    const TokenEntry entry = TokenEntry::from_json(
        R"({"a":[1e15,123456789.125,0.1,2.5e-5,1e22,1.7976931348623157e308,5e-324,100.0,0.001,)"
        R"(-1.5e-7,12345678901234567890.0]})");
    assert_sv_equal(entry.to_python_json(),
                    R"({"a": [1000000000000000.0, 123456789.125, 0.1, 2.5e-05, 1e+22, )"
                    R"(1.7976931348623157e+308, 5e-324, 100.0, 0.001, -1.5e-07, )"
                    R"(1.2345678901234567e+19]})");
}

static void duplicate_keys_keep_first_position_last_value(void **) {
    // json.dumps(json.loads('{"a":1,"b":2,"a":3}')) == '{"a": 3, "b": 2}'
    assert_sv_equal(TokenEntry::from_json(R"({"a":1,"b":2,"a":3})").to_python_json(),
                    R"({"a": 3, "b": 2})");
    assert_sv_equal(TokenEntry::from_json(R"({"o":{"x":1,"y":2,"x":[]}})").to_python_json(),
                    R"({"o": {"x": [], "y": 2}})");
}

static void empty_entry(void **) {
    const TokenEntry entry = TokenEntry::from_json("{}");
    assert_true(entry.empty());
    assert_sv_equal(entry.to_python_json(), "{}");
    assert_sv_equal(entry.to_json(), "{}");
}

static void compact_json_round_trip(void **) {
    const TokenEntry entry = TokenEntry::from_json(kAdalEntry);
    const std::string compact = entry.to_json();
    assert_sv_equal(compact.substr(0, 45), R"({"tokenType":"Bearer","expiresIn":3600,"expir)");
    const TokenEntry back = TokenEntry::from_json(compact);
    assert_true(back == entry);
    assert_sv_equal(back.to_python_json(), kAdalEntry);
    // UTF-8 stays UTF-8 in the compact form.
    const TokenEntry uni = TokenEntry::from_json(R"({"n":"é"})");
    assert_sv_equal(uni.to_json(), "{\"n\":\"\xc3\xa9\"}");
}

static void set_replaces_in_place_and_erase(void **) {
    TokenEntry entry = TokenEntry::from_json(R"({"a":1,"b":2,"c":3})");
    entry.set("b", SecretString(std::string_view("two")));
    entry.set("d", true);
    entry.erase("a");
    entry.erase("missing");
    assert_sv_equal(entry.to_python_json(), R"({"b": "two", "c": 3, "d": true})");
    entry.set_string("c", "x");
    assert_sv_equal(*entry.string("c"), "x");
    assert_false(entry.integer("c").has_value());
    assert_false(entry.string("d").has_value());
    assert_true(entry.has("d"));
    assert_false(entry.has("a"));
    assert_true(entry.secret("d").empty());
}

static void equality_ignores_order_and_id_token(void **) {
    TokenEntry a = TokenEntry::from_json(R"({"x":1,"y":"s"})");
    const TokenEntry b = TokenEntry::from_json(R"({"y":"s","x":1})");
    assert_true(a == b);
    a.set_id_token(SecretString(std::string_view("h.p.s")));
    assert_true(a == b);
    assert_false(a == TokenEntry::from_json(R"({"x":1,"y":"t"})"));
    assert_false(a == TokenEntry::from_json(R"({"x":1})"));
    assert_false(a == TokenEntry::from_json(R"({"x":"1","y":"s"})"));
}

static void id_token_is_never_serialized(void **) {
    TokenEntry entry = TokenEntry::from_json(R"({"accessToken":"AT"})");
    entry.set_id_token(SecretString(std::string_view("hdr.payload.sig")));
    assert_sv_equal(entry.id_token().reveal(), "hdr.payload.sig");
    assert_null(std::strstr(entry.to_json().c_str(), "payload"));
    assert_null(std::strstr(entry.to_python_json().c_str(), "payload"));
}

static void truthiness_of_is_mrrt(void **) {
    const TokenEntry entry = TokenEntry::from_json(
        R"({"t":true,"f":false,"one":1,"zero":0,"s":"x","e":"","n":null,"l":[],"o":{"a":1}})");
    const std::pair<const char *, bool> cases[] = {{"t", true},     {"f", false}, {"one", true},
                                                   {"zero", false}, {"s", true},  {"e", false},
                                                   {"n", false},    {"l", false}, {"o", true}};
    for (const auto &[k, want] : cases) assert_int_equal(*entry.boolean(k), want);
}

static void rejects_what_is_not_an_object(void **) {
    for (const char *bad : {"[]", "\"s\"", "1", "null", "", "{", "{\"a\":1} x"}) {
        expect_error(ErrorClass::protocol, [&] { TokenEntry::from_json(bad); });
    }
    std::string many = "{";
    for (int i = 0; i < 1000; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    many += "}";
    expect_error(ErrorClass::protocol, [&] { TokenEntry::from_json(many); });
}

// Issue 9: a past version stored entries whose accessToken was a number (the C API read
// it as NULL and `aadcred token` crashed on every call) or held a CR/LF. Reading such an
// entry back is refused with a message; the stores skip it and log that message.
static void stored_entries_with_bad_tokens_are_refused(void **) {
    const std::pair<const char *, const char *> cases[] = {
        {R"({"tokenType":"Bearer","accessToken":42})", "token entry's accessToken is not a string"},
        {R"({"tokenType":"Bearer","accessToken":null})",
         "token entry's accessToken is not a string"},
        {R"({"tokenType":"Bearer","accessToken":{"a":1}})",
         "token entry's accessToken is not a string"},
        {R"({"tokenType":false,"accessToken":"AT"})", "token entry's tokenType is not a string"},
        {R"({"tokenType":"Bearer","accessToken":"AT","refreshToken":[1]})",
         "token entry's refreshToken is not a string"},
        {R"({"tokenType":"Bearer","accessToken":"AT\r\nX: 1"})",
         "token entry's accessToken holds a control or non-ASCII character"},
        {R"({"tokenType":"Bearer","accessToken":"AT","refreshToken":"R\u0000T"})",
         "token entry's refreshToken holds a control or non-ASCII character"},
    };
    for (const auto &[json, message] : cases) {
        const std::string got =
            expect_error(ErrorClass::protocol, [json = json] { TokenEntry::from_json(json); });
        assert_sv_equal(got, message);
    }
    // ADAL's None refresh token, and entries of other ADAL users without some keys, pass.
    TokenEntry::from_json(R"({"tokenType":"Bearer","accessToken":"AT","refreshToken":null})");
    TokenEntry::from_json(R"({"servicePrincipalId":"app","accessToken":"s3cr3t"})");
}

static void invalid_raw_json_is_an_internal_error(void **) {
    TokenEntry entry;
    entry.set("bad", RawJson{"[1,"});
    expect_error(ErrorClass::internal, [&] { (void)entry.to_python_json(); });
    expect_error(ErrorClass::internal, [&] { (void)entry.to_json(); });
}

static void expires_at_reads_local_time_or_epoch(void **) {
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    // 2019-01-01 10:00:00 EST == 15:00:00 UTC == 1546354800.
    const TokenEntry entry = TokenEntry::from_json(kAdalEntry);
    assert_int_equal(*entry.expires_at(), 1546354800);
    TokenEntry epoch = TokenEntry::from_json(R"({"expiresOn":1764175345})");
    assert_int_equal(*epoch.expires_at(), 1764175345);
    assert_false(TokenEntry::from_json(R"({"expiresOn":"tomorrow"})").expires_at().has_value());
    assert_false(TokenEntry::from_json(R"({"expiresOn":null})").expires_at().has_value());
    assert_false(TokenEntry::from_json(R"({"a":1})").expires_at().has_value());
    // Summer time: 2019-07-01 10:00:00.5 EDT == 14:00:00 UTC.
    assert_int_equal(
        *TokenEntry::from_json(R"({"expiresOn":"2019-07-01 10:00:00.5"})").expires_at(),
        1561989600);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adal_entry_round_trips_byte_for_byte),
        cmocka_unit_test(unicode_controls_and_raw_values_like_json_dumps),
        cmocka_unit_test(python_float_repr),
        cmocka_unit_test(duplicate_keys_keep_first_position_last_value),
        cmocka_unit_test(empty_entry),
        cmocka_unit_test(compact_json_round_trip),
        cmocka_unit_test(set_replaces_in_place_and_erase),
        cmocka_unit_test(equality_ignores_order_and_id_token),
        cmocka_unit_test(id_token_is_never_serialized),
        cmocka_unit_test(truthiness_of_is_mrrt),
        cmocka_unit_test(rejects_what_is_not_an_object),
        cmocka_unit_test(stored_entries_with_bad_tokens_are_refused),
        cmocka_unit_test(invalid_raw_json_is_an_internal_error),
        cmocka_unit_test(expires_at_reads_local_time_or_epoch),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
