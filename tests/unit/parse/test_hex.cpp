// hex_lower() and sha256_hex(): the names derived from hashes (hot cache keys, account
// lock files, kernel keyring entries) as lower-case hex, checked against known answers.

#include <string>

#include "util/digest.hpp"
#include "util/text.hpp"

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static void spells_each_byte_as_two_digits(void **) {
    assert_string_equal(hex_lower(std::string("\x00\x01\x7f\x80\xab\xff", 6)).c_str(),
                        "00017f80abff");
    assert_string_equal(hex_lower("").c_str(), "");
}

static void sha256_of_abc_is_fips_180s_answer(void **) {
    // FIPS 180-4's example (NIST's SHA256.pdf): SHA-256("abc").
    assert_string_equal(sha256_hex("abc").c_str(),
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spells_each_byte_as_two_digits),
        cmocka_unit_test(sha256_of_abc_is_fips_180s_answer),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
