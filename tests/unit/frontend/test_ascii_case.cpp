// ascii_lower() and equal_ignoring_ascii_case(): case folding for ASCII only, whatever
// the locale, in the git helper (hosts, schemes, settings) and PAM (user names).

#include <locale.h>

#include <string>

#include "../common/cmocka_cpp.hpp"
#include "ascii_case.hpp"

namespace {

using aadcred::frontend::ascii_lower;
using aadcred::frontend::equal_ignoring_ascii_case;

void folds_ascii_capitals_only(void **) {
    assert_sv_equal(ascii_lower("Dev.Azure.COM:443/Org_~-"), "dev.azure.com:443/org_~-");
    assert_sv_equal(ascii_lower(""), "");
    // '@', '[', '`' and '{' border the letters; UTF-8 bytes stay as they are.
    assert_sv_equal(ascii_lower("@AZ[`az{"), "@az[`az{");
    assert_sv_equal(ascii_lower("\xC3\x84\xC4\xB0I"), "\xC3\x84\xC4\xB0i");  // "ÄİI"
    const std::string with_nul("A\0B", 3);
    assert_sv_equal(ascii_lower(with_nul), std::string("a\0b", 3));
    assert_int_equal(ascii_lower('Q'), 'q');
    assert_int_equal(ascii_lower('\xC9'), '\xC9');  // É in Latin-1 is not ASCII
}

void compares_ignoring_ascii_case(void **) {
    assert_true(equal_ignoring_ascii_case("Alice", "aLICE"));
    assert_true(equal_ignoring_ascii_case("", ""));
    assert_false(equal_ignoring_ascii_case("alice", "alice "));
    assert_false(equal_ignoring_ascii_case("alice", "alicf"));
    assert_false(equal_ignoring_ascii_case("@", "`"));  // 0x40 and 0x60 are not a case pair
    assert_false(equal_ignoring_ascii_case("\xC3\x84", "\xC3\xA4"));  // Ä is not ä here
}

// The locale's tolower would fold these; ASCII folding must not (the Turkish dotless i).
void ignores_the_locale(void **) {
    if (setlocale(LC_ALL, "tr_TR.ISO-8859-9") == nullptr &&
        setlocale(LC_ALL, "de_DE.ISO-8859-1") == nullptr) {
        setlocale(LC_ALL, "C");
    }
    assert_false(equal_ignoring_ascii_case("\xDD", "i"));     // İ in ISO-8859-9
    assert_false(equal_ignoring_ascii_case("\xC4", "\xE4"));  // Ä, ä in ISO-8859-1
    assert_sv_equal(ascii_lower("I\xC4"), "i\xC4");
    setlocale(LC_ALL, "C");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_ascii_capitals_only),
        cmocka_unit_test(compares_ignoring_ascii_case),
        cmocka_unit_test(ignores_the_locale),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
