#include "cache/file_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cache/cache_key.hpp"
#include "util/unique_fd.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/json/json.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

namespace {

// The same cap as any JSON document we parse: a cache we could not read back is refused.
constexpr std::size_t kMaxFileBytes = json::kMaxDocumentBytes;
// Temporary copies are PATH + this + 6 mkstemp characters, so the ones a killed writer
// left behind can be told from anything else in the directory and removed.
constexpr const char kTempInfix[] = ".aadcred-tmp-";
constexpr std::size_t kTempRandom = 6;

[[noreturn]] void fail(const std::string &what, const std::string &path, int err) {
    throw AdalError(ErrorClass::store,
                    "Token cache file " + path + ": " + what + ": " + std::strerror(err));
}

// A sidecar lock file serialises writers of one cache file across processes: the data
// file itself is replaced by rename(), so a lock on it would be lost with the old inode.
UniqueFd lock_cache(const std::string &path, bool exclusive) {
    const std::string lock_path = path + ".lock";
    // O_NONBLOCK: a FIFO under that name must be refused, not waited on.
    UniqueFd fd(
        ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600));
    if (!fd) {
        // A cache in a read-only place (a shared image, a read-only mount) can still be
        // read: with nobody able to write it there is no writer to wait for.
        if (!exclusive && (errno == EACCES || errno == EROFS)) return fd;
        fail("cannot open lock file " + lock_path, path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail("cannot stat lock file " + lock_path, path, errno);
    if (!S_ISREG(st.st_mode)) {
        throw AdalError(ErrorClass::store,
                        "Token cache file " + path + ": " + lock_path + " is not a regular file");
    }
    while (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) != 0) {
        if (errno != EINTR) fail("cannot lock", path, errno);
    }
    return fd;
}

void check_private(const struct stat &st, const std::string &path) {
    if (!S_ISREG(st.st_mode)) {
        throw AdalError(ErrorClass::store, "Token cache file " + path + " is not a regular file");
    }
    if (st.st_uid != ::geteuid()) {
        throw AdalError(ErrorClass::store, "Token cache file " + path + " belongs to another user");
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw AdalError(ErrorClass::store, "Token cache file " + path +
                                               " is accessible by other users (mode " + mode +
                                               "); refusing to use it: chmod 600 " + path);
    }
}

// The file's bytes; "" when it does not exist yet.
SecretString read_cache_file(const std::string &path) {
    // O_NOFOLLOW: a symlink planted in a shared directory must not redirect our tokens.
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer for ever; it is then
    // refused as not a regular file (reading a regular file ignores the flag).
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd) {
        if (errno == ENOENT) return SecretString();
        fail("cannot open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail("cannot stat", path, errno);
    check_private(st, path);
    if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes) {
        throw AdalError(ErrorClass::store, "Token cache file " + path + " is larger than " +
                                               std::to_string(kMaxFileBytes) + " bytes");
    }
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot read", path, errno);
        if (n == 0) break;  // shrank while we read: parse what is there
        got += static_cast<std::size_t>(n);
    }
    data.resize(got);
    return SecretString(std::move(data));
}

void write_all(int fd, const std::string &data, const std::string &path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write", path, errno);
        done += static_cast<std::size_t>(n);
    }
}

// A writer killed between creating its temporary copy and renaming it (kill -9, a crash,
// a power cut) leaves a 0600 copy of the whole cache. Called with the cache's exclusive
// lock held, which every writer holds while its copy exists, so any copy found is stale.
// Only regular files of ours named as we name them go; a symlink or another user's file
// under such a name is left alone (unlinkat never follows a symlink anyway).
void remove_stale_copies(const std::string &path) {
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    const std::string prefix =
        (slash == std::string::npos ? path : path.substr(slash + 1)) + kTempInfix;
    DIR *d = ::opendir(dir.c_str());
    if (d == nullptr) return;  // mkostemp below reports a directory we cannot use
    const int dfd = ::dirfd(d);
    while (const struct dirent *e = ::readdir(d)) {
        const std::string_view name(e->d_name);
        if (name.size() != prefix.size() + kTempRandom || name.substr(0, prefix.size()) != prefix) {
            continue;
        }
        struct stat st {};
        if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
        (void)::unlinkat(dfd, e->d_name, 0);  // best effort: the write itself matters more
    }
    ::closedir(d);
}

// Atomic replace: a new 0600 file created exclusively (mkstemp: O_CREAT|O_EXCL), synced,
// then renamed over the old one, so readers see the old or the new cache, never half.
void write_cache_file(const std::string &path, const TokenCache &cache) {
    SecretString text(cache.serialize());
    if (text.size() > kMaxFileBytes) {
        throw AdalError(ErrorClass::store, "Token cache file " + path + " would exceed " +
                                               std::to_string(kMaxFileBytes) + " bytes");
    }
    remove_stale_copies(path);
    std::string tmp = path + kTempInfix + std::string(kTempRandom, 'X');
    UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd) fail("cannot create a temporary file beside it", path, errno);
    try {
        if (::fchmod(fd.get(), 0600) != 0) fail("cannot chmod", tmp, errno);
        write_all(fd.get(), text.reveal(), tmp);
        if (::fsync(fd.get()) != 0) fail("cannot sync", tmp, errno);
        fd.reset();
        if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot replace", path, errno);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

std::vector<TokenEntry> read_entries(const std::string &path) {
    const SecretString text = read_cache_file(path);
    if (text.empty()) return {};  // like TokenCache(state=''): an empty cache
    try {
        return TokenCache(text.reveal()).read_items();
    } catch (const AdalError &e) {
        throw AdalError(ErrorClass::store, "Token cache file " + path + ": " + e.message());
    }
}

}  // namespace

FileStore::FileStore(std::string path) : path_(std::move(path)) {
    if (path_.empty()) throw AdalError(ErrorClass::invalid, "The token cache file name is empty");
}

std::vector<TokenEntry> FileStore::load(std::string_view authority, std::string_view client_id) {
    std::vector<TokenEntry> found;
    for (auto &entry : load_all()) {
        if (belongs_to(entry, authority, client_id)) found.push_back(std::move(entry));
    }
    return found;
}

std::vector<TokenEntry> FileStore::load_all() {
    const UniqueFd lock = lock_cache(path_, false);
    return read_entries(path_);
}

void FileStore::save(const TokenEntry &entry) {
    const UniqueFd lock = lock_cache(path_, true);
    TokenCache cache;
    cache.add(read_entries(path_));
    cache.add({entry});
    write_cache_file(path_, cache);
}

void FileStore::remove(const TokenEntry &entry) {
    const UniqueFd lock = lock_cache(path_, true);
    TokenCache cache;
    cache.add(read_entries(path_));
    cache.set_state_changed(false);
    cache.remove({entry});
    if (cache.has_state_changed()) write_cache_file(path_, cache);
}

}  // namespace aadcred
