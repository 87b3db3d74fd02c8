#pragma once
// Helpers shared by the cache and provider unit tests: CMocka from C++, string
// comparison that prints both sides, expected AdalErrors, and a private temp directory.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "../common/temp_dir.hpp"
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

using unit_test::TempDir;

}  // namespace cache_test
