// display_text(): the one sanitiser git, the CLI and PAM show server text through.

#include <string>
#include <string_view>

#include "../common/cmocka_cpp.hpp"
#include "display_text.hpp"
#include "utf8.hpp"

namespace {

using aadcred::frontend::Charset;
using aadcred::frontend::display_text;

constexpr std::size_t kBig = 4096;

std::string utf8(char32_t cp) {
    std::string s;
    aadcred::frontend::append_utf8(s, cp);
    return s;
}

// True when `s` is well-formed UTF-8 all through.
bool well_formed(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto step = aadcred::frontend::decode_utf8(s, i);
        if (!step.valid) return false;
        i += step.length;
    }
    return true;
}

void keeps_visible_text(void **) {
    const std::string text =
        "To sign in, open https://example.test/device \u2014 Gr\u00fc\u00dfe, "
        "\u4e16\u754c \U0001F600 \u05e9\u05dc\u05d5\u05dd";
    assert_sv_equal(display_text(text, kBig), text);
    assert_sv_equal(display_text("", kBig), "");
}

void removes_controls(void **) {
    // ESC loses its sequence's introducer, so "[2J" is harmless text; the 8-bit CSI
    // (U+009B), BEL, BS, DEL and NUL go too.
    assert_sv_equal(display_text("a\x1b[2Jb\x07"
                                 "c\x7f"
                                 "d\xc2\x9b"
                                 "31me\bf",
                                 kBig),
                    "a[2Jbcd31mef");
    assert_sv_equal(display_text(std::string_view("x\0y", 3), kBig), "xy");
    assert_sv_equal(display_text("\x1b]0;pwned\x07", kBig), "]0;pwned");
}

void removes_every_bidi_control(void **) {
    for (char32_t cp : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                        0x200E, 0x200F, 0x061C}) {
        assert_sv_equal(display_text("ab" + utf8(cp) + "cd", kBig), "abcd");
    }
    // The "Trojan Source" trick: read as "invoice_txt.exe" once the override goes.
    assert_sv_equal(display_text("invoice_\u202Eexe.txt\u202C", kBig), "invoice_exe.txt");
}

void removes_invisible_characters(void **) {
    // Zero-width space and joiner, BOM, soft hyphen, word joiner, a tag character, a
    // Hangul filler, a variation selector, noncharacters.
    for (char32_t cp : {0x200B, 0x200D, 0xFEFF, 0x00AD, 0x2060, 0xE0041, 0x3164, 0xFE0F, 0xFFFF,
                        0xFDD0, 0x10FFFE}) {
        assert_sv_equal(display_text("co" + utf8(cp) + "de", kBig), "code");
    }
}

void folds_whitespace_to_one_line(void **) {
    assert_sv_equal(display_text("  one\ttwo\r\nthree\u00a0four\u2028five\u3000 ", kBig),
                    "one two three four five");
    // A control between spaces does not leave two spaces behind.
    assert_sv_equal(display_text("a \x1b b", kBig), "a b");
}

void replaces_invalid_utf8(void **) {
    const std::string r = "\uFFFD";
    assert_sv_equal(display_text("a\xff"
                                 "b",
                                 kBig),
                    "a" + r + "b");
    // Overlong '/', a surrogate, above U+10FFFF: one replacement per maximal subpart.
    assert_sv_equal(display_text("\xc0\xaf", kBig), r + r);
    assert_sv_equal(display_text("\xed\xa0\x80", kBig), r + r + r);
    assert_sv_equal(display_text("\xf4\x90\x80\x80", kBig), r + r + r + r);
    // A truncated sequence does not swallow the character after it.
    assert_sv_equal(display_text("\xe2\x82x", kBig), r + "x");
    assert_sv_equal(display_text("\xe2\x82", kBig), r);
    assert_sv_equal(display_text("\xe2\x82\xac", kBig), "\u20ac");
    // An 8-bit CSI sent as a bare byte is invalid UTF-8: replaced, never passed on.
    assert_sv_equal(display_text("\x9b"
                                 "2J",
                                 kBig),
                    r + "2J");
}

void caps_length_on_a_character_boundary(void **) {
    assert_sv_equal(display_text(std::string(10, 'a'), 10), std::string(10, 'a'));
    assert_sv_equal(display_text(std::string(11, 'a'), 10), std::string(7, 'a') + "\u2026");
    // Two-byte characters: never half of one before the ellipsis.
    assert_sv_equal(display_text("\u00e9\u00e9\u00e9\u00e9\u00e9", 9), "\u00e9\u00e9\u00e9\u2026");
    // No space hangs before the ellipsis.
    assert_sv_equal(display_text("aaaa bbbbbbbb", 8), "aaaa\u2026");
    // Caps smaller than the ellipsis still hold.
    assert_sv_equal(display_text("abcdef", 2), "ab");
    assert_sv_equal(display_text("abcdef", 0), "");
    const std::string mixed = "x\u00e9\u4e16\U0001F600y\u00e9\u4e16\U0001F600z";
    for (std::size_t cap = 0; cap <= mixed.size() + 1; ++cap) {
        const std::string out = display_text(mixed, cap);
        assert_true(out.size() <= cap);
        assert_true(well_formed(out));
    }
}

void caps_server_messages(void **) {
    using namespace aadcred::frontend;
    const std::string huge(1 << 20, 'm');
    for (std::size_t cap : {kCodeBytes, kUrlBytes, kMessageBytes, kErrorBytes}) {
        const std::string out = display_text(huge, cap);
        assert_int_equal(out.size(), cap);
        assert_true(std::string_view(out).ends_with("\u2026"));
    }
    assert_true(kCodeBytes < kUrlBytes && kUrlBytes < kMessageBytes);
}

void ascii_form_for_pam(void **) {
    assert_sv_equal(display_text("Gr\u00fc\u00dfe\u202E \x1b[1mX\xff", kBig, Charset::ascii),
                    "Gr??e [1mX?");
    assert_sv_equal(display_text(std::string(20, 'a'), 10, Charset::ascii),
                    std::string(7, 'a') + "...");
    // The same characters go in both forms: only what is left differs.
    const std::string hostile = "AB\u202E\u200BCD\x1b\r\nEF";
    assert_sv_equal(display_text(hostile, kBig, Charset::ascii), display_text(hostile, kBig));
}

void decodes_strictly(void **) {
    using aadcred::frontend::decode_utf8;
    const auto euro = decode_utf8("\xe2\x82\xac", 0);
    assert_true(euro.valid);
    assert_int_equal(euro.code_point, 0x20AC);
    assert_int_equal(euro.length, 3);
    const auto max = decode_utf8("\xf4\x8f\xbf\xbf", 0);
    assert_true(max.valid);
    assert_int_equal(max.code_point, 0x10FFFF);
    const auto overlong = decode_utf8("\xe0\x80\xaf", 0);  // '/' in three bytes
    assert_false(overlong.valid);
    assert_int_equal(overlong.length, 1);
    const auto cut = decode_utf8("\xf0\x9f\x98", 0);
    assert_false(cut.valid);
    assert_int_equal(cut.length, 3);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_visible_text),
        cmocka_unit_test(removes_controls),
        cmocka_unit_test(removes_every_bidi_control),
        cmocka_unit_test(removes_invisible_characters),
        cmocka_unit_test(folds_whitespace_to_one_line),
        cmocka_unit_test(replaces_invalid_utf8),
        cmocka_unit_test(caps_length_on_a_character_boundary),
        cmocka_unit_test(caps_server_messages),
        cmocka_unit_test(ascii_form_for_pam),
        cmocka_unit_test(decodes_strictly),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
