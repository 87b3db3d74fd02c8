#include "provider/account_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/adal_error.hpp"
#include "util/digest.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

[[noreturn]] void fail(const std::string &what, int err) {
    throw AdalError(ErrorClass::store, "Account lock: " + what + ": " + std::strerror(err));
}

// The directory must be ours alone: another user who could create files in it could
// plant a symlink or hold our lock forever.
void ensure_private_dir(const std::string &dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create " + dir, errno);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) fail("cannot stat " + dir, errno);
    if (!S_ISDIR(st.st_mode)) {
        throw AdalError(ErrorClass::store, "Account lock: " + dir + " is not a directory");
    }
    if (st.st_uid != ::geteuid()) {
        throw AdalError(ErrorClass::store, "Account lock: " + dir + " belongs to another user");
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        throw AdalError(ErrorClass::store,
                        "Account lock: " + dir + " is accessible by other users (chmod 700 it)");
    }
}

}  // namespace

std::string lock_directory() {
    const char *runtime = std::getenv("XDG_RUNTIME_DIR");
    std::string dir;
    if (runtime != nullptr && runtime[0] == '/') {
        dir = std::string(runtime) + "/aadcred";
    } else {
        dir = "/tmp/aadcred-" + std::to_string(::geteuid());
    }
    ensure_private_dir(dir);
    return dir;
}

AccountLock::AccountLock(std::string_view authority, std::string_view client_id,
                         std::string_view resource, std::string_view user_id) {
    // Hashed: the name leaks nothing about the account and has a bounded length.
    std::string account = ascii_lower(authority);
    account += '|';
    account += ascii_lower(client_id);
    account += '|';
    account += ascii_lower(resource);
    account += '|';
    account += ascii_lower(user_id);
    path_ = lock_directory() + "/" + sha256_hex(account) + ".lock";
    fd_.reset(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd_) fail("cannot open " + path_, errno);
}

void AccountLock::lock() {
    while (::flock(fd_.get(), LOCK_EX) != 0) {
        if (errno != EINTR) fail("cannot lock " + path_, errno);
    }
}

void AccountLock::unlock() noexcept {
    // Cannot fail on an open descriptor; and closing it (destruction) releases it anyway.
    // The lock file stays: deleting it would let a third process lock a new inode while
    // a second one waits on the old.
    (void)::flock(fd_.get(), LOCK_UN);
}

}  // namespace aadcred
