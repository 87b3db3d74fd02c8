#pragma once
// RapidJSON's settings for the whole build. The top meson.build forces this header into
// every C++ translation unit (-include), ahead of any RapidJSON header, so the library,
// the front ends, the tests and the fuzz targets all compile RapidJSON's inline functions
// with one RAPIDJSON_ASSERT: two definitions would break the one definition rule. It needs
// only the standard library, so a front end (which may include only include/aadcred/ and
// its own folder) gets nothing from src/ through it.
//
// RapidJSON's default assert() aborts the process, and the process may be sshd, a display
// manager or git: a call RapidJSON forbids (GetString() on a number, a missing member
// through operator[]) throws JsonAssertion instead. json::parse turns it into
// AdalError(protocol); the C ABI and the front ends report any std::exception as an error.

#include <cassert>
#include <stdexcept>

namespace aadcred::util {

/// What RAPIDJSON_ASSERT throws: a RapidJSON precondition that did not hold.
class JsonAssertion : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

}  // namespace aadcred::util

#define RAPIDJSON_ASSERT(x)     \
    (static_cast<bool>(x)       \
         ? static_cast<void>(0) \
         : throw ::aadcred::util::JsonAssertion("RapidJSON assertion failed: " #x))

// RapidJSON after 1.1.0 reads these: RAPIDJSON_ASSERT throws, so its noexcept functions
// use RAPIDJSON_NOEXCEPT_ASSERT, where a throw would call std::terminate. Those checks
// (a null string pointer, self-assignment) are programming errors no input can reach;
// they keep assert(). Debian 12's 1.1.0 has neither macro and, in its few noexcept
// functions with an assert, a throw ends in std::terminate just as assert() aborts.
#define RAPIDJSON_ASSERT_THROWS 1
#define RAPIDJSON_NOEXCEPT_ASSERT(x) assert(x)
