#pragma once
// Runs a callable that must throw AdalError of the given class; returns its message.

#include "core/adal_error.hpp"

#include "cmocka_cpp.hpp"  // IWYU pragma: keep

namespace unit_test {

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

}  // namespace unit_test
