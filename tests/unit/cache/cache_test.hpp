#pragma once
// Helpers shared by the cache and provider unit tests: CMocka from C++, string
// comparison that prints both sides, expected AdalErrors, and a private temp directory.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/adal_error.hpp"

#include "../common/cmocka_cpp.hpp"
#include "../common/expect_adal_error.hpp"

namespace cache_test {

using unit_test::expect_error;

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
