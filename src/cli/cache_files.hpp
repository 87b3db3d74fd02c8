#pragma once
// Files that hold tokens for `aadcred cache export|import`: read with a size cap, written
// private (0600) and atomically, so a reader never sees half a cache and no other user can
// read it even for a moment; devices and FIFOs are written into, never replaced (issue 9).

#include <cstddef>
#include <string>

#include "input_file.hpp"  // WipedString

namespace aadcred::cli {

/// The library's JSON cap (1 MiB); a cache file bigger than this cannot be imported.
inline constexpr std::size_t k_max_cache_bytes = std::size_t{1} << 20;

/// Reads FILE, or stdin for "-", into `out`. Throws ConfigError (exit 2) on failure or
/// when the input is larger than `cap` bytes.
void read_private_input(const std::string &path, std::size_t cap, WipedString &out);

/// Writes `text` to stdout for "-"; to a missing or regular FILE as a new 0600 file
/// (written under FILE.aadcred-tmp-XXXXXX, synced, then renamed to FILE); into a
/// character device or FIFO FILE as it is (never replaced), also through a symlink of
/// ours or root's such as /dev/stdout. Refuses (ConfigError) a symlink of another user, a
/// symlink to a regular file or to nothing, a FIFO nobody reads and any other kind of file.
void write_private_output(const std::string &path, const char *text);

}  // namespace aadcred::cli
