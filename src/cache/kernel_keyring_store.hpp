#pragma once
// Tokens in the Linux kernel keyring (keyrings(7), libkeyutils): the headless store that
// `--store auto` falls back to when there is no Secret Service (SSH sessions, containers,
// CI runners), SPEC §7. Each entry is a "user" key named aadcred:<sha256 hex of the
// lower-cased cache key> whose payload is the entry's JSON, readable by its owner only.
// The keys sit directly in one keyring, chosen once per store:
//   - the user's persistent keyring (keyctl_get_persistent) when the kernel has one: it
//     outlives logins, and expires after /proc/sys/kernel/keys/persistent_keyring_expiry
//     seconds (3 days by default) without use;
//   - else the user keyring (@u), which lives as long as any process of the user does.
// AADCRED_KEYRING=persistent|user|session picks one explicitly ("session" keeps tokens
// in the calling session keyring: tests, throw-away shells). No key gets a timeout of
// its own: ADAL entries do not say when the refresh token dies, and a token that Azure AD
// refuses is removed by the provider anyway.
// The only file that includes keyutils.h is the .cpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "cache/store.hpp"

namespace aadcred {

/// The largest payload the kernel accepts for a "user" key (keyrings(7)).
inline constexpr std::size_t kMaxKeyringPayload = 32767;

/// The prefix of every key aadcred owns in the keyring.
inline constexpr std::string_view kKeyringKeyPrefix = "aadcred:";

/// Opens the store in the keyring chosen as described above. Throws AdalError(store)
/// "No kernel keyring: ..." when the kernel or a container's seccomp policy refuses
/// keyctl, AdalError(invalid) for an unknown AADCRED_KEYRING value.
std::unique_ptr<Store> open_kernel_keyring_store(const StoreOptions &options);

/// The store in one given keyring: a serial or a KEY_SPEC_* value (tests use
/// KEY_SPEC_SESSION_KEYRING after joining a fresh session keyring).
std::unique_ptr<Store> make_kernel_keyring_store(std::int32_t keyring);

/// True the first time it is asked about the keyring of `store` (a kernel keyring store):
/// records that in a marker key (aadcred-notice:keyring-fallback), so the
/// "using the kernel keyring" notice is shown once per keyring, not on every git fetch.
/// True as well when the marker cannot be written (better said twice than never).
bool claim_keyring_fallback_notice(Store &store);

}  // namespace aadcred
