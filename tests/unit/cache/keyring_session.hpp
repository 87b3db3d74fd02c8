#pragma once
// For the tests that use the kernel keyring: each test joins a new, empty session keyring
// (the user's own keyrings are never touched); where the kernel refuses keyctl (a
// container's seccomp policy, a kernel without keys) each test reports SKIPPED and why.

#include <keyutils.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "cache_test.hpp"

namespace cache_test {

/// Why the kernel keyring cannot be used here, or "" (probed once, at the first call).
inline const std::string &keyring_unavailable() {
    static const std::string why = [] {
        if (keyctl_join_session_keyring(nullptr) >= 0) return std::string();
        return std::string("no kernel keyring here (keyctl_join_session_keyring: ") +
               std::strerror(errno) + ")";
    }();
    return why;
}

/// In a test: reports SKIPPED with the reason, and ends the test, when there is no
/// kernel keyring here.
inline void skip_without_keyring() {
    if (keyring_unavailable().empty()) return;
    print_message("SKIPPED: %s\n", keyring_unavailable().c_str());
    skip();
}

/// CMocka setup: a new, empty session keyring for the test (when there is a keyring).
inline int fresh_session_keyring(void **) {
    if (keyring_unavailable().empty()) assert_true(keyctl_join_session_keyring(nullptr) >= 0);
    return 0;
}

}  // namespace cache_test
