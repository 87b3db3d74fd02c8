// parse_api_kind(): the one reading of "v1", "v2" and "oidc" in the CLI, git and PAM.

#include <optional>

#include "../common/cmocka_cpp.hpp"
#include "api_kind.hpp"

namespace {

using aadcred::frontend::parse_api_kind;

void names_each_api(void **) {
    assert_true(parse_api_kind("v1") == std::optional(AADCRED_API_V1));
    assert_true(parse_api_kind("v2") == std::optional(AADCRED_API_V2));
    assert_true(parse_api_kind("oidc") == std::optional(AADCRED_API_OIDC));
}

void refuses_anything_else(void **) {
    for (const char *name : {"", "V1", "OIDC", "v3", "v1 ", " v2", "v", "oidc\n", "1"}) {
        assert_false(parse_api_kind(name).has_value());
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_each_api),
        cmocka_unit_test(refuses_anything_else),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
