#include "cache_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "config.hpp"
#include "unique_fd.hpp"

namespace aadcred::cli {
namespace {

using frontend::UniqueFd;

bool write_all(int fd, const char *data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

[[noreturn]] void fail(const std::string &what, int error) {
    throw ConfigError(what + ": " + std::strerror(error));
}

[[noreturn]] void refuse(const std::string &path, const std::string &why) {
    throw ConfigError(path + ": " + why + "; the tokens were not written");
}

bool ours_or_roots(uid_t uid) {
    return uid == ::geteuid() || uid == 0;
}

// FILE is missing or a regular file: a new 0600 file under a temporary name beside it
// (mkostemp: O_EXCL, so nothing planted is written through), synced, then renamed to
// FILE, so a reader never sees half a cache. When FILE did not exist, the rename must not
// replace whatever appeared there meanwhile (RENAME_NOREPLACE).
void replace_atomically(const std::string &path, const char *text, std::size_t size, bool exists) {
    std::string temp = path + ".aadcred-tmp-XXXXXX";
    UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (fd.get() < 0) fail(path + ": cannot create a temporary file beside it", errno);
    const bool written =
        write_all(fd.get(), text, size) && write_all(fd.get(), "\n", 1) && ::fsync(fd.get()) == 0;
    const int error = errno;
    const int raw = fd.release();
    if (::close(raw) != 0 || !written) {
        ::unlink(temp.c_str());
        fail(temp, written ? errno : error);
    }
    int rc = exists ? ::rename(temp.c_str(), path.c_str())
                    : ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && !exists && errno == EINVAL) {
        // A file system without RENAME_NOREPLACE: link(2) refuses an existing name too.
        rc = ::link(temp.c_str(), path.c_str());
    }
    const int rename_error = errno;
    ::unlink(temp.c_str());  // after link(2) the data lives on under FILE
    if (rc != 0) {
        if (rename_error == EEXIST) refuse(path, "something appeared under this name");
        fail(path, rename_error);
    }
}

// FILE is not a regular file: write into what is there (a terminal, /dev/null, a FIFO a
// reader waits on, /dev/stdout) and never replace it. A symlink is followed only when it
// is ours or root's (another user's link, as fs.protected_symlinks has it, may point
// anywhere they can read) and only to a character device or FIFO: through a link to a
// regular file the write would be neither atomic nor private, and a dangling link is
// never created through.
void write_in_place(const std::string &path, const struct stat &link, const char *text,
                    std::size_t size) {
    const bool symlink = S_ISLNK(link.st_mode);
    if (symlink && !ours_or_roots(link.st_uid)) {
        refuse(path, "a symbolic link that belongs to another user");
    }
    // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of hanging.
    const int flags = O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | (symlink ? 0 : O_NOFOLLOW);
    UniqueFd fd(::open(path.c_str(), flags));
    if (fd.get() < 0) {
        if (errno == ENXIO) refuse(path, "a FIFO nobody reads, or a socket");
        if (errno == ENOENT && symlink) refuse(path, "a symbolic link to nothing");
        fail(path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail(path, errno);
    if (S_ISREG(st.st_mode)) {
        refuse(path, "a symbolic link to a regular file: name that file itself (or - for stdout)");
    }
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        refuse(path, "not a regular file, character device or FIFO");
    }
    // Someone else's FIFO would hand them the tokens.
    if (!ours_or_roots(st.st_uid)) refuse(path, "belongs to another user");
    const int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl < 0 || ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK) != 0) fail(path, errno);
    if (!write_all(fd.get(), text, size) || !write_all(fd.get(), "\n", 1)) fail(path, errno);
    const int raw = fd.release();
    if (::close(raw) != 0) fail(path, errno);
}

}  // namespace

void read_private_input(const std::string &path, std::size_t cap, WipedString &out) {
    read_input(path, cap, input_name(path), "larger than " + std::to_string(cap / 1024) + " KiB",
               out.text());
}

void write_private_output(const std::string &path, const char *text) {
    const std::size_t size = std::strlen(text);
    if (path == "-") {
        if (!write_all(STDOUT_FILENO, text, size) || !write_all(STDOUT_FILENO, "\n", 1)) {
            fail("stdout", errno);
        }
        return;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) fail(path, errno);
        replace_atomically(path, text, size, false);
    } else if (S_ISREG(st.st_mode)) {
        replace_atomically(path, text, size, true);
    } else {
        write_in_place(path, st, text, size);
    }
}

}  // namespace aadcred::cli
