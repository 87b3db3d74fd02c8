// secret_string.hpp: tokens, refresh tokens, device codes and client secrets are wiped
// from memory, not merely released: the whole buffer, heap or small-string, is zeroed.

#include "util/secret_string.hpp"

#include <string>

// CMocka last: its fail() and other macros break standard headers included after it.
#include "../common/cmocka_cpp.hpp"

using namespace aadcred;

static bool all_zero(const char *data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] != '\0') return false;
    }
    return true;
}

static void wipe_zeroes_the_whole_heap_buffer(void **) {
    std::string token(200, 'T');
    token.resize(150);  // the bytes past size() held the secret too
    const char *buffer = token.data();
    const std::size_t capacity = token.capacity();
    secure_wipe(token);
    assert_true(token.empty());
    assert_ptr_equal(token.data(), buffer);  // still ours: clear() keeps the buffer
    assert_true(all_zero(buffer, capacity));
}

static void wipe_zeroes_a_small_string_in_place(void **) {
    std::string code("ABCD-EFGH");
    const char *buffer = code.data();
    const std::size_t capacity = code.capacity();
    secure_wipe(code);
    assert_true(code.empty());
    assert_true(all_zero(buffer, capacity));
}

static void a_moved_from_secret_is_wiped_and_empty(void **) {
    SecretString first(std::string(64, 'R'));
    SecretString second(std::move(first));
    assert_true(first.empty());  // NOLINT(bugprone-use-after-move): checked on purpose
    assert_int_equal(second.size(), 64);
    SecretString third;
    third = std::move(second);
    assert_true(second.empty());  // NOLINT(bugprone-use-after-move)
    assert_true(third.reveal() == std::string(64, 'R'));
}

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wipe_zeroes_the_whole_heap_buffer),
        cmocka_unit_test(wipe_zeroes_a_small_string_in_place),
        cmocka_unit_test(a_moved_from_secret_is_wiped_and_empty),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
