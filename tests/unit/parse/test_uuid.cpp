// uuid4(): the text Python's str(uuid.uuid4()) produces, random each time.

#include "util/uuid.hpp"

#include <cstring>
#include <set>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static void shape_is_version_4(void **) {
    for (int i = 0; i < 64; ++i) {
        const std::string id = uuid4();
        assert_int_equal(id.size(), 36);
        for (std::size_t p = 0; p < id.size(); ++p) {
            if (p == 8 || p == 13 || p == 18 || p == 23) {
                assert_int_equal(id[p], '-');
            } else {
                assert_non_null(std::strchr("0123456789abcdef", id[p]));
            }
        }
        assert_int_equal(id[14], '4');
        assert_non_null(std::strchr("89ab", id[19]));
    }
}

static void values_differ(void **) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(uuid4());
    assert_int_equal(seen.size(), 1000);
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shape_is_version_4),
        cmocka_unit_test(values_differ),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
