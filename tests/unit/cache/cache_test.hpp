#pragma once
// Helpers shared by the cache and provider unit tests: CMocka from C++, string
// comparison that prints both sides, expected AdalErrors, and a private temp directory.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/adal_error.hpp"

// cmocka defines fail() & co. as macros: include it after every C++ header (and include
// this file last).
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
// cmocka 1.1 declares its functions without extern "C".
extern "C" {
#include <cmocka.h>
}
// clang-format on

#define assert_sv_equal(a, b) assert_true(::cache_test::same((a), (b)))

namespace cache_test {

inline bool same(std::string_view got, std::string_view want) {
    if (got == want) return true;
    print_error("got:  [%.*s]\nwant: [%.*s]\n", static_cast<int>(got.size()), got.data(),
                static_cast<int>(want.size()), want.data());
    return false;
}

/// Runs `f`, which must throw AdalError of class `klass`; returns the message.
template <typename F>
std::string expect_error(aadcred::ErrorClass klass, F &&f) {
    try {
        f();
    } catch (const aadcred::AdalError &e) {
        if (e.klass() != klass) {
            print_error("wrong error class %d for: %s\n", static_cast<int>(e.klass()), e.what());
            fail();
        }
        return e.message();
    }
    print_error("expected an AdalError, nothing was thrown\n");
    fail();
    return {};
}

inline bool contains(std::string_view text, std::string_view part) {
    if (text.find(part) != std::string_view::npos) return true;
    print_error("[%.*s] does not contain [%.*s]\n", static_cast<int>(text.size()), text.data(),
                static_cast<int>(part.size()), part.data());
    return false;
}

/// A fresh 0700 directory, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "aadcred-test.XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) fail();
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

  private:
    std::string path_;
};

}  // namespace cache_test
