// base64 / base64url: RFC 4648 §10 vectors, ADAL's x5t, and Python's lenient
// urlsafe_b64decode as ADAL calls it (results captured from /usr/bin/python3).

#include "util/base64.hpp"

#include <cstring>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static void rfc4648_vectors(void **) {
    const char *vectors[][2] = {{"", ""},
                                {"f", "Zg=="},
                                {"fo", "Zm8="},
                                {"foo", "Zm9v"},
                                {"foob", "Zm9vYg=="},
                                {"fooba", "Zm9vYmE="},
                                {"foobar", "Zm9vYmFy"}};
    for (const auto &v : vectors) {
        assert_sv_equal(base64_encode(v[0]), v[1]);
        const auto back = base64_decode(v[1]);
        assert_true(back.has_value());
        assert_sv_equal(*back, v[0]);
    }
}

static void url_alphabet_and_padding(void **) {
    const std::string bytes("\xfb\xff", 2);
    assert_sv_equal(base64_encode(bytes), "+/8=");
    assert_sv_equal(base64url_encode(bytes), "-_8");
    assert_sv_equal(base64url_encode(bytes, true), "-_8=");
    const auto back = base64url_decode_strict("-_8");
    assert_true(back.has_value());
    assert_sv_equal(*back, bytes);
}

static void adal_x5t_keeps_padding(void **) {
    // Reference §2.4: thumbprint B8:D3:FC:...:91 -> x5t "uNP88VFQY3-w7e4yxaJLoijYk5E=".
    const std::string sha1(
        "\xb8\xd3\xfc\xf1\x51\x50\x63\x7f\xb0\xed\xee\x32\xc5\xa2\x4b\xa2"
        "\x28\xd8\x93\x91",
        20);
    assert_sv_equal(base64url_encode(sha1, true), "uNP88VFQY3-w7e4yxaJLoijYk5E=");
}

static void strict_decoders_reject_sloppy_input(void **) {
    for (const char *bad :
         {"Zg", "Zg=", "Z===", "====", "Zm 9v", "Zm9v\n", "-_8=", "Zg=A", "Zm9v!"}) {
        assert_false(base64_decode(bad).has_value());
    }
    for (const char *bad : {"-_8=", "+/8", "Z", "ab cd", "ab.c"}) {
        assert_false(base64url_decode_strict(bad).has_value());
    }
}

static void adal_lenient_decode_matches_python(void **) {
    // ADAL: s += '=' * (4 - len(s) % 4); base64.urlsafe_b64decode(s). Outputs from
    // Python 3.11; nullopt where Python raises binascii.Error.
    struct Case {
        const char *in;
        const char *out;
        std::size_t out_len;
        bool ok;
    };
    const Case cases[] = {
        {"eyJ9", "{\"}", 3, true},    {"eyJ9==", "{\"}", 3, true}, {"YQ==YQ==", "a", 1, true},
        {"YQ", "a", 1, true},         {"Y", "", 0, false},         {"YWJj", "abc", 3, true},
        {"YWJj====", "abc", 3, true}, {"Y=Q", "", 0, false},       {"YQ=", "a", 1, true},
        {"a$b%c", "i\xb7", 2, true},  {"=", "", 0, true},          {"YQ=x=", "a\x0c", 2, true},
        {"YW=Jj", "abc", 3, true},    {"/+===", "\xff", 1, true},  {"Y Q", "", 0, false},
        {"-_8", "\xfb\xff", 2, true},
    };
    for (const auto &c : cases) {
        const auto got = base64url_decode(c.in);
        if (!c.ok) {
            assert_false(got.has_value());
            continue;
        }
        assert_true(got.has_value());
        assert_sv_equal(*got, std::string_view(c.out, c.out_len));
    }
}

static void round_trip_all_byte_values(void **) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t len = 0; len <= all.size(); len += 37) {
        const std::string part = all.substr(0, len);
        assert_sv_equal(*base64_decode(base64_encode(part)), part);
        assert_sv_equal(*base64url_decode_strict(base64url_encode(part)), part);
        assert_sv_equal(*base64url_decode(base64url_encode(part)), part);
    }
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4648_vectors),
        cmocka_unit_test(url_alphabet_and_padding),
        cmocka_unit_test(adal_x5t_keeps_padding),
        cmocka_unit_test(strict_decoders_reject_sloppy_input),
        cmocka_unit_test(adal_lenient_decode_matches_python),
        cmocka_unit_test(round_trip_all_byte_values),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
