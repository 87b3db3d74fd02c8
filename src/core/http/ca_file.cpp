#include "core/http/ca_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "core/adal_error.hpp"

namespace aadcred {

namespace {

bool is_hashed_name(std::string_view name) {
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (name.size() < 10 || name[8] != '.') return false;
    const std::string_view hash = name.substr(0, 8), number = name.substr(9);
    return std::all_of(hash.begin(), hash.end(), hex) &&
           std::all_of(number.begin(), number.end(), digit);
}

struct DirCloser {
    void operator()(DIR *dir) const noexcept { ::closedir(dir); }
};

[[noreturn]] void refuse(const std::string &path, const std::string &why) {
    throw AdalError(ErrorClass::invalid, "Cannot use CA file '" + path + "': " + why);
}

}  // namespace

void check_ca_file(const std::string &path) {
    // O_NONBLOCK: opening a FIFO for reading waits for a writer, a serial line for its
    // carrier; O_NOCTTY: a terminal named here must not become ours. fstat on what was
    // opened, not stat on the name, so the answer is about this file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) refuse(path, std::strerror(errno));
    struct stat info {};
    const int rc = ::fstat(fd, &info);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) refuse(path, std::strerror(saved));
    if (S_ISDIR(info.st_mode)) refuse(path, "it is a directory, not a PEM file");
    if (!S_ISREG(info.st_mode)) refuse(path, "not a regular file (a FIFO, socket or device)");
}

bool is_hashed_ca_directory(const std::string &path) {
    // O_NONBLOCK and O_DIRECTORY: a FIFO or device at that path is refused, not waited on.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(fd));
    if (!dir) {
        ::close(fd);
        return false;
    }
    // One hashed name is enough: update-ca-certificates writes one for every certificate
    // it puts in the bundle, and a directory without any is not meant for lookups.
    while (const dirent *entry = ::readdir(dir.get()))
        if (is_hashed_name(entry->d_name)) return true;
    return false;
}

}  // namespace aadcred
