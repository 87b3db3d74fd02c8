#include "util/environment.hpp"

#include <sys/auxv.h>
#include <unistd.h>

#include <cstdlib>

namespace aadcred {

bool running_privileged() noexcept {
    // secure_getenv looks at AT_SECURE only; a process that changed its ids after exec
    // (a daemon calling setresuid, a PAM stack after setfsuid-less setuid) is caught by
    // the id comparison.
    if (getauxval(AT_SECURE) != 0) return true;
    return getuid() != geteuid() || getgid() != getegid();
}

const char *caller_env(const char *name) noexcept {
    if (running_privileged()) return nullptr;
    return std::getenv(name);
}

}  // namespace aadcred
