// json.hpp: caps on size and depth, Python's int() for numbers sent as strings, lenient
// typed getters, Python-compatible string quoting.

#include "core/json/json.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

using namespace aadcred;
using unit_test::expect_error;

static void parses_an_object(void **) {
    const auto doc = json::parse(R"({"a":"x","n":5,"s":"3599","z":null})");
    assert_true(doc.IsObject());
    assert_sv_equal(*json::get_string(doc, "a"), "x");
    assert_int_equal(*json::get_int(doc, "n"), 5);
    assert_int_equal(*json::get_int(doc, "s"), 3599);
    assert_false(json::get_string(doc, "z").has_value());
    assert_false(json::get_int(doc, "z").has_value());
    assert_false(json::get_string(doc, "missing").has_value());
    assert_false(json::get_int(doc, "missing").has_value());
    assert_false(json::get_string(doc, "n").has_value());  // wrong type: absent
}

static void two_megabyte_document_is_rejected(void **) {
    std::string big = "[\"";
    big.append(2u << 20, 'a');
    big += "\"]";
    const std::string msg =
        expect_error(ErrorClass::protocol, [&] { json::parse(big, "token response"); });
    assert_non_null(std::strstr(msg.c_str(), "token response is larger than"));
    assert_false(json::try_parse(big).has_value());
}

static void deep_nesting_is_rejected_without_recursion(void **) {
    // 10000 and 100000 levels, closed and unclosed, arrays and objects: the SAX guard
    // stops at level 33 before any DOM is built.
    for (std::size_t depth : {std::size_t{10000}, std::size_t{100000}}) {
        const std::string open(depth, '[');
        const std::string msg = expect_error(ErrorClass::protocol,
                                             [&] { json::parse(open + std::string(depth, ']')); });
        assert_non_null(std::strstr(msg.c_str(), "nested deeper than 32 levels"));
        expect_error(ErrorClass::protocol, [&] { json::parse(open); });
        std::string objects;
        for (std::size_t i = 0; i < depth; ++i) objects += "{\"a\":";
        expect_error(ErrorClass::protocol, [&] { json::parse(objects); });
    }
}

static void depth_limit_is_exact(void **) {
    const std::string ok = std::string(32, '[') + std::string(32, ']');
    assert_true(json::parse(ok).IsArray());
    const std::string too_deep = std::string(33, '[') + std::string(33, ']');
    expect_error(ErrorClass::protocol, [&] { json::parse(too_deep); });
}

static void invalid_documents(void **) {
    const std::string cases[] = {
        "",
        " ",
        "{",
        "{} x",
        "{}{}",
        "[1,]",
        "{'a':1}",
        "nul",
        "\"\xff\"",
        "\"\xc0\xaf\"",
        std::string("{}\0", 3),
        std::string("{\"a\":\"\0\"}", 9),
        "NaN",
        "[Infinity]",
    };
    for (const auto &text : cases) {
        expect_error(ErrorClass::protocol, [&] { json::parse(text); });
        assert_false(json::try_parse(text).has_value());
    }
    const std::string msg =
        expect_error(ErrorClass::protocol, [] { json::parse("{} x", "reply"); });
    assert_non_null(std::strstr(msg.c_str(), "reply is not valid JSON"));
}

static void ints_as_python_int_does(void **) {
    const auto doc =
        json::parse(R"({"a":"3599"," b":" 42\n","c":"-7","d":"+8","e":"1_000","f":3599.9,"g":-2.5,)"
                    R"("h":"-9223372036854775808","i":9223372036854775807})");
    assert_int_equal(*json::get_int(doc, "a"), 3599);
    assert_int_equal(*json::get_int(doc, " b"), 42);
    assert_int_equal(*json::get_int(doc, "c"), -7);
    assert_int_equal(*json::get_int(doc, "d"), 8);
    assert_int_equal(*json::get_int(doc, "e"), 1000);
    assert_int_equal(*json::get_int(doc, "f"), 3599);  // int(3599.9) truncates
    assert_int_equal(*json::get_int(doc, "g"), -2);
    assert_true(*json::get_int(doc, "h") == INT64_MIN);
    assert_true(*json::get_int(doc, "i") == INT64_MAX);
}

static void bad_ints_throw_with_python_text(void **) {
    const auto doc =
        json::parse(R"({"foo":"foo","dec":"3599.0","empty":"","us":"1__0","lead":"_1","sign":"-",)"
                    R"("big":"9223372036854775808","huge":18446744073709551615,"flt":1e300,)"
                    R"("list":[1],"obj":{},"bool":true})");
    std::string msg = expect_error(ErrorClass::protocol, [&] { json::get_int(doc, "foo"); });
    assert_sv_equal(msg, "invalid literal for int() with base 10: 'foo'");
    msg = expect_error(ErrorClass::protocol, [&] { json::get_int(doc, "dec"); });
    assert_sv_equal(msg, "invalid literal for int() with base 10: '3599.0'");
    for (const char *name : {"empty", "us", "lead", "sign", "big", "huge", "flt", "bool"}) {
        expect_error(ErrorClass::protocol, [&] { json::get_int(doc, name); });
    }
    msg = expect_error(ErrorClass::protocol, [&] { json::get_int(doc, "list"); });
    assert_non_null(std::strstr(msg.c_str(), "not 'list'"));
    msg = expect_error(ErrorClass::protocol, [&] { json::get_int(doc, "obj"); });
    assert_non_null(std::strstr(msg.c_str(), "not 'dict'"));
}

static void error_text_hides_control_characters(void **) {
    const auto doc = json::parse(R"({"x":"a\u001b[31mb"})");
    const std::string msg = expect_error(ErrorClass::protocol, [&] { json::get_int(doc, "x"); });
    assert_null(std::strchr(msg.c_str(), '\x1b'));
    assert_non_null(std::strstr(msg.c_str(), "\\x1b"));
}

static void wrong_container_types(void **) {
    const auto arr = json::parse("[1,2]");
    assert_false(json::get_string(arr, "a").has_value());
    assert_false(json::get_int(arr, "a").has_value());
    assert_null(json::find(arr, "a"));
}

static void duplicate_keys_last_wins(void **) {
    const auto doc = json::parse(R"({"a":"first","a":"last"})");
    assert_sv_equal(*json::get_string(doc, "a"), "last");
}

static void python_truthiness(void **) {
    const auto doc = json::parse(
        R"([null,false,0,0.0,"",[],{},true,1,-1,0.5,"0",[0],{"a":null},18446744073709551615])");
    const bool expected[] = {false, false, false, false, false, false, false, true,
                             true,  true,  true,  true,  true,  true,  true};
    for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
        assert_int_equal(json::truthy(doc[i]), expected[i]);
    }
}

static void quoting_matches_python_json_dumps(void **) {
    // json.dumps("a\"b\\c\n\r\t\b\f\x01\x1f\x7f/é€😀")
    const std::string text = "a\"b\\c\n\r\t\b\f\x01\x1f\x7f/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    std::string ascii;
    json::append_quoted(ascii, text, true);
    assert_sv_equal(ascii, R"("a\"b\\c\n\r\t\b\f\u0001\u001f\u007f/\u00e9\u20ac\ud83d\ude00")");
    // json.dumps(..., ensure_ascii=False)
    std::string utf8;
    json::append_quoted(utf8, text, false);
    assert_sv_equal(utf8,
                    "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/\xc3\xa9\xe2\x82\xac"
                    "\xf0\x9f\x98\x80\"");
    std::string nul;
    json::append_quoted(nul, std::string_view("\0", 1), true);
    assert_sv_equal(nul, "\"\\u0000\"");
    // Bytes that are not UTF-8 never make an unreadable document.
    std::string broken;
    json::append_quoted(broken, "a\xff", true);
    assert_sv_equal(broken, "\"a\\ufffd\"");
}

static void utf8_validation(void **) {
    assert_true(json::is_valid_utf8(""));
    assert_true(
        json::is_valid_utf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
    for (const char *bad : {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                            "\xe2\x82", "\x80", "\xff", "\xf8\x88\x80\x80\x80"}) {
        assert_false(json::is_valid_utf8(bad));
    }
}

static void unpaired_surrogate_escapes_are_refused(void **) {
    // RapidJSON alone would keep "\udc00" as bytes that are not UTF-8; a pair is fine.
    for (const char *bad : {R"(["\udc00"])", R"({"a":"x\ude01y"})", R"({"\udfff":1})",
                            R"(["\ud800"])", R"(["\ud800\u0041"])"}) {
        const std::string msg = expect_error(ErrorClass::protocol, [&] { json::parse(bad); });
        assert_non_null(std::strstr(msg.c_str(), "is not valid JSON"));
    }
    const auto doc = json::parse(R"(["\ud83d\ude00"])");
    assert_sv_equal(std::string_view(doc[0].GetString(), doc[0].GetStringLength()),
                    "\xf0\x9f\x98\x80");
}

static void numbers_read_back_as_written(void **) {
    // The default RapidJSON number path can misround; a stored number must survive a
    // write and a second read unchanged (fuzz finding, tests/fuzz/crashes/).
    for (const char *text : {"[1e-400]", "[92233720367777777777777777777777777777777]", "[0.1]",
                             "[2.2250738585072011e-308]", "[1.7976931348623157e308]",
                             "[9007199254740993]", "[-9372223036854775808]"}) {
        const std::string once = json::to_string(json::parse(text));
        assert_sv_equal(json::to_string(json::parse(once)), once);
    }
    assert_sv_equal(json::to_string(json::parse("[0.1, 1e-400]")), "[0.1,0.0]");
}

static void numbers_convert_like_python(void **) {
    const auto doc = json::parse(
        R"([0, -0, 7, -7, 9223372036854775807, -9223372036854775808, 18446744073709551615,)"
        R"( 18446744073709551616, 0e91, -0.0, 1.5, 5e-324, 1e-400, -1e-400, 1.7976931348623157e308,)"
        R"( 0.1e1, 1E2, 1e+2, 12345678901234567890123456789])");
    assert_true(doc[0].IsInt64() && doc[0].GetInt64() == 0);
    assert_true(doc[1].IsInt64() && doc[1].GetInt64() == 0);  // json.loads("-0") == 0
    assert_int_equal(doc[2].GetInt64(), 7);
    assert_int_equal(doc[3].GetInt64(), -7);
    assert_true(doc[4].GetInt64() == INT64_MAX);
    assert_true(doc[5].GetInt64() == INT64_MIN);
    assert_true(doc[6].IsUint64() && doc[6].GetUint64() == UINT64_MAX);
    assert_true(doc[7].IsDouble() && doc[7].GetDouble() == 18446744073709551616.0);
    assert_true(doc[8].IsDouble() && doc[8].GetDouble() == 0.0);  // once UB in RapidJSON
    assert_true(doc[9].IsDouble() && std::signbit(doc[9].GetDouble()));
    assert_true(doc[10].GetDouble() == 1.5);
    assert_true(doc[11].GetDouble() > 0.0);  // the smallest subnormal survives
    assert_true(doc[12].GetDouble() == 0.0 && !std::signbit(doc[12].GetDouble()));
    assert_true(doc[13].GetDouble() == 0.0 && std::signbit(doc[13].GetDouble()));
    assert_true(doc[14].GetDouble() == 1.7976931348623157e308);
    assert_true(doc[15].GetDouble() == 1.0 && doc[16].GetDouble() == 100.0 &&
                doc[17].GetDouble() == 100.0);
    assert_true(doc[18].GetDouble() == 12345678901234567890123456789.0);
    for (const char *too_big : {"[1e400]", "[-1e309]", "[1.8e308]", "[0.0001e313]"}) {
        const std::string msg = expect_error(ErrorClass::protocol, [&] { json::parse(too_big); });
        assert_non_null(std::strstr(msg.c_str(), "Number too big"));
    }
}

static void compact_serialization(void **) {
    const auto doc = json::parse(R"( { "a" : [ 1 , 2.5 , "x" ] , "b" : null } )");
    assert_sv_equal(json::to_string(doc), R"({"a":[1,2.5,"x"],"b":null})");
}

// RapidJSON's checks throw (util/rapidjson_config.hpp) where assert() used to abort the
// host process: GetString() on a number, a missing member through operator[].
template <typename F>
std::string expect_json_assertion(F &&f) {
    try {
        f();
    } catch (const util::JsonAssertion &e) {
        return e.what();
    }
    print_error("expected util::JsonAssertion, nothing was thrown\n");
    fail();
    return {};
}

static void rapidjson_misuse_throws_instead_of_aborting(void **) {
    const auto doc = json::parse(R"({"n":5,"s":"x"})");
    std::string msg = expect_json_assertion([&] { (void)doc["n"].GetString(); });
    assert_non_null(std::strstr(msg.c_str(), "RapidJSON assertion failed: IsString()"));
    msg = expect_json_assertion([&] { (void)doc["missing"]; });
    assert_non_null(std::strstr(msg.c_str(), "RapidJSON assertion failed"));
    expect_json_assertion([&] { (void)doc["s"].GetInt64(); });
    expect_json_assertion([&] { (void)doc.GetArray(); });
    // The same in wiped documents, and it is a std::logic_error, which the C ABI's
    // firewall and every front end's main() report as an error.
    const auto secret = json::parse_secret(R"({"access_token":7})");
    expect_json_assertion([&] { (void)secret["access_token"].GetString(); });
    try {
        (void)secret["access_token"].GetString();
    } catch (const std::logic_error &) {
        return;
    }
    fail();
}

static void secret_documents_read_like_the_others(void **) {
    const char *text = R"({"a":"x","n":"3599","t":[],"z":null,"d":2.5})";
    const auto plain = json::parse(text);
    const auto secret = json::parse_secret(text, "token response");
    assert_sv_equal(*json::get_string(secret, "a"), "x");
    assert_int_equal(*json::get_int(secret, "n"), 3599);
    assert_false(json::truthy(*json::find(secret, "t")));
    assert_false(json::get_string(secret, "z").has_value());
    assert_sv_equal(json::to_string(secret), json::to_string(plain));
    assert_int_equal(json::to_int(*json::find(secret, "d")), 2);
    assert_false(json::try_parse_secret("{").has_value());
    const std::string msg =
        expect_error(ErrorClass::protocol, [&] { json::parse_secret("[1,", "token response"); });
    assert_non_null(std::strstr(msg.c_str(), "token response is not valid JSON"));
    static_assert(std::is_same_v<json::SecretDocument::AllocatorType,
                                 rapidjson::MemoryPoolAllocator<util::WipingAllocator>>);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_an_object),
        cmocka_unit_test(two_megabyte_document_is_rejected),
        cmocka_unit_test(deep_nesting_is_rejected_without_recursion),
        cmocka_unit_test(depth_limit_is_exact),
        cmocka_unit_test(invalid_documents),
        cmocka_unit_test(ints_as_python_int_does),
        cmocka_unit_test(bad_ints_throw_with_python_text),
        cmocka_unit_test(error_text_hides_control_characters),
        cmocka_unit_test(wrong_container_types),
        cmocka_unit_test(duplicate_keys_last_wins),
        cmocka_unit_test(python_truthiness),
        cmocka_unit_test(quoting_matches_python_json_dumps),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(unpaired_surrogate_escapes_are_refused),
        cmocka_unit_test(numbers_read_back_as_written),
        cmocka_unit_test(numbers_convert_like_python),
        cmocka_unit_test(compact_serialization),
        cmocka_unit_test(rapidjson_misuse_throws_instead_of_aborting),
        cmocka_unit_test(secret_documents_read_like_the_others),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
