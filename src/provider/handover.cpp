#include "provider/handover.hpp"

#include <aadcred/handover.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cache/store.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "util/environment.hpp"
#include "util/log.hpp"
#include "util/secret_string.hpp"

namespace aadcred {
namespace {

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// The file's bytes when it passes the checks, else an empty string (why is logged).
SecretString read_private_file(const std::string &path, const Logger &log) {
    const Fd file{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
    if (file.fd < 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            log.warning("Cannot open the hand-over " + path + ": " + std::strerror(errno));
        return {};
    }
    struct stat st {};
    if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::getuid() ||
        (st.st_mode & AADCRED_HANDOVER_FORBIDDEN_BITS) != 0 || st.st_size <= 0 ||
        static_cast<std::size_t>(st.st_size) > AADCRED_HANDOVER_MAX_BYTES) {
        log.warning("Ignoring the hand-over " + path +
                    ": not a private file of this user, or too large");
        return {};
    }
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(file.fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    SecretString out(std::move(bytes));
    return done == out.size() ? std::move(out) : SecretString();
}

bool importable(const TokenEntry &entry) {
    const bool has_token =
        !entry.secret(key::access_token).empty() || !entry.secret(key::refresh_token).empty();
    return has_token && !entry.string(key::authority).value_or("").empty() &&
           !entry.string(key::client_id).value_or("").empty();
}

}  // namespace

// The two places of aadcred/handover.h, logind's first: $XDG_RUNTIME_DIR is the
// R/user/<uid> pam_aadcred writes into.
std::vector<std::string> handover_paths() {
    std::vector<std::string> paths;
    const char *runtime = caller_env("XDG_RUNTIME_DIR");
    if (runtime != nullptr && runtime[0] == '/')
        paths.push_back(std::string(runtime) + "/" AADCRED_HANDOVER_DIR "/" AADCRED_HANDOVER_FILE);
    const char *root = caller_env("AADCRED_RUNTIME_ROOT");
    const std::string base = root != nullptr && root[0] == '/' ? root : "/run";
    paths.push_back(base + "/" AADCRED_HANDOVER_DIR "/" + std::to_string(::getuid()) +
                    "/" AADCRED_HANDOVER_FILE);
    return paths;
}

std::size_t import_handover(Store &store, const std::vector<std::string> &paths) {
    const Logger log("Handover", {});
    std::size_t saved = 0;
    try {
        if (store.name() == "memory") return 0;
        for (const auto &path : paths) {
            const SecretString json = read_private_file(path, log);
            if (json.empty()) continue;
            std::vector<TokenEntry> entries;
            try {
                entries = TokenCache(json.reveal()).read_items();
            } catch (const AdalError &e) {
                log.warning("Ignoring the hand-over " + path + ": " + e.message());
                ::unlink(path.c_str());  // unreadable now, unreadable forever
                continue;
            }
            for (const auto &entry : entries) {
                if (!importable(entry)) continue;
                store.save(entry);  // a store failure keeps the file for the next try
                ++saved;
            }
            ::unlink(path.c_str());
            log.info("Imported " + std::to_string(entries.size()) +
                     " token(s) handed over by the PAM sign-in");
        }
    } catch (const std::exception &e) {
        log.warning(std::string("The PAM hand-over was not imported: ") + e.what());
    }
    return saved;
}

}  // namespace aadcred
