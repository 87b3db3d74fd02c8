#include "provider/account_lock.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "core/adal_error.hpp"
#include "util/digest.hpp"
#include "util/environment.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

using namespace std::chrono_literals;

// Every failure to find a lock directory names the way out.
constexpr const char *kHint = " (set XDG_RUNTIME_DIR to a directory of your own, mode 700)";

[[noreturn]] void fail(const std::string &what, int err) {
    throw AdalError(ErrorClass::store, "Account lock: " + what + ": " + std::strerror(err));
}

[[noreturn]] void refuse(const std::string &what) {
    throw AdalError(ErrorClass::store, "Account lock: " + what + kHint);
}

// The directory must be ours alone: another user who could create files in it could
// plant a symlink or hold our lock forever.
void ensure_private_dir(const std::string &dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create " + dir, errno);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) fail("cannot stat " + dir, errno);
    if (!S_ISDIR(st.st_mode)) refuse(dir + " is not a directory");
    if (st.st_uid != ::geteuid()) refuse(dir + " belongs to another user");
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        refuse(dir + " is accessible by other users (chmod 700 it)");
    }
}

// mkdir -p with 0700 for what is missing; what exists is checked by ensure_private_dir
// at the end (only the last component has to be private).
void make_parents(const std::string &dir) {
    for (std::size_t slash = dir.find('/', 1); slash != std::string::npos;
         slash = dir.find('/', slash + 1)) {
        const std::string part = dir.substr(0, slash);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
            fail("cannot create " + part, errno);
        }
    }
}

// The caller's $HOME, or (privileged, or unset) the home of our effective user in the
// password database: a setuid program must not let its caller choose where it locks.
std::string home_directory() {
    const char *home = caller_env("HOME");
    if (home != nullptr && home[0] == '/') return home;
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(static_cast<std::size_t>(size > 0 ? size : 16384));
    struct passwd pw {};
    struct passwd *found = nullptr;
    if (::getpwuid_r(::geteuid(), &pw, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr || pw.pw_dir == nullptr || pw.pw_dir[0] != '/') {
        refuse("no XDG_RUNTIME_DIR and no home directory to keep lock files in");
    }
    return pw.pw_dir;
}

// Without XDG_RUNTIME_DIR: a directory in our own home, which no other user can create
// (the old /tmp/aadcred-<uid> could be made first by anyone, denying us service).
std::string state_directory() {
    const char *state = caller_env("XDG_STATE_HOME");
    std::string base = state != nullptr && state[0] == '/' ? std::string(state)
                                                           : home_directory() + "/.local/state";
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return base + "/aadcred";
}

}  // namespace

std::string lock_directory() {
    const char *runtime = caller_env("XDG_RUNTIME_DIR");
    std::string dir;
    if (runtime != nullptr && runtime[0] == '/') {
        dir = std::string(runtime) + "/aadcred";
    } else {
        dir = state_directory();
        make_parents(dir);
    }
    ensure_private_dir(dir);
    return dir;
}

AccountLock::AccountLock(std::string_view authority, std::string_view client_id,
                         std::chrono::seconds wait)
    : wait_(wait) {
    // Hashed: the name leaks nothing about the account and has a bounded length.
    std::string account = ascii_lower(authority);
    account += '|';
    account += ascii_lower(client_id);
    path_ = lock_directory() + "/" + sha256_hex(account) + ".lock";
    // O_NONBLOCK: a FIFO planted under the name must not block the open.
    fd_.reset(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
    if (!fd_) fail("cannot open " + path_, errno);
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) fail("cannot stat " + path_, errno);
    if (!S_ISREG(st.st_mode)) {
        throw AdalError(ErrorClass::store, "Account lock: " + path_ + " is not a regular file");
    }
}

void AccountLock::lock() {
    // flock(2) has no timeout, and a library may not use signals to interrupt it, so the
    // wait is a non-blocking attempt repeated with a growing pause (at most 100 ms).
    const auto deadline = std::chrono::steady_clock::now() + wait_;
    std::chrono::milliseconds pause = 5ms;
    for (;;) {
        if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) return;
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) fail("cannot lock " + path_, errno);
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            throw AdalError(ErrorClass::timeout,
                            "Account lock: another aadcred process holds the lock for this "
                            "account (" +
                                path_ + "); gave up after " + std::to_string(wait_.count()) + " s");
        }
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

void AccountLock::unlock() noexcept {
    // Cannot fail on an open descriptor; and closing it (destruction) releases it anyway.
    // The lock file stays: deleting it would let a third process lock a new inode while
    // a second one waits on the old.
    (void)::flock(fd_.get(), LOCK_UN);
}

}  // namespace aadcred
