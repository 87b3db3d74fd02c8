#pragma once
// The CA bundle a caller names (--ca-file, aadcredCaFile, ca_file=): checked before curl
// opens it, because curl's blocking open of a FIFO never returns and a device or directory
// gives a confusing TLS error much later (issue 9).

#include <string>

namespace aadcred {

/// Throws AdalError (invalid), naming the file, unless `path` opens without blocking and
/// is a regular file (a symbolic link to one is fine).
void check_ca_file(const std::string &path);

}  // namespace aadcred
