// parse_sign_in_flow(): the one reading of "auto", "device" and "browser" in the CLI and git.

#include <optional>

#include "../common/cmocka_cpp.hpp"
#include "sign_in_flow.hpp"

namespace {

using aadcred::frontend::parse_sign_in_flow;

void names_each_flow(void **) {
    assert_true(parse_sign_in_flow("auto") == std::optional(AADCRED_FLOW_AUTO));
    assert_true(parse_sign_in_flow("device") == std::optional(AADCRED_FLOW_DEVICE));
    assert_true(parse_sign_in_flow("browser") == std::optional(AADCRED_FLOW_BROWSER));
}

void refuses_anything_else(void **) {
    for (const char *name : {"", "Auto", "devicecode", "web", "browser ", "0"}) {
        assert_false(parse_sign_in_flow(name).has_value());
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_each_flow),
        cmocka_unit_test(refuses_anything_else),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
