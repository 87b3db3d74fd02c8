#include "cache/kernel_keyring_store.hpp"

#include <keyutils.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_key.hpp"
#include "core/adal_error.hpp"
#include "util/digest.hpp"
#include "util/environment.hpp"
#include "util/log.hpp"
#include "util/secret_string.hpp"

namespace aadcred {

namespace {

// keyrings(7): a key's owner may do everything but change its attributes from outside the
// possessing session; group and others get nothing (an entry holds a refresh token).
constexpr key_perm_t kEntryPermissions = KEY_POS_ALL | (KEY_USR_ALL & ~KEY_USR_SETATTR);

// A keyring lists its links as 4-byte serials; more than this many links in one keyring is
// far beyond any user's tokens (and the default quota of 200 keys).
constexpr std::size_t kMaxLinks = 8192;
// "type;uid;gid;perm;description" for a key description of at most 4095 bytes.
constexpr std::size_t kMaxDescription = 4096 + 64;

[[noreturn]] void fail(const std::string &what, int err) {
    std::string message = "Kernel keyring: " + what + ": " + std::strerror(err);
    if (err == EDQUOT) {
        message +=
            " (the user's key quota is full: see /proc/sys/kernel/keys/maxbytes and "
            "maxkeys, or `aadcred logout` unused accounts)";
    }
    throw AdalError(ErrorClass::store, message);
}

// The key's description: a hash, so the description (which `keyctl show` prints to anyone
// the key is visible to) names no user or tenant. The parts are already lower-cased, and
// a newline cannot occur in any of them.
std::string description_of(const TokenEntry &entry) {
    const CacheKey k = cache_key(entry);
    return std::string(kKeyringKeyPrefix) +
           sha256_hex(k.authority + "\n" + k.resource + "\n" + k.client_id + "\n" + k.user_id);
}

// Not under kKeyringKeyPrefix: load_all must not take it for a token entry.
constexpr const char *kNoticeMarker = "aadcred-notice:keyring-fallback";

bool ignorable(int err) noexcept {
    // The key was removed, revoked or expired between listing and reading it (another
    // process logged out), or it belongs to someone else who linked it into our keyring.
    return err == ENOKEY || err == EKEYREVOKED || err == EKEYEXPIRED || err == EACCES;
}

class KernelKeyringStore : public Store {
  public:
    explicit KernelKeyringStore(key_serial_t keyring)
        : keyring_(keyring), log_("KernelKeyringStore", "") {}

    std::string name() const override { return "keyring"; }

    std::vector<TokenEntry> load(std::string_view authority, std::string_view client_id) override {
        std::vector<TokenEntry> found;
        for (auto &entry : load_all()) {
            if (belongs_to(entry, authority, client_id)) found.push_back(std::move(entry));
        }
        return found;
    }

    std::vector<TokenEntry> load_all() override {
        std::vector<TokenEntry> entries;
        for (const key_serial_t key : our_keys()) {
            if (auto entry = read_entry(key)) entries.push_back(std::move(*entry));
        }
        return entries;
    }

    void save(const TokenEntry &entry) override {
        const SecretString json(entry.to_json());
        if (json.size() > kMaxKeyringPayload) {
            throw AdalError(ErrorClass::store,
                            "Kernel keyring: the token entry is " + std::to_string(json.size()) +
                                " bytes, more than the " + std::to_string(kMaxKeyringPayload) +
                                " bytes a kernel key can hold; use --store file:PATH for it");
        }
        const std::string description = description_of(entry);
        // add_key replaces the payload of a "user" key with the same description in this
        // keyring atomically: readers see the old entry or the new one.
        const key_serial_t key =
            add_key("user", description.c_str(), json.c_str(), json.size(), keyring_);
        if (key < 0) fail("cannot store the token", errno);
        if (keyctl_setperm(key, kEntryPermissions) != 0) {
            const int err = errno;
            keyctl_revoke(key);  // never leave a token behind with permissions we did not set
            keyctl_unlink(key, keyring_);
            fail("cannot restrict the token's permissions", err);
        }
    }

    void remove(const TokenEntry &entry) override {
        const std::string description = description_of(entry);
        for (const key_serial_t key : our_keys()) {
            if (describe(key) != description) continue;
            // Revoke first: the payload becomes unreadable at once, even through a link
            // someone made elsewhere; the unlink then lets the kernel collect it.
            if (keyctl_revoke(key) != 0 && !ignorable(errno)) {
                fail("cannot remove the token", errno);
            }
            if (keyctl_unlink(key, keyring_) != 0 && errno != ENOENT && !ignorable(errno)) {
                fail("cannot remove the token", errno);
            }
        }
    }

    bool claim_notice() {
        for (const key_serial_t key : links()) {
            if (describe(key) == kNoticeMarker) return false;
        }
        const key_serial_t key = add_key("user", kNoticeMarker, "1", 1, keyring_);
        if (key >= 0) keyctl_setperm(key, kEntryPermissions);  // "user" keys need a payload
        return true;
    }

  private:
    std::vector<key_serial_t> links() const {
        std::vector<key_serial_t> serials(64);
        for (;;) {
            const long n = keyctl_read(keyring_, reinterpret_cast<char *>(serials.data()),
                                       serials.size() * sizeof(key_serial_t));
            if (n < 0) fail("cannot list the keyring", errno);
            const std::size_t count = static_cast<std::size_t>(n) / sizeof(key_serial_t);
            if (count <= serials.size()) {
                serials.resize(count);
                return serials;
            }
            if (count > kMaxLinks) {
                throw AdalError(ErrorClass::store, "Kernel keyring: the keyring holds more than " +
                                                       std::to_string(kMaxLinks) + " keys");
            }
            serials.resize(count);  // it grew since the last read: try again
        }
    }

    // The description of a "user" key, or "" for any other type or an unreadable key.
    static std::string describe(key_serial_t key) {
        std::array<char, kMaxDescription> buffer{};
        const long n = keyctl_describe(key, buffer.data(), buffer.size());
        if (n < 0 || static_cast<std::size_t>(n) > buffer.size()) return {};
        const std::string_view text(buffer.data());
        if (!text.starts_with("user;")) return {};
        std::size_t at = 0;
        for (int field = 0; field < 4; ++field) {
            at = text.find(';', at);
            if (at == std::string_view::npos) return {};
            ++at;
        }
        return std::string(text.substr(at));
    }

    std::vector<key_serial_t> our_keys() const {
        std::vector<key_serial_t> keys;
        for (const key_serial_t key : links()) {
            if (describe(key).starts_with(kKeyringKeyPrefix)) keys.push_back(key);
        }
        return keys;
    }

    std::optional<TokenEntry> read_entry(key_serial_t key) const {
        std::string buffer(kMaxKeyringPayload + 1, '\0');
        const long n = keyctl_read(key, buffer.data(), buffer.size());
        if (n < 0) {
            const int err = errno;
            secure_wipe(buffer);
            if (ignorable(err)) return std::nullopt;
            fail("cannot read a token", err);
        }
        if (static_cast<std::size_t>(n) > kMaxKeyringPayload) {
            secure_wipe(buffer);
            log_.warning("Skipping a kernel keyring key larger than a token entry can be");
            return std::nullopt;
        }
        buffer.resize(static_cast<std::size_t>(n));
        const SecretString json(std::move(buffer));
        try {
            return TokenEntry::from_json(json.reveal());
        } catch (const AdalError &e) {
            // One damaged key must not lock every account out.
            log_.warning("Skipping a kernel keyring key that is not a token entry: " + e.message());
            return std::nullopt;
        }
    }

    key_serial_t keyring_;
    Logger log_;
};

[[noreturn]] void unavailable(const std::string &what, int err) {
    throw AdalError(ErrorClass::store, "No kernel keyring: " + what + ": " + std::strerror(err));
}

key_serial_t resolve(key_serial_t spec, const char *name) {
    const key_serial_t id = keyctl_get_keyring_ID(spec, 1);
    if (id < 0) unavailable(std::string("cannot open the ") + name + " keyring", errno);
    return id;
}

}  // namespace

std::unique_ptr<Store> make_kernel_keyring_store(std::int32_t keyring) {
    return std::make_unique<KernelKeyringStore>(resolve(keyring, "given"));
}

bool claim_keyring_fallback_notice(Store &store) {
    auto *keyring = dynamic_cast<KernelKeyringStore *>(&store);
    if (keyring == nullptr) return true;
    try {
        return keyring->claim_notice();
    } catch (const AdalError &) {
        return true;
    }
}

std::unique_ptr<Store> open_kernel_keyring_store(const StoreOptions &) {
    const char *env = caller_env("AADCRED_KEYRING");
    const std::string_view place = env != nullptr ? env : "";
    if (place == "session") {
        return std::make_unique<KernelKeyringStore>(resolve(KEY_SPEC_SESSION_KEYRING, "session"));
    }
    if (place == "user") {
        return std::make_unique<KernelKeyringStore>(resolve(KEY_SPEC_USER_KEYRING, "user"));
    }
    if (!place.empty() && place != "persistent") {
        throw AdalError(ErrorClass::invalid, "Unknown AADCRED_KEYRING '" + std::string(place) +
                                                 "': use persistent, user or session");
    }
    // The persistent keyring is linked into our process keyring so this process possesses
    // it (and its keys); each call also restarts its expiry timer.
    const long persistent = keyctl_get_persistent(static_cast<uid_t>(-1), KEY_SPEC_PROCESS_KEYRING);
    if (persistent >= 0) {
        return std::make_unique<KernelKeyringStore>(static_cast<key_serial_t>(persistent));
    }
    if (place == "persistent") unavailable("no persistent keyring", errno);
    // EOPNOTSUPP: a kernel without CONFIG_PERSISTENT_KEYRINGS; the user keyring will do.
    return std::make_unique<KernelKeyringStore>(resolve(KEY_SPEC_USER_KEYRING, "user"));
}

}  // namespace aadcred
