#pragma once
// Where tokens persist between processes: the Secret Service (SPEC §7), the kernel
// keyring, an ADAL-format file, or memory. The provider loads the entries of one
// authority + client into a TokenCache, runs ADAL's logic on it, and writes back what
// changed.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/oauth2/token_entry.hpp"

namespace aadcred {

struct StoreOptions {
    /// "auto", "secret-service", "keyring", "memory" or "file:PATH".
    std::string spec = "auto";
    /// May the store show an unlock prompt (a locked collection)? False for git with
    /// GIT_TERMINAL_PROMPT=0, PAM, --no-prompt.
    bool allow_prompt = true;
};

class Store {
  public:
    virtual ~Store() = default;
    /// "secret-service", "keyring", "memory", "file".
    virtual std::string name() const = 0;
    /// Entries of one authority and client id (looked up by attributes, never by listing).
    virtual std::vector<TokenEntry> load(std::string_view authority,
                                         std::string_view client_id) = 0;
    /// The entries of one user (userId, compared without case) of one authority and client
    /// id: what a request naming its account needs, so that a lookup costs the same with
    /// ten cached accounts or ten thousand (issue 12). The default filters load(); stores
    /// that can look up by user do so.
    virtual std::vector<TokenEntry> load_user(std::string_view authority,
                                              std::string_view client_id, std::string_view user_id);
    /// Every aadcred entry (for `list` and `logout --all`).
    virtual std::vector<TokenEntry> load_all() = 0;
    /// Saves the entry, replacing the one with the same key.
    virtual void save(const TokenEntry &entry) = 0;
    /// Removes the entry with this key; missing is not an error.
    virtual void remove(const TokenEntry &entry) = 0;
};

/// Opens the store named by options.spec. Throws AdalError(store) when it cannot be used
/// (no D-Bus, no Secret Service, bad spec), AdalError(invalid) for an unknown spec.
std::unique_ptr<Store> open_store(const StoreOptions &options);

}  // namespace aadcred
