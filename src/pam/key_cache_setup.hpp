#pragma once
// Where pam_aadcred keeps the authority's keys between logins (aadcred_identity_options'
// key_cache_dir): "key_cache=DIR", "key_cache=none", or by default, when the module
// runs as root, /var/cache/aadcred/keys. The library checks who owns the directory; this
// only makes it, root's and 0755, when it is missing.

#include <security/pam_modules.h>

#include <string>

namespace aadcred_pam {

inline constexpr const char *kDefaultKeyCache = "/var/cache/aadcred/keys";

/// The directory to hand the library, or "" for none. `setting` is the argument's value
/// ("" when not given). A missing directory is made (with its missing parents, 0755);
/// when that fails the sign-in goes on without the cache, with a warning.
std::string prepare_key_cache(pam_handle_t *pamh, const std::string &setting);

}  // namespace aadcred_pam
