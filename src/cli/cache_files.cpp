#include "cache_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "config.hpp"

namespace aadcred::cli {
namespace {

// Closes a descriptor we opened (not stdin/stdout) on every path.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ > STDERR_FILENO) ::close(fd_);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

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
    // Same directory as FILE, so rename(2) replaces it atomically; O_EXCL so an existing
    // file (or a symlink planted by someone else) is never written through.
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) fail(temp, errno);
    const bool written =
        write_all(fd.get(), text, size) && write_all(fd.get(), "\n", 1) && ::fsync(fd.get()) == 0;
    const int error = errno;
    const int raw = fd.release();
    if (::close(raw) != 0 || !written) {
        ::unlink(temp.c_str());
        fail(temp, written ? errno : error);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int rename_error = errno;
        ::unlink(temp.c_str());
        fail(path, rename_error);
    }
}

}  // namespace aadcred::cli
