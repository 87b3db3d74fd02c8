// The key cache directory: openat()/renameat() relative to one checked descriptor, and
// O_NOFOLLOW everywhere, so neither a symlink nor a swapped path can redirect a read or
// a write (the pattern of systemd's chase() and of fd-relative I/O in general).

#include "core/identity/key_cache_dir.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace aadcred {
namespace {

std::string errno_text(int error) {
    return std::strerror(error);
}

// Root's files, and our own (a cache a user keeps for their own process), are trusted;
// a file or directory of anyone else, or one its group or others may write, is not.
std::optional<std::string> untrusted(const struct stat &st) {
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return "it belongs to uid " + std::to_string(st.st_uid) + ", not root";
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "its group or others may write it";
    return std::nullopt;
}

// Cache file names are ours (hex digits and ".json"): nothing with a '/' or a leading dot.
bool plain_name(std::string_view name) {
    return !name.empty() && name.front() != '.' && name.find('/') == std::string_view::npos &&
           name.find('\0') == std::string_view::npos;
}

std::string temporary_name(std::string_view name) {
    unsigned char random[8] = {};
    if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
        const auto pid = static_cast<unsigned long>(getpid());
        std::memcpy(random, &pid, std::min(sizeof pid, sizeof random));
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "." + std::string(name) + ".";
    for (const unsigned char c : random) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

class Fd {
  public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

}  // namespace

std::variant<KeyCacheDir, KeyCacheDir::Refused> KeyCacheDir::open(const std::string &path) {
    if (path.empty() || path.front() != '/') return Refused{"the path is not absolute"};
    Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0) {
        const int error = errno;
        if (error == ELOOP || error == ENOTDIR)
            return Refused{"it is not a directory (a symlink is not followed)"};
        return Refused{"cannot open it: " + errno_text(error)};
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) return Refused{"cannot stat it: " + errno_text(errno)};
    if (auto why = untrusted(st)) return Refused{*why};
    return KeyCacheDir(fd.release(), path);
}

KeyCacheDir::KeyCacheDir(KeyCacheDir &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

KeyCacheDir &KeyCacheDir::operator=(KeyCacheDir &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

KeyCacheDir::~KeyCacheDir() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> KeyCacheDir::read(std::string_view name) const {
    if (!plain_name(name)) return std::nullopt;
    const std::string file(name);
    // O_NONBLOCK: a FIFO planted here must not hang a login (fstat refuses it next).
    Fd fd(::openat(fd_, file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return std::nullopt;
    struct stat st {};
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || untrusted(st) || st.st_size < 0 ||
        static_cast<std::size_t>(st.st_size) > kMaxKeyCacheFileBytes)
        return std::nullopt;
    std::string out;
    out.resize(static_cast<std::size_t>(st.st_size) + 1);  // +1 sees a file that grew
    std::size_t used = 0;
    while (used < out.size()) {
        const ssize_t n = ::read(fd.get(), out.data() + used, out.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    if (used > kMaxKeyCacheFileBytes) return std::nullopt;
    out.resize(used);
    return out;
}

bool KeyCacheDir::write(std::string_view name, std::string_view contents, std::string &why) const {
    if (!plain_name(name)) {
        why = "not a plain file name";
        return false;
    }
    const std::string target(name);
    const std::string temporary = temporary_name(name);
    Fd fd(::openat(fd_, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0644));
    if (fd.get() < 0) {
        why = errno_text(errno);
        return false;
    }
    // Public keys: readable by all, so a user's own process (a screen locker) can use
    // root's cache. fchmod, not the umask, decides.
    bool ok = fchmod(fd.get(), 0644) == 0;
    std::size_t done = 0;
    while (ok && done < contents.size()) {
        const ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    if (ok) ok = ::close(fd.release()) == 0;
    if (ok) ok = renameat(fd_, temporary.c_str(), fd_, target.c_str()) == 0;
    if (!ok) {
        why = errno_text(errno);
        unlinkat(fd_, temporary.c_str(), 0);
    }
    return ok;
}

}  // namespace aadcred
