#pragma once
// CMocka for C++ tests. Include it after every C++ header: cmocka.h defines a fail()
// macro that breaks <ios>, and declares most functions without extern "C".
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
extern "C" {
#include <cmocka.h>
}
// clang-format on
