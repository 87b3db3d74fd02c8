#pragma once
// The directory of the host-wide key cache (key_cache.hpp): opened once, checked once,
// then every file is read and written relative to that open descriptor, so renaming or
// replacing the path afterwards cannot send us elsewhere. A directory another user can
// write is never used: whoever writes it chooses the keys our id_tokens are checked
// with, which is choosing who logs in.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace aadcred {

/// Largest cache file read: the JWK Set (256 KiB at most) plus its metadata.
inline constexpr std::size_t kMaxKeyCacheFileBytes = 320 << 10;

class KeyCacheDir {
  public:
    /// Why a directory was refused, worded for a log line.
    struct Refused {
        std::string why;
    };

    /// Opens `path` (absolute, not a symlink) when it is a directory owned by root or by
    /// the effective uid and writable by neither its group nor others.
    static std::variant<KeyCacheDir, Refused> open(const std::string &path);

    KeyCacheDir(KeyCacheDir &&other) noexcept;
    KeyCacheDir &operator=(KeyCacheDir &&other) noexcept;
    KeyCacheDir(const KeyCacheDir &) = delete;
    KeyCacheDir &operator=(const KeyCacheDir &) = delete;
    ~KeyCacheDir();

    const std::string &path() const noexcept { return path_; }

    /// The contents of `name`, or nullopt when it is missing or not trustworthy (not a
    /// regular file, owned by another user, writable by group or others, too large).
    std::optional<std::string> read(std::string_view name) const;

    /// Replaces `name` atomically (a temporary file in the same directory, then rename)
    /// with `contents`, mode 0644. False, with the reason, when it cannot (a user's
    /// process under a root-owned directory cannot, and then reads only).
    bool write(std::string_view name, std::string_view contents, std::string &why) const;

  private:
    KeyCacheDir(int fd, std::string path) noexcept : fd_(fd), path_(std::move(path)) {}

    int fd_ = -1;
    std::string path_;
};

}  // namespace aadcred
