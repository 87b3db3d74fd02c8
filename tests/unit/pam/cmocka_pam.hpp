#pragma once
// CMocka for the PAM unit tests: include after every C++ header (cmocka.h defines a
// fail() macro that breaks <ios>, and lacks C++ guards).
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
extern "C" {
#include <cmocka.h>
}
// clang-format on
