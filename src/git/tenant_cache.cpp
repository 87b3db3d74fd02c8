#include "tenant_cache.hpp"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <array>

#include "azure_devops.hpp"
#include "unique_fd.hpp"

namespace gitcred {

namespace {

using aadcred::frontend::UniqueFd;

constexpr std::size_t kMaxFileBytes = 512;

// $XDG_CACHE_HOME/aadcred/azure-devops, else ~/.cache/...; empty when neither is known.
std::string cache_dir() {
    const char *xdg = secure_getenv("XDG_CACHE_HOME");  // nothing of a setuid caller
    std::string base;
    if (xdg != nullptr && xdg[0] == '/') {
        base = xdg;
    } else if (const char *home = secure_getenv("HOME"); home != nullptr && home[0] == '/') {
        base = std::string(home) + "/.cache";
    } else {
        return {};
    }
    return base + "/aadcred/azure-devops";
}

bool valid_organisation(std::string_view org) {
    if (org.empty() || org.size() > 64 || org.front() == '.') return false;
    for (const char c : org) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
        if (!ok) return false;
    }
    return true;
}

// mkdir -p with 0700 for the parts we create; an existing directory must be ours.
bool make_private_dir(const std::string &dir) {
    for (std::size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
        const std::string part = dir.substr(0, slash);
        if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
        if (slash == std::string::npos) break;
    }
    struct stat st {};
    return lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
           (st.st_mode & 0022) == 0;
}

}  // namespace

std::optional<CachedTenant> read_cached_tenant(std::string_view organisation) {
    const std::string dir = cache_dir();
    if (dir.empty() || !valid_organisation(organisation)) return std::nullopt;
    const std::string path = dir + "/" + std::string(organisation);
    const UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd) return std::nullopt;
    struct stat st {};
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 0022) != 0 || st.st_size <= 0 ||
        static_cast<std::size_t>(st.st_size) > kMaxFileBytes) {
        return std::nullopt;
    }
    std::array<char, kMaxFileBytes> buffer{};
    const ssize_t n = read(fd.get(), buffer.data(), buffer.size());
    if (n <= 0) return std::nullopt;
    std::string_view text(buffer.data(), static_cast<std::size_t>(n));
    if (text.ends_with('\n')) text.remove_suffix(1);
    // Read back as strictly as a server's answer: a known Azure AD host and a tenant.
    const std::string challenge = "Bearer authorization_uri=\"" + std::string(text) + "\"";
    const auto authority = authority_from_challenges({challenge});
    if (!authority || *authority != text) return std::nullopt;
    const auto age = std::chrono::seconds(time(nullptr) - st.st_mtime);
    return CachedTenant{*authority, age >= std::chrono::seconds{0} && age < kTenantCacheLifetime};
}

void cache_tenant(std::string_view organisation, std::string_view authority) {
    const std::string dir = cache_dir();
    if (dir.empty() || !valid_organisation(organisation) || !make_private_dir(dir)) return;
    std::string temp = dir + "/.tmp-XXXXXX";
    const UniqueFd fd(mkostemp(temp.data(), O_CLOEXEC));  // mode 0600
    if (!fd) return;
    const std::string text = std::string(authority) + "\n";
    const bool written =
        write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const std::string path = dir + "/" + std::string(organisation);
    // rename: a reader sees the old file or the new one, never half of one.
    if (!written || rename(temp.c_str(), path.c_str()) != 0) unlink(temp.c_str());
}

}  // namespace gitcred
