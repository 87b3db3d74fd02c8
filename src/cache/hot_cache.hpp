#pragma once
// The hot cache (issue 12): the access tokens the Secret Service store handed out lately,
// kept in the user's kernel keyring so that a warm call (git's fill, `aadcred token`)
// answers without a D-Bus round trip or loading libsecret at all.
//
// - Where: a keyring named "aadcred-hot" in the user keyring (@u), or in the session
//   keyring when AADCRED_KEYRING=session (tests, throw-away shells). Each entry is a
//   "user" key "aadcred-hot:<64-bit hash, hex>" of the request it answers (the Secret
//   Service's session bus address, authority, resource, client id, user asked for, protocol), so
//   the description names no person; its payload is the token entry's JSON without the
//   refresh token, which stays in the store only, plus the request spelled out, which a
//   read checks. Owner-only permissions, and a key timeout equal to the access token's
//   remaining life: the kernel drops it at expiry.
// - Consistency: every write to the Secret Service store (a refresh, a sign-in, logout,
//   git's erase, import, store_token) first changes the store, then replaces the whole
//   "aadcred-hot" keyring by an empty one (the kernel swaps the link atomically). A
//   process puts its token into the keyring it found before it read the store, or the
//   one its own last store write made; if anyone wrote the store since, that keyring is
//   already unlinked and the put is lost. So the hot cache never answers with a token
//   the store no longer holds, and a token another process refreshed replaces it.
// - Writes made to the Secret Service behind aadcred's back (secret-tool, seahorse) are
//   not seen: the hot entry lives on until the access token expires, as a token
//   already handed to git would. AADCRED_HOT_CACHE=off turns the hot cache off (reads
//   and puts; store writes still empty it).
// Without libkeyutils every function here is a no-op and open_hot_cache() says no.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "cache/store.hpp"
#include "core/oauth2/authority.hpp"
#include "core/oauth2/token_entry.hpp"

namespace aadcred {

/// What a request names: the hot entry that answers it.
struct HotCacheKey {
    std::string bus;        ///< the session bus address the Secret Service is on
    std::string authority;  ///< the authority's URL as the store keys it
    std::string resource;   ///< v1 resource or v2/oidc scopes
    std::string client_id;
    std::string user_id;  ///< as asked for; empty: "the only cached account"
    ApiKind api = ApiKind::v1;
};

/// The hot cache's answer for one request: its entry's name is worked out once, when
/// the slot is opened, for the find and the put that follow.
class HotCache {
  public:
    /// The slot for `key` in this user's hot cache, or nullopt when the hot cache is off
    /// or the kernel refuses keyctl. Creates the "aadcred-hot" keyring when there is none:
    /// before the caller reads the store, so that a store write by anyone after that read
    /// discards the caller's put.
    static std::optional<HotCache> open(const HotCacheKey &key);

    /// The entry when its access token is valid for `min_validity` more seconds; nullopt
    /// otherwise, and on any error (a miss is always safe).
    std::optional<TokenEntry> find(std::chrono::seconds min_validity) const;

    /// Keeps `token` (without its refresh token) until its access token expires.
    /// Never throws: a hot cache that cannot be written only makes the next call slower.
    void put(const TokenEntry &token) const;

  private:
    HotCache(std::int32_t keyring, std::uint64_t generation, std::string key_text,
             std::string description)
        : keyring_(keyring),
          generation_(generation),
          key_text_(std::move(key_text)),
          description_(std::move(description)) {}
    std::int32_t keyring_;
    std::uint64_t generation_;  // this process's store writes when the keyring was found
    std::string key_text_;      // what the key names, spelled out; also in the payload
    std::string description_;   // "aadcred-hot:<hash of key_text_>"
};

/// Empties the hot cache of this user: replaces the "aadcred-hot" keyring with an empty
/// one. Called after every write to the Secret Service store; never throws.
void clear_hot_cache() noexcept;

/// `store` with clear_hot_cache() after each of its saves and removes: the Secret Service
/// store is opened through this, so no writer can forget it.
std::unique_ptr<Store> clearing_hot_cache_on_write(std::unique_ptr<Store> store);

}  // namespace aadcred
