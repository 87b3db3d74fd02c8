// UniqueFd: the one owner of a file descriptor in the front ends.

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "../common/cmocka_cpp.hpp"
#include "unique_fd.hpp"

namespace {

using aadcred::frontend::UniqueFd;

bool is_open(int fd) {
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

int open_null() {
    const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

void closes_when_destroyed(void **) {
    const int raw = open_null();
    {
        const UniqueFd fd(raw);
        assert_true(static_cast<bool>(fd));
        assert_int_equal(fd.get(), raw);
    }
    assert_false(is_open(raw));
}

void owns_nothing_by_default(void **) {
    const UniqueFd none;
    assert_false(static_cast<bool>(none));
    assert_int_equal(none.get(), -1);
    const UniqueFd failed(open("/nonexistent/aadcred", O_RDONLY));
    assert_false(static_cast<bool>(failed));
}

void release_hands_it_over_open(void **) {
    const int raw = open_null();
    int released = -1;
    {
        UniqueFd fd(raw);
        released = fd.release();
        assert_int_equal(fd.get(), -1);
        assert_false(static_cast<bool>(fd));
    }
    assert_int_equal(released, raw);
    assert_true(is_open(raw));
    assert_int_equal(close(raw), 0);
}

void moves_ownership(void **) {
    const int first = open_null();
    const int second = open_null();
    UniqueFd a(first);
    UniqueFd b(std::move(a));
    assert_int_equal(a.get(), -1);  // NOLINT(bugprone-use-after-move): what a move leaves
    assert_int_equal(b.get(), first);
    UniqueFd c(second);
    c = std::move(b);  // closes what c held
    assert_false(is_open(second));
    assert_true(is_open(first));
    assert_int_equal(c.get(), first);
    c.reset();
    assert_false(is_open(first));
    assert_int_equal(c.get(), -1);
}

void reset_closes_the_old_one(void **) {
    const int first = open_null();
    const int second = open_null();
    UniqueFd fd(first);
    fd.reset(second);
    assert_false(is_open(first));
    assert_int_equal(fd.get(), second);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closes_when_destroyed),      cmocka_unit_test(owns_nothing_by_default),
        cmocka_unit_test(release_hands_it_over_open), cmocka_unit_test(moves_ownership),
        cmocka_unit_test(reset_closes_the_old_one),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
