// Making the key cache directory. mkdir, then chmod: the host's umask (sshd's may be 077)
// must not leave root's cache unreadable by a user's own process such as a screen locker.

#include "key_cache_setup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pam_log.hpp"

namespace aadcred_pam {
namespace {

// mkdir -p for an absolute path; true when it exists (made or not) at the end.
bool make_directories(const std::string &path, std::string &why) {
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        const std::string prefix = path.substr(0, slash);
        if (mkdir(prefix.c_str(), 0755) == 0) {
            if (chmod(prefix.c_str(), 0755) != 0) {
                why = std::strerror(errno);
                return false;
            }
        } else if (errno != EEXIST) {
            why = std::strerror(errno);
            return false;
        }
        if (slash == std::string::npos) return true;
    }
}

}  // namespace

std::string prepare_key_cache(pam_handle_t *pamh, const std::string &setting) {
    if (setting == "none") return {};
    // A user's own process (a screen locker) could not make /var/cache/aadcred: root's
    // default is root's; such a host names the directory with key_cache=DIR.
    if (setting.empty() && geteuid() != 0) return {};
    const std::string path = setting.empty() ? kDefaultKeyCache : setting;
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0) return path;  // the library decides whether to trust it
    std::string why;
    if (errno != ENOENT || !make_directories(path, why)) {
        if (why.empty()) why = std::strerror(errno);
        log_line(pamh, LOG_WARNING, "the key cache " + path + " cannot be made: " + why);
        return {};
    }
    return path;
}

}  // namespace aadcred_pam
