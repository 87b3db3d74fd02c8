#include "secure_files.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include <cstdio>

namespace aadcred_pam {
namespace {

std::string errno_text(const char *what, const std::string &name) {
    return std::string(what) + " " + name + ": " + strerror(errno);
}

// setfsuid reports the previous value, never an error: ask again to learn what holds.
bool set_fsuid(uid_t uid) noexcept {
    setfsuid(uid);
    return static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1))) == uid;
}

bool set_fsgid(gid_t gid) noexcept {
    setfsgid(gid);
    return static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1))) == gid;
}

}  // namespace

std::optional<FsIdentity> FsIdentity::become(uid_t uid, gid_t gid) {
    const uid_t old_uid = static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1)));
    const gid_t old_gid = static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1)));
    if (old_uid == uid) return FsIdentity(old_uid, old_gid, false);
    if (geteuid() != 0) return std::nullopt;
    // Group first: once the fsuid is the user's, changing the fsgid could still work
    // (CAP_SETGID is not a filesystem capability) but the order root → user is clearer.
    if (!set_fsgid(gid)) return std::nullopt;
    if (!set_fsuid(uid)) {
        set_fsgid(old_gid);
        return std::nullopt;
    }
    return FsIdentity(old_uid, old_gid, true);
}

FsIdentity::FsIdentity(FsIdentity &&other) noexcept
    : old_uid_(other.old_uid_), old_gid_(other.old_gid_), switched_(other.switched_) {
    other.switched_ = false;
}

FsIdentity::~FsIdentity() {
    if (!switched_) return;
    set_fsuid(old_uid_);
    set_fsgid(old_gid_);
}

UniqueFd open_directory(int parent, const std::string &name, mode_t create_mode,
                        const DirRule &rule, std::string &error, bool *created) {
    if (created != nullptr) *created = false;
    constexpr int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    UniqueFd fd(openat(parent, name.c_str(), flags));
    if (!fd && errno == ENOENT && create_mode != 0) {
        if (mkdirat(parent, name.c_str(), create_mode) == 0) {
            if (created != nullptr) *created = true;
        } else if (errno != EEXIST) {
            error = errno_text("cannot create", name);
            return {};
        }
        fd.reset(openat(parent, name.c_str(), flags));
    }
    if (!fd) {
        error = errno_text("cannot open directory", name);  // ELOOP: it is a symlink
        return {};
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) {
        error = errno_text("cannot stat", name);
        return {};
    }
    if (created != nullptr && *created) return fd;  // ours: the caller sets owner and mode
    if (st.st_uid != rule.owner || (st.st_mode & rule.forbidden) != 0) {
        error = name + " has the wrong owner or mode (want uid " + std::to_string(rule.owner) +
                ", no " + std::to_string(rule.forbidden) + " bits)";
        return {};
    }
    return fd;
}

bool write_file_atomic(int dir, const std::string &name, std::string_view data,
                       std::string &error) {
    if (data.size() > kMaxHandoverBytes) {
        error = "the hand-over is too large";
        return false;
    }
    unsigned int nonce = 0;
    if (getrandom(&nonce, sizeof nonce, 0) != sizeof nonce)
        nonce = static_cast<unsigned>(time(nullptr));
    char temp[64];
    std::snprintf(temp, sizeof temp, ".%s.%ld.%08x", name.c_str(), static_cast<long>(getpid()),
                  nonce);
    UniqueFd fd(openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       AADCRED_HANDOVER_FILE_MODE));
    if (!fd) {
        error = errno_text("cannot create", temp);
        return false;
    }
    // The umask can only take bits away; this makes sure the owner can read it back.
    bool ok = fchmod(fd.get(), AADCRED_HANDOVER_FILE_MODE) == 0;
    for (std::size_t done = 0; ok && done < data.size();) {
        const ssize_t n = write(fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && close(fd.release()) == 0;
    if (ok && renameat(dir, temp, dir, name.c_str()) == 0) return true;
    error = errno_text("cannot write", name);
    unlinkat(dir, temp, 0);
    return false;
}

bool read_file_checked(int dir, const std::string &name, uid_t owner, long max_age_seconds,
                       std::string &out, std::string &error) {
    UniqueFd fd(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        error = errno == ENOENT ? std::string() : errno_text("cannot open", name);
        return false;
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != owner ||
        (st.st_mode & 077) != 0) {
        error = name + " is not a private regular file of uid " + std::to_string(owner);
        return false;
    }
    if (st.st_size <= 0 || static_cast<std::size_t>(st.st_size) > kMaxHandoverBytes) {
        error = name + " is empty or too large";
        return false;
    }
    if (max_age_seconds > 0 && time(nullptr) - st.st_mtime > max_age_seconds) {
        error = name + " is stale";
        return false;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    out.clear();
    out.reserve(size + 1);
    out.resize(size);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = read(fd.get(), out.data() + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    if (done != size) {
        error = "short read of " + name;
        return false;
    }
    return true;
}

}  // namespace aadcred_pam
