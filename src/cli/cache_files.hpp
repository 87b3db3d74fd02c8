#pragma once
// Files that hold tokens for `aadcred cache export|import`: read with a size cap, written
// private (0600) and atomically, so a reader never sees half a cache and no other user can
// read it even for a moment.

#include <cstddef>
#include <string>

#include "input_file.hpp"  // WipedString

namespace aadcred::cli {

/// The library's JSON cap (1 MiB); a cache file bigger than this cannot be imported.
inline constexpr std::size_t k_max_cache_bytes = std::size_t{1} << 20;

/// Reads FILE, or stdin for "-", into `out`. Throws ConfigError (exit 2) on failure or
/// when the input is larger than `cap` bytes.
void read_private_input(const std::string &path, std::size_t cap, WipedString &out);

/// Writes `text` to FILE (created 0600 next to it under a temporary name, synced, then
/// renamed over FILE), or to stdout for "-". Throws ConfigError on failure.
void write_private_output(const std::string &path, const char *text);

}  // namespace aadcred::cli
