#include "handover_files.hpp"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "secure_files.hpp"

namespace aadcred_pam {
namespace {

constexpr std::size_t kMaxPasswdBuffer = 1 << 20;

UniqueFd open_runtime_root(const std::string &runtime_dir, std::string &error) {
    // The configured root itself may be a symlink (/var/run -> /run): the admin chose it.
    UniqueFd fd(open(runtime_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) error = "cannot open " + runtime_dir;
    return fd;
}

// <runtime>/aadcred: the module's own directory, 0711 so users can reach their
// subdirectory by name but not list whose are there.
UniqueFd open_module_dir(const std::string &runtime_dir, std::string &error) {
    const UniqueFd root = open_runtime_root(runtime_dir, error);
    if (!root) return {};
    bool created = false;
    UniqueFd dir = open_directory(root.get(), "aadcred", 0711, {geteuid(), 022}, error, &created);
    if (dir && created && fchmod(dir.get(), 0711) != 0) return {};
    return dir;
}

UniqueFd open_staging_dir(const std::string &runtime_dir, std::string &error) {
    const UniqueFd module = open_module_dir(runtime_dir, error);
    if (!module) return {};
    bool created = false;
    UniqueFd dir = open_directory(module.get(), "staging", 0700, {geteuid(), 077}, error, &created);
    if (dir && created && fchmod(dir.get(), 0700) != 0) return {};
    return dir;
}

std::string staged_name(uid_t uid) {
    return std::to_string(uid) + ".json";
}

// The user's systemd runtime directory, <runtime>/user/<uid>, if it exists and is private.
UniqueFd open_user_runtime(const std::string &runtime_dir, const LocalUser &user) {
    std::string ignored;
    const UniqueFd root = open_runtime_root(runtime_dir, ignored);
    if (!root) return {};
    const UniqueFd parent = open_directory(root.get(), "user", 0, {0, 022}, ignored);
    const UniqueFd parent_ours =
        parent ? UniqueFd() : open_directory(root.get(), "user", 0, {geteuid(), 022}, ignored);
    const int base = parent ? parent.get() : parent_ours.get();
    if (base < 0) return {};
    return open_directory(base, std::to_string(user.uid), 0, {user.uid, 077}, ignored);
}

// The directory the hand-over goes into, created with the right owner when missing.
// In the logind branch the user creates their own subdirectory, as the user.
UniqueFd open_handover_dir(const std::string &runtime_dir, const LocalUser &user,
                           std::string &where, std::string &error) {
    if (const UniqueFd runtime = open_user_runtime(runtime_dir, user)) {
        auto as_user = FsIdentity::become(user.uid, user.gid);
        if (!as_user) {
            error = "cannot take the user's identity";
            return {};
        }
        where = runtime_dir + "/user/" + std::to_string(user.uid) + "/aadcred";
        bool created = false;
        UniqueFd dir =
            open_directory(runtime.get(), "aadcred", 0700, {user.uid, 077}, error, &created);
        if (dir && created && fchmod(dir.get(), 0700) != 0) return {};
        return dir;
    }
    // No logind runtime directory: a per-user one under the module's directory, made by
    // us (root) and given to the user.
    const UniqueFd module = open_module_dir(runtime_dir, error);
    if (!module) return {};
    where = runtime_dir + "/aadcred/" + std::to_string(user.uid);
    bool created = false;
    UniqueFd dir = open_directory(module.get(), std::to_string(user.uid), 0700, {user.uid, 077},
                                  error, &created);
    if (dir && created &&
        (fchown(dir.get(), user.uid, user.gid) != 0 || fchmod(dir.get(), 0700) != 0)) {
        error = "cannot give " + where + " to the user";
        return {};
    }
    return dir;
}

}  // namespace

std::optional<LocalUser> find_local_user(const char *name) {
    if (name == nullptr || *name == '\0') return std::nullopt;
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::size_t size = hint > 0 ? static_cast<std::size_t>(hint) : 4096;
    while (size <= kMaxPasswdBuffer) {
        std::vector<char> buffer(size);
        struct passwd pw {};
        struct passwd *result = nullptr;
        const int rc = getpwnam_r(name, &pw, buffer.data(), buffer.size(), &result);
        if (rc == ERANGE) {
            size *= 2;
            continue;
        }
        if (rc != 0 || result == nullptr) return std::nullopt;
        return LocalUser{pw.pw_uid, pw.pw_gid};
    }
    return std::nullopt;
}

bool stage_token(const std::string &runtime_dir, uid_t uid, std::string_view json,
                 std::string &error) {
    const UniqueFd dir = open_staging_dir(runtime_dir, error);
    return dir && write_file_atomic(dir.get(), staged_name(uid), json, error);
}

bool take_staged_token(const std::string &runtime_dir, uid_t uid, std::string &out,
                       std::string &error) {
    std::string ignored;
    const UniqueFd dir = open_staging_dir(runtime_dir, ignored);
    if (!dir) return false;
    const std::string name = staged_name(uid);
    const bool ok =
        read_file_checked(dir.get(), name, geteuid(), kStagingMaxAgeSeconds, out, error);
    // Taken or stale, it has done its job: a token never waits here longer than needed.
    unlinkat(dir.get(), name.c_str(), 0);
    return ok;
}

bool write_handover(const std::string &runtime_dir, const LocalUser &user, std::string_view json,
                    std::string &where, std::string &error) {
    const UniqueFd dir = open_handover_dir(runtime_dir, user, where, error);
    if (!dir) return false;
    auto as_user = FsIdentity::become(user.uid, user.gid);
    if (!as_user) {
        error = "cannot take the user's identity";
        return false;
    }
    return write_file_atomic(dir.get(), kHandoverFile, json, error);
}

bool remove_handover(const std::string &runtime_dir, const LocalUser &user) {
    // Directories are opened as root (the module's directory is 0711: the user may pass
    // through it but not open it); only the unlink happens as the user, in the user's own
    // directory, so nothing the user swapped in can make root delete something else.
    std::string ignored;
    std::vector<UniqueFd> dirs;
    if (const UniqueFd runtime = open_user_runtime(runtime_dir, user))
        dirs.push_back(open_directory(runtime.get(), "aadcred", 0, {user.uid, 077}, ignored));
    if (const UniqueFd root = open_runtime_root(runtime_dir, ignored)) {
        if (const UniqueFd module =
                open_directory(root.get(), "aadcred", 0, {geteuid(), 022}, ignored))
            dirs.push_back(open_directory(module.get(), std::to_string(user.uid), 0,
                                          {user.uid, 077}, ignored));
    }
    auto as_user = FsIdentity::become(user.uid, user.gid);
    if (!as_user) return false;
    bool removed = false;
    for (const auto &dir : dirs) {
        if (dir && unlinkat(dir.get(), kHandoverFile, 0) == 0) removed = true;
    }
    return removed;
}

}  // namespace aadcred_pam
