#include "cache/hot_cache.hpp"

#include <cerrno>
#include <string>
#include <string_view>

#include "core/adal_error.hpp"
#include "util/environment.hpp"
#include "util/text.hpp"

#ifdef AADCRED_HAVE_KEYUTILS
#include <keyutils.h>

#include "util/secret_string.hpp"
#endif

namespace aadcred {

namespace {

// Decorates the Secret Service store: the write first, then the hot cache emptied, even
// when the write failed half-way (a removal may have happened).
class ClearingHotCacheStore : public Store {
  public:
    explicit ClearingHotCacheStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
    std::string name() const override { return inner_->name(); }
    std::vector<TokenEntry> load(std::string_view authority, std::string_view client_id) override {
        return inner_->load(authority, client_id);
    }
    std::vector<TokenEntry> load_user(std::string_view authority, std::string_view client_id,
                                      std::string_view user_id) override {
        return inner_->load_user(authority, client_id, user_id);
    }
    std::vector<TokenEntry> load_all() override { return inner_->load_all(); }
    void save(const TokenEntry &entry) override {
        const ClearAfter clear;
        inner_->save(entry);
    }
    void remove(const TokenEntry &entry) override {
        const ClearAfter clear;
        inner_->remove(entry);
    }

  private:
    struct ClearAfter {
        ClearAfter() = default;
        ClearAfter(const ClearAfter &) = delete;
        ClearAfter &operator=(const ClearAfter &) = delete;
        ~ClearAfter() { clear_hot_cache(); }
    };
    std::unique_ptr<Store> inner_;
};

#ifdef AADCRED_HAVE_KEYUTILS

bool switched_off() {
    const char *value = caller_env("AADCRED_HOT_CACHE");
    if (value == nullptr) return false;
    const std::string_view v = value;
    return v == "off" || v == "0" || v == "false" || v == "no";
}

constexpr const char *kHotKeyring = "aadcred-hot";
constexpr std::string_view kHotKeyPrefix = "aadcred-hot:";
// A "user" key holds at most this much (keyrings(7)).
constexpr std::size_t kMaxPayload = 32767;
// The owner may do everything but change attributes from outside; group and others get
// nothing (as the keyring store's entries).
constexpr key_perm_t kPermissions = KEY_POS_ALL | (KEY_USR_ALL & ~KEY_USR_SETATTR);

// This thread's writes to the Secret Service store, and the keyring the last one made: a
// provider runs get() in one thread, so "my own write" is this thread's.
thread_local std::uint64_t t_writes = 0;
thread_local key_serial_t t_last_made = -1;

// Where "aadcred-hot" lives: the session keyring when AADCRED_KEYRING=session, else the
// user keyring. An unknown AADCRED_KEYRING value turns the hot cache off (the keyring
// store will say what is wrong with it).
std::optional<key_serial_t> home_keyring() {
    const char *env = caller_env("AADCRED_KEYRING");
    const std::string_view place = env != nullptr ? env : "";
    if (place == "session") return KEY_SPEC_SESSION_KEYRING;
    if (place.empty() || place == "user" || place == "persistent") return KEY_SPEC_USER_KEYRING;
    return std::nullopt;
}

// A new, empty "aadcred-hot" in `home`: the kernel swaps it for the old one of the same
// name in one step, and the old one (with its keys) is collected once unlinked.
key_serial_t make_hot_keyring(key_serial_t home) {
    const key_serial_t keyring = add_key("keyring", kHotKeyring, nullptr, 0, home);
    if (keyring < 0) return -1;
    if (keyctl_setperm(keyring, kPermissions) != 0) {
        keyctl_unlink(keyring, home);
        return -1;
    }
    return keyring;
}

std::string_view api_name(ApiKind api) {
    switch (api) {
        case ApiKind::v1:
            return "v1";
        case ApiKind::v2:
            return "v2";
        case ApiKind::oidc:
            return "oidc";
    }
    return "";
}

// What the entry answers, spelled out: the bus address names the Secret Service the
// token came from, so two sessions' keyrings never answer for each other.
std::string key_text_of(const HotCacheKey &key) {
    return key.bus + "\n" + key.authority + "\n" + key.resource + "\n" +
           ascii_lower(key.client_id) + "\n" + ascii_lower(key.user_id) + "\n" +
           std::string(api_name(key.api));
}

// The key's name: a hash of the key text, so that `keyctl show` names no user or tenant.
// FNV-1a rather than OpenSSL's SHA-256: the name needs no collision resistance (the
// payload carries the key text, checked on every read, and only the owner can write the
// keyring anyway), and SHA-256 would cost the warm call OpenSSL's provider set-up, about
// a millisecond, a fifth of the whole call.
std::string description_of(std::string_view key_text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char c : key_text) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char bytes[sizeof hash];
    for (std::size_t i = 0; i < sizeof hash; ++i) {
        bytes[i] = static_cast<char>(hash >> (8 * (sizeof hash - 1 - i)));  // big-endian
    }
    return std::string(kHotKeyPrefix) + hex_lower(std::string_view(bytes, sizeof bytes));
}

// The payload member holding the key text (ADAL's own members never start with "_aadcred").
constexpr std::string_view kKeyTextMember = "_aadcredHotKey";

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

#endif  // AADCRED_HAVE_KEYUTILS

}  // namespace

#ifdef AADCRED_HAVE_KEYUTILS

std::optional<HotCache> HotCache::open(const HotCacheKey &key) {
    if (switched_off()) return std::nullopt;
    const auto home = home_keyring();
    if (!home) return std::nullopt;
    long found = keyctl_search(*home, "keyring", kHotKeyring, 0);
    if (found < 0 && errno == ENOKEY) found = make_hot_keyring(*home);
    if (found < 0) return std::nullopt;
    std::string key_text = key_text_of(key);
    std::string description = description_of(key_text);
    return HotCache(static_cast<std::int32_t>(found), t_writes, std::move(key_text),
                    std::move(description));
}

std::optional<TokenEntry> HotCache::find(std::chrono::seconds min_validity) const {
    const long serial = keyctl_search(keyring_, "user", description_.c_str(), 0);
    if (serial < 0) return std::nullopt;
    std::string buffer(kMaxPayload + 1, '\0');
    const long n = keyctl_read(static_cast<key_serial_t>(serial), buffer.data(), buffer.size());
    if (n <= 0 || static_cast<std::size_t>(n) > kMaxPayload) {
        secure_wipe(buffer);
        return std::nullopt;
    }
    buffer.resize(static_cast<std::size_t>(n));
    const SecretString json(std::move(buffer));
    try {
        TokenEntry entry = TokenEntry::from_json(json.reveal());
        // Another request's entry under the same name (a hash collision): not ours.
        if (entry.string(kKeyTextMember) != std::string_view(key_text_)) return std::nullopt;
        entry.erase(kKeyTextMember);
        const auto expires_at = entry.expires_at();
        if (!expires_at || now_seconds() + min_validity.count() > *expires_at) return std::nullopt;
        if (entry.secret(key::access_token).empty()) return std::nullopt;
        return entry;
    } catch (const AdalError &) {
        return std::nullopt;  // not ours, or damaged: the store will answer
    }
}

void HotCache::put(const TokenEntry &token) const {
    // After this thread's own store write, the keyring it found was replaced: the one
    // that write made is the current one, unless someone wrote the store again since.
    const key_serial_t keyring = t_writes == generation_ ? keyring_ : t_last_made;
    if (keyring < 0) return;
    const auto expires_at = token.expires_at();
    if (!expires_at || token.secret(key::access_token).empty()) return;
    const std::int64_t life = *expires_at - now_seconds();
    if (life <= 0) return;
    TokenEntry hot = token;
    hot.erase(key::refresh_token);  // the refresh token lives in the store only
    hot.set_string(kKeyTextMember, key_text_);
    const SecretString json(hot.to_json());
    if (json.size() > kMaxPayload) return;
    const key_serial_t serial =
        add_key("user", description_.c_str(), json.c_str(), json.size(), keyring);
    if (serial < 0) return;  // e.g. EDQUOT: the user's key quota is full
    if (keyctl_setperm(serial, kPermissions) != 0 ||
        keyctl_set_timeout(serial, static_cast<unsigned>(life)) != 0) {
        keyctl_revoke(serial);
        keyctl_unlink(serial, keyring);
    }
}

void clear_hot_cache() noexcept {
    ++t_writes;
    t_last_made = -1;
    const auto home = home_keyring();
    if (home) t_last_made = make_hot_keyring(*home);
}

#else  // no libkeyutils: no hot cache

std::optional<HotCache> HotCache::open(const HotCacheKey &) {
    return std::nullopt;
}

std::optional<TokenEntry> HotCache::find(std::chrono::seconds) const {
    return std::nullopt;
}

void HotCache::put(const TokenEntry &) const {}

void clear_hot_cache() noexcept {}

#endif

std::unique_ptr<Store> clearing_hot_cache_on_write(std::unique_ptr<Store> store) {
    return std::make_unique<ClearingHotCacheStore>(std::move(store));
}

}  // namespace aadcred
