#include "core/http/ca_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/adal_error.hpp"

namespace aadcred {

namespace {

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

}  // namespace aadcred
