#include "handover_files.hpp"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vector>

#include "secure_files.hpp"
#include "wiped_string.hpp"

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
    UniqueFd dir =
        open_directory(root.get(), AADCRED_HANDOVER_DIR, 0711, {geteuid(), 022}, error, &created);
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

// Taking or dropping never creates the directories: nothing staged, nothing to open.
UniqueFd open_existing_staging_dir(const std::string &runtime_dir) {
    std::string ignored;
    const UniqueFd root = open_runtime_root(runtime_dir, ignored);
    if (!root) return {};
    const UniqueFd module =
        open_directory(root.get(), AADCRED_HANDOVER_DIR, 0, {geteuid(), 022}, ignored);
    if (!module) return {};
    return open_directory(module.get(), "staging", 0, {geteuid(), 077}, ignored);
}

// One file per consumer process: concurrent logins never replace each other's record.
std::string staged_name(pid_t consumer) {
    return std::to_string(consumer) + ".json";
}

// The record: a magic line, "uid consumer start", the verified user, then the JSON.
constexpr std::string_view kRecordMagic = "aadcred-staged-sign-in 1\n";

bool parse_number(std::string_view text, unsigned long long &out) {
    if (text.empty() || text.size() > 20) return false;
    out = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

// Parses `record` into `who` and leaves only the JSON in it (erase moves the bytes within
// the buffer it already has, so nothing is copied to memory the caller would not wipe).
bool parse_record(std::string &record, StagedSignIn &who) {
    std::string_view rest(record);
    if (rest.substr(0, kRecordMagic.size()) != kRecordMagic) return false;
    rest.remove_prefix(kRecordMagic.size());
    const auto line_end = rest.find('\n');
    const auto user_end =
        line_end == std::string_view::npos ? line_end : rest.find('\n', line_end + 1);
    if (user_end == std::string_view::npos) return false;
    const std::string_view numbers = rest.substr(0, line_end);
    const auto a = numbers.find(' ');
    const auto b = a == std::string_view::npos ? a : numbers.find(' ', a + 1);
    if (b == std::string_view::npos) return false;
    unsigned long long uid = 0, pid = 0, start = 0;
    if (!parse_number(numbers.substr(0, a), uid) ||
        !parse_number(numbers.substr(a + 1, b - a - 1), pid) ||
        !parse_number(numbers.substr(b + 1), start) || uid > UINT32_MAX || pid > INT32_MAX)
        return false;
    who.uid = static_cast<uid_t>(uid);
    who.consumer = static_cast<pid_t>(pid);
    who.consumer_start = start;
    who.user.assign(rest.substr(line_end + 1, user_end - line_end - 1));
    record.erase(0, kRecordMagic.size() + user_end + 1);
    return !who.user.empty();
}

// Records whose consumer never opened its session (a connection dropped after
// authentication) go once stale, so nothing waits in staging past kStagingMaxAgeSeconds.
void sweep_stale(int dir) {
    const int fd = dup(dir);
    if (fd < 0) return;
    DIR *listing = fdopendir(fd);
    if (listing == nullptr) {
        close(fd);
        return;
    }
    const time_t now = time(nullptr);
    while (const struct dirent *entry = readdir(listing)) {
        if (entry->d_name[0] == '.' &&
            (entry->d_name[1] == '\0' || strcmp(entry->d_name, "..") == 0))
            continue;
        struct stat st {};
        if (fstatat(dir, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            now - st.st_mtime > kStagingMaxAgeSeconds)
            unlinkat(dir, entry->d_name, 0);
    }
    closedir(listing);
}

// The user's systemd runtime directory, <runtime>/user/<uid>, if it exists and is private.
UniqueFd open_user_runtime(const std::string &runtime_dir, const LocalUser &user) {
    std::string ignored;
    const UniqueFd root = open_runtime_root(runtime_dir, ignored);
    if (!root) return {};
    const UniqueFd parent =
        open_directory(root.get(), AADCRED_HANDOVER_LOGIND_DIR, 0, {0, 022}, ignored);
    const UniqueFd parent_ours = parent ? UniqueFd()
                                        : open_directory(root.get(), AADCRED_HANDOVER_LOGIND_DIR, 0,
                                                         {geteuid(), 022}, ignored);
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
        where = runtime_dir + "/" AADCRED_HANDOVER_LOGIND_DIR "/" + std::to_string(user.uid) +
                "/" AADCRED_HANDOVER_DIR;
        bool created = false;
        UniqueFd dir =
            open_directory(runtime.get(), AADCRED_HANDOVER_DIR, AADCRED_HANDOVER_DIR_MODE,
                           {user.uid, AADCRED_HANDOVER_FORBIDDEN_BITS}, error, &created);
        if (dir && created && fchmod(dir.get(), AADCRED_HANDOVER_DIR_MODE) != 0) return {};
        return dir;
    }
    // No logind runtime directory: a per-user one under the module's directory, made by
    // us (root) and given to the user.
    const UniqueFd module = open_module_dir(runtime_dir, error);
    if (!module) return {};
    where = runtime_dir + "/" AADCRED_HANDOVER_DIR "/" + std::to_string(user.uid);
    bool created = false;
    UniqueFd dir = open_directory(module.get(), std::to_string(user.uid), AADCRED_HANDOVER_DIR_MODE,
                                  {user.uid, AADCRED_HANDOVER_FORBIDDEN_BITS}, error, &created);
    if (dir && created &&
        (fchown(dir.get(), user.uid, user.gid) != 0 ||
         fchmod(dir.get(), AADCRED_HANDOVER_DIR_MODE) != 0)) {
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

std::optional<unsigned long long> process_start_time(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    char buffer[1024];
    const ssize_t n = read(fd.get(), buffer, sizeof buffer - 1);
    if (n <= 0) return std::nullopt;
    buffer[n] = '\0';
    // "pid (comm) state ppid ...": comm may hold spaces and ')', so count from the last
    // ')'; the start time is field 22, the 20th after it.
    const char *p = strrchr(buffer, ')');
    if (p == nullptr) return std::nullopt;
    for (int field = 0; field < 20; ++field) {
        p = strchr(p + 1, ' ');
        if (p == nullptr) return std::nullopt;
    }
    char *end = nullptr;
    errno = 0;
    const unsigned long long start = strtoull(p + 1, &end, 10);
    if (errno != 0 || end == p + 1) return std::nullopt;
    return start;
}

bool parent_is_forked_host() {
    struct stat self {};
    struct stat parent {};
    const std::string parent_exe = "/proc/" + std::to_string(getppid()) + "/exe";
    return stat("/proc/self/exe", &self) == 0 && stat(parent_exe.c_str(), &parent) == 0 &&
           self.st_dev == parent.st_dev && self.st_ino == parent.st_ino;
}

bool stage_sign_in(const std::string &runtime_dir, const StagedSignIn &who, std::string_view json,
                   std::string &error) {
    if (who.consumer <= 0 || who.user.empty() || who.user.find('\n') != std::string::npos) {
        error = "nothing to bind the staged sign-in to";
        return false;
    }
    const UniqueFd dir = open_staging_dir(runtime_dir, error);
    if (!dir) return false;
    sweep_stale(dir.get());
    WipedString record;
    record.str().reserve(json.size() + who.user.size() + 96);
    record.str()
        .append(kRecordMagic)
        .append(std::to_string(who.uid) + " " + std::to_string(who.consumer) + " " +
                std::to_string(who.consumer_start) + "\n")
        .append(who.user)
        .append("\n")
        .append(json);
    return write_file_atomic(dir.get(), staged_name(who.consumer), record.str(), error);
}

bool take_staged_sign_in(const std::string &runtime_dir, pid_t consumer, StagedSignIn &who,
                         std::string &json, std::string &error) {
    const UniqueFd dir = open_existing_staging_dir(runtime_dir);
    if (!dir) return false;
    const std::string name = staged_name(consumer);
    bool ok = read_file_checked(dir.get(), name, geteuid(), kStagingMaxAgeSeconds, json, error);
    // Taken, stale or refused, it has done its job: a token never waits here longer.
    unlinkat(dir.get(), name.c_str(), 0);
    if (ok && !parse_record(json, who)) {
        error = name + " is not a staged sign-in";
        ok = false;
    }
    if (ok && (who.consumer != consumer || process_start_time(consumer) != who.consumer_start)) {
        error = name + " was staged for another process";
        ok = false;
    }
    if (!ok) explicit_bzero(json.data(), json.size());
    return ok;
}

void drop_staged_sign_in(const std::string &runtime_dir, pid_t consumer) {
    const UniqueFd dir = open_existing_staging_dir(runtime_dir);
    if (dir) unlinkat(dir.get(), staged_name(consumer).c_str(), 0);
}

FileId file_id(const struct stat &st) {
    return FileId{st.st_dev, st.st_ino, static_cast<long long>(st.st_ctim.tv_sec),
                  st.st_ctim.tv_nsec};
}

bool write_handover(const std::string &runtime_dir, const LocalUser &user, std::string_view json,
                    std::string &where, std::string &error, FileId &written) {
    const UniqueFd dir = open_handover_dir(runtime_dir, user, where, error);
    if (!dir) return false;
    auto as_user = FsIdentity::become(user.uid, user.gid);
    if (!as_user) {
        error = "cannot take the user's identity";
        return false;
    }
    if (!write_file_atomic(dir.get(), AADCRED_HANDOVER_FILE, json, error)) return false;
    struct stat st {};
    if (fstatat(dir.get(), AADCRED_HANDOVER_FILE, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        error = std::string("cannot find the hand-over just written: ") + strerror(errno);
        return false;
    }
    written = file_id(st);
    return true;
}

bool remove_handover(const std::string &runtime_dir, const LocalUser &user, const FileId &written) {
    // Directories are opened as root (the module's directory is 0711: the user may pass
    // through it but not open it); only the unlink happens as the user, in the user's own
    // directory, so nothing the user swapped in can make root delete something else.
    std::string ignored;
    std::vector<UniqueFd> dirs;
    if (const UniqueFd runtime = open_user_runtime(runtime_dir, user))
        dirs.push_back(open_directory(runtime.get(), AADCRED_HANDOVER_DIR, 0,
                                      {user.uid, AADCRED_HANDOVER_FORBIDDEN_BITS}, ignored));
    if (const UniqueFd root = open_runtime_root(runtime_dir, ignored)) {
        if (const UniqueFd module =
                open_directory(root.get(), AADCRED_HANDOVER_DIR, 0, {geteuid(), 022}, ignored))
            dirs.push_back(open_directory(module.get(), std::to_string(user.uid), 0,
                                          {user.uid, AADCRED_HANDOVER_FORBIDDEN_BITS}, ignored));
    }
    auto as_user = FsIdentity::become(user.uid, user.gid);
    if (!as_user) return false;
    bool removed = false;
    for (const auto &dir : dirs) {
        if (!dir) continue;
        // Only the file this session wrote: two sessions of one user overlap (a second ssh
        // login while the first ends), and the first one's end must not take the hand-over
        // the second one's git fetch is about to import. Between this check and the unlink
        // only the user can act, in the user's own directory.
        struct stat st {};
        if (fstatat(dir.get(), AADCRED_HANDOVER_FILE, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!(file_id(st) == written)) continue;
        if (unlinkat(dir.get(), AADCRED_HANDOVER_FILE, 0) == 0) removed = true;
    }
    return removed;
}

}  // namespace aadcred_pam
