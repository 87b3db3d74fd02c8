#pragma once
// config=/etc/aadcred/pam.conf: the module's settings in a file the PAM line names, for
// hosts like sshd that give PAM no environment, and so one file serves every stanza.
// The file decides who may sign in where, so it must be as trustworthy as /etc/pam.d:
// owned by root, written by no one else, in a directory the same holds for.

#include <sys/types.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "module_config.hpp"

namespace aadcred_pam {

/// Largest config file read; a real one is a few hundred bytes.
inline constexpr std::size_t kMaxConfigFileBytes = 64 << 10;

/// Splits the file's text into settings: `key = value` lines (spaces around '=' and at
/// either end ignored), bare flag lines (`qr`), blank lines and lines starting with '#'.
/// `path` only names the file in errors.
std::variant<std::vector<FileSetting>, ConfigError> parse_config_text(std::string_view text,
                                                                      const std::string &path);

/// Reads `path` if it and its directory belong to `owner` (root for the module) and
/// neither is writable by group or others; the file must be a regular file, not a
/// symlink, at most kMaxConfigFileBytes.
std::variant<std::vector<FileSetting>, ConfigError> read_config_file(const std::string &path,
                                                                     uid_t owner);

/// The module's settings: the PAM line, and under it the file its config= names.
std::variant<ModuleConfig, ConfigError> load_configuration(int argc, const char **argv,
                                                           uid_t owner = 0);

}  // namespace aadcred_pam
