#pragma once
// The CA bundle a caller names (--ca-file, aadcredCaFile, ca_file=): checked before curl
// opens it, because curl's blocking open of a FIFO never returns and a device or directory
// gives a confusing TLS error much later (issue 9).

#include <string>

namespace aadcred {

/// Throws AdalError (invalid), naming the file, unless `path` opens without blocking and
/// is a regular file (a symbolic link to one is fine).
void check_ca_file(const std::string &path);

/// Whether OpenSSL can look CA certificates up in `path` by subject hash: a directory
/// holding at least one name as c_rehash and update-ca-certificates write them (eight
/// lower-case hex digits, a dot, a number: "3513523f.0").
/// @param path the directory (libcurl's built-in CA path)
/// @return false for anything else: missing, not a directory, unreadable, no hashed name
bool is_hashed_ca_directory(const std::string &path);

}  // namespace aadcred
