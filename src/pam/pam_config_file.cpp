// Reading config=FILE. The checks are made on open descriptors (the directory, then the
// file opened relative to it without following a symlink), so what is checked is what
// is read.

#include "pam_config_file.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secure_files.hpp"

namespace aadcred_pam {
namespace {

constexpr std::size_t kMaxLineBytes = 4096;

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

ConfigError file_error(const std::string &path, const std::string &why) {
    return ConfigError{"config file " + path + " " + why};
}

std::string why_untrusted(const struct stat &st, uid_t owner, const char *what) {
    if (st.st_uid != owner)
        return std::string(what) + " is not owned by " +
               (owner == 0 ? std::string("root") : "uid " + std::to_string(owner));
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return std::string(what) + " is writable by group or others";
    return {};
}

}  // namespace

std::variant<std::vector<FileSetting>, ConfigError> parse_config_text(std::string_view text,
                                                                      const std::string &path) {
    std::vector<FileSetting> settings;
    int number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view raw = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++number;
        const auto where = "line " + std::to_string(number);
        if (raw.size() > kMaxLineBytes) return file_error(path, where + " is too long");
        if (raw.find('\0') != std::string_view::npos)
            return file_error(path, where + " has a NUL byte");
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            if (line.find_first_of(" \t") != std::string_view::npos)
                return file_error(path, where + ": expected key = value");
            settings.push_back({std::string(line), number});
            continue;
        }
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (key.empty() || key.find_first_of(" \t") != std::string_view::npos)
            return file_error(path, where + ": expected key = value");
        // An empty value is left for the argument parser, which names the key.
        settings.push_back({std::string(key) + "=" + std::string(value), number});
    }
    return settings;
}

std::variant<std::vector<FileSetting>, ConfigError> read_config_file(const std::string &path,
                                                                     uid_t owner) {
    const auto slash = path.rfind('/');
    if (path.empty() || path.front() != '/' || slash == path.size() - 1)
        return file_error(path, "is not an absolute file path");
    const std::string dir_path = slash == 0 ? "/" : path.substr(0, slash);
    const std::string name = path.substr(slash + 1);

    const UniqueFd dir(open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct stat st {};
    if (!dir || fstat(dir.get(), &st) != 0)
        return file_error(path, std::string("cannot be opened: ") + strerror(errno));
    if (auto why = why_untrusted(st, owner, "its directory"); !why.empty())
        return file_error(path, "is refused: " + why);

    const UniqueFd file(
        openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!file) {
        if (errno == ELOOP) return file_error(path, "is refused: it is a symbolic link");
        return file_error(path, std::string("cannot be opened: ") + strerror(errno));
    }
    if (fstat(file.get(), &st) != 0)
        return file_error(path, std::string("cannot be read: ") + strerror(errno));
    if (!S_ISREG(st.st_mode)) return file_error(path, "is refused: not a regular file");
    if (auto why = why_untrusted(st, owner, "it"); !why.empty())
        return file_error(path, "is refused: " + why);
    if (static_cast<std::size_t>(st.st_size) > kMaxConfigFileBytes)
        return file_error(path, "is larger than 64 KiB");

    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = read(file.get(), text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return file_error(path, std::string("cannot be read: ") + strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    return parse_config_text(text, path);
}

std::variant<ModuleConfig, ConfigError> load_configuration(int argc, const char **argv,
                                                           uid_t owner) {
    auto line = parse_arguments(argc, argv);
    const auto *config = std::get_if<ModuleConfig>(&line);
    if (config == nullptr || config->config_file.empty()) return line;
    const std::string path = config->config_file;
    auto file = read_config_file(path, owner);
    if (auto *error = std::get_if<ConfigError>(&file)) return *error;
    return merge_arguments(path, std::get<std::vector<FileSetting>>(file), argc, argv);
}

}  // namespace aadcred_pam
