#include "config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "config.hpp"
#include "unique_fd.hpp"

namespace aadcred::cli {
namespace {

// A config file is a few hundred bytes; the cap keeps a wrong path (a log, a device)
// from being read whole.
constexpr size_t k_max_file = size_t{256} * 1024;
constexpr size_t k_max_line = 4096;

constexpr std::array<std::string_view, 14> k_keys = {
    "authority", "client-id", "resource",           "scope",   "api", "ca-file", "store", "user",
    "timeout",   "log-level", "validate-authority", "log-pii", "qr",  "flow",
};

// Reads the file; false when it does not exist.
bool read_file(const std::string &path, std::string &out) {
    const frontend::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return false;
        throw ConfigError(path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        throw ConfigError(path + ": not a regular file");
    }
    std::array<char, 8192> buf{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw ConfigError(path + ": " + std::strerror(errno));
        if (n == 0) break;
        if (out.size() + static_cast<size_t>(n) > k_max_file) {
            throw ConfigError(path + ": larger than 256 KiB; is this the config file?");
        }
        out.append(buf.data(), static_cast<size_t>(n));
    }
    return true;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

bool valid_profile_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

enum class Section { none, default_section, wanted_profile, other_profile };

class Reader {
  public:
    Reader(const std::string &path, const std::string &profile) : path_(path), profile_(profile) {}

    ConfigLayer run(std::string_view text) {
        size_t line_no = 0;
        while (!text.empty()) {
            const size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            ++line_no;
            if (line.ends_with('\r')) line.remove_suffix(1);
            parse_line(line, line_no);
        }
        // [profile NAME] layers over [default], wherever each appears in the file.
        for (auto &[key, setting] : profile_layer_) default_layer_[key] = std::move(setting);
        return {std::move(default_layer_), found_profile_};
    }

  private:
    [[noreturn]] void fail(size_t line_no, const std::string &message) const {
        throw ConfigError(path_ + ":" + std::to_string(line_no) + ": " + message);
    }

    void parse_line(std::string_view raw, size_t line_no) {
        if (raw.size() > k_max_line) fail(line_no, "line longer than 4096 bytes");
        if (raw.find('\0') != std::string_view::npos) fail(line_no, "NUL byte in line");
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') return;
        if (line.front() == '[') {
            section(line, line_no);
            return;
        }
        const size_t eq = line.find('=');
        if (eq == std::string_view::npos) fail(line_no, "expected 'key = value'");
        const std::string_view key = trim(line.substr(0, eq));
        std::string_view value = trim(line.substr(eq + 1));
        if (!is_config_key(key)) fail(line_no, "unknown key '" + std::string(key) + "'");
        if (section_ == Section::none) {
            fail(line_no, "'" + std::string(key) + "' before any [default] or [profile NAME]");
        }
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        if (value.empty()) fail(line_no, "empty value for '" + std::string(key) + "'");
        Setting setting{std::string(value), path_ + ":" + std::to_string(line_no)};
        if (section_ == Section::default_section) {
            default_layer_[std::string(key)] = std::move(setting);
        } else if (section_ == Section::wanted_profile) {
            profile_layer_[std::string(key)] = std::move(setting);
        }
    }

    void section(std::string_view line, size_t line_no) {
        if (line.back() != ']') fail(line_no, "section header without ']'");
        const std::string_view inner = trim(line.substr(1, line.size() - 2));
        if (inner == "default") {
            section_ = Section::default_section;
            return;
        }
        if (!inner.starts_with("profile ") && !inner.starts_with("profile\t")) {
            fail(line_no, "unknown section '[" + std::string(inner) +
                              "]' (expected [default] or [profile NAME])");
        }
        std::string_view name = trim(inner.substr(8));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
        }
        if (!valid_profile_name(name)) {
            fail(line_no,
                 "bad profile name '" + std::string(name) + "' (letters, digits, '-', '_', '.')");
        }
        if (!profile_.empty() && name == profile_) {
            section_ = Section::wanted_profile;
            found_profile_ = true;
        } else {
            section_ = Section::other_profile;
        }
    }

    const std::string &path_;
    const std::string &profile_;
    Section section_ = Section::none;
    bool found_profile_ = false;
    Layer default_layer_;
    Layer profile_layer_;
};

}  // namespace

bool is_config_key(std::string_view key) {
    for (auto k : k_keys) {
        if (k == key) return true;
    }
    return false;
}

ConfigLayer read_config_layer(const std::string &path, const std::string &profile) {
    std::string text;
    if (!read_file(path, text)) return {};
    return Reader(path, profile).run(text);
}

Layer read_config_file(const std::string &path, const std::string &profile) {
    std::string text;
    if (!read_file(path, text)) {
        if (!profile.empty()) {
            throw ConfigError("profile '" + profile + "' asked for, but " + path +
                              " does not exist");
        }
        return {};
    }
    ConfigLayer read = Reader(path, profile).run(text);
    if (!profile.empty() && !read.found_profile) {
        throw ConfigError(path + ": no [profile " + profile + "] section");
    }
    return std::move(read.layer);
}

}  // namespace aadcred::cli
