#pragma once
// The receiving end of the PAM single sign-on hand-over (docs/pam-sso.md): pam_aadcred
// leaves the sign-in's tokens, as ADAL TokenCache JSON, in a file only the user can read;
// the user's first aadcred use (git helper, CLI, any CredentialProvider) moves them into
// the user's own store and deletes the file, so the first `git fetch` after logging in
// needs no second device code.

#include <cstddef>
#include <string>
#include <vector>

namespace aadcred {

class Store;

/// Where hand-overs wait (aadcred/handover.h defines the layout), in the order read:
///   $XDG_RUNTIME_DIR/aadcred/handover.json             (logind's /run/user/<uid>)
///   ${AADCRED_RUNTIME_ROOT:-/run}/aadcred/<uid>/handover.json  (no logind)
std::vector<std::string> handover_paths();

/// Imports every hand-over found at `paths` into `store` and deletes each file once its
/// entries are saved. A file is read only when it is a regular file (not a symlink)
/// owned by this user with no group or other permission bits, at most
/// AADCRED_HANDOVER_MAX_BYTES (256 KiB). Never
/// throws: problems are logged as warnings and the file is left for the next try when
/// the store failed. A memory store imports nothing (the tokens would die with the
/// process and the file be gone).
/// @return the number of token entries saved
std::size_t import_handover(Store &store, const std::vector<std::string> &paths = handover_paths());

}  // namespace aadcred
