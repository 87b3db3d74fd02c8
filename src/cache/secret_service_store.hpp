#pragma once
// Tokens in the freedesktop Secret Service (gnome-keyring, KWallet, KeePassXC) through
// libsecret, SPEC §7: schema org.aadcred.Token, the cache key as lower-cased attributes
// (never secrets), the ADAL entry as the JSON secret. libsecret (and GLib) are loaded
// when the store is first opened (cache/secret_library.hpp), never linked.

#include <memory>

#include "cache/store.hpp"

namespace aadcred {

/// The libsecret schema name; `secret-tool search xdg:schema org.aadcred.Token` lists ours.
inline constexpr const char *kSecretSchemaName = "org.aadcred.Token";

/// Connects to the Secret Service on the session bus and opens a session with it, within
/// a bounded time. Throws AdalError(store) "No Secret Service: ..." when libsecret or GLib
/// cannot be loaded (the message names the library), there is no bus, no service, or no
/// answer.
std::unique_ptr<Store> open_secret_service_store(const StoreOptions &options);

}  // namespace aadcred
