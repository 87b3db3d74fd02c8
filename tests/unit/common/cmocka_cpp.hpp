#pragma once
// CMocka from C++, for every unit test folder. Include it after every C++ header:
// cmocka.h defines a fail() macro that breaks <ios>, needs these C headers first, in
// this order, and (1.1) declares its functions without extern "C".
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
// cmocka.h has no C++ guards around print_error() and friends.
extern "C" {
#include <cmocka.h>
}
// clang-format on

#include <string>
#include <string_view>

// Compares as strings and prints both on failure (assert_string_equal needs C strings and
// stops at NUL; these helpers keep embedded bytes).
#define assert_sv_equal(a, b) assert_true(::unit_test::same((a), (b)))

namespace unit_test {
inline bool same(std::string_view got, std::string_view want) {
    if (got == want) return true;
    print_error("got:  [%.*s]\nwant: [%.*s]\n", static_cast<int>(got.size()), got.data(),
                static_cast<int>(want.size()), want.data());
    return false;
}
}  // namespace unit_test
