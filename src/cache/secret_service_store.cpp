#include "cache/secret_service_store.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <utility>

#include "cache/cache_key.hpp"
#include "cache/glib_deadline.hpp"
#include "cache/secret_library.hpp"
#include "core/adal_error.hpp"
#include "util/log.hpp"
#include "util/session_bus.hpp"

namespace aadcred {

namespace {

using namespace std::chrono_literals;

// Bounds every D-Bus round trip (GDBus's own default is 25 s per call).
constexpr std::chrono::milliseconds kCallTimeout = 10s;
// An unlock prompt waits for a person to type the keyring password.
constexpr std::chrono::milliseconds kPromptTimeout = 120s;
// Items whose secrets one GetSecrets call asks for (SecretServiceStore::read says why).
constexpr std::size_t kSecretsPerCall = 256;

const char *const kLockedMessage =
    "The Secret Service collection is locked and no unlock prompt may be shown; unlock "
    "the keyring (e.g. log in to the desktop) or allow prompting";

// The schema name goes on every item as xdg:schema (no SECRET_SCHEMA_DONT_MATCH_NAME),
// which is what `secret-tool search xdg:schema org.aadcred.Token` matches on.
const SecretSchema *token_schema() {
    static const SecretSchema schema = [] {
        SecretSchema s{};
        s.name = kSecretSchemaName;
        s.flags = SECRET_SCHEMA_NONE;
        s.attributes[0] = {"authority", SECRET_SCHEMA_ATTRIBUTE_STRING};
        s.attributes[1] = {"client_id", SECRET_SCHEMA_ATTRIBUTE_STRING};
        s.attributes[2] = {"resource", SECRET_SCHEMA_ATTRIBUTE_STRING};
        s.attributes[3] = {"user_id", SECRET_SCHEMA_ATTRIBUTE_STRING};
        return s;
    }();
    return &schema;
}

// The attribute values live in `owner`; the table only points at them.
GHashTablePtr make_attributes(const std::vector<std::pair<const char *, std::string>> &owner) {
    GHashTablePtr table(glib().hash_table_new(glib().str_hash, glib().str_equal));
    for (const auto &[name, value] : owner) {
        glib().hash_table_insert(table.get(), const_cast<char *>(name),
                                 const_cast<char *>(value.c_str()));
    }
    return table;
}

std::vector<std::pair<const char *, std::string>> key_attributes(const TokenEntry &entry) {
    const CacheKey k = cache_key(entry);
    return {{"authority", k.authority},
            {"client_id", k.client_id},
            {"resource", k.resource},
            {"user_id", k.user_id}};
}

[[noreturn]] void fail(const std::string &what, const GError *error, const AsyncCall &call) {
    throw AdalError(ErrorClass::store, describe_failure(what, error, call));
}

// A NULL-terminated array of strings from GLib, freed with g_strfreev.
struct StrvFree {
    void operator()(gchar **strv) const noexcept { glib().strfreev(strv); }
};
using StrvPtr = std::unique_ptr<gchar *[], StrvFree>;

std::size_t count(gchar **strv) {
    std::size_t n = 0;
    while (strv != nullptr && strv[n] != nullptr) ++n;
    return n;
}

// a + b as one NULL-terminated array of copies (g_strdup, freed by g_strfreev).
StrvPtr join(gchar **a, gchar **b) {
    const std::size_t na = count(a);
    const std::size_t nb = count(b);
    auto **out = static_cast<gchar **>(glib().malloc0_n(na + nb + 1, sizeof(gchar *)));
    for (std::size_t i = 0; i < na; ++i) out[i] = glib().strdup(a[i]);
    for (std::size_t i = 0; i < nb; ++i) out[na + i] = glib().strdup(b[i]);
    return StrvPtr(out);
}

// Copies a secret into a TokenEntry; nullopt (with a warning) for a secret that is not
// an entry, so one damaged item cannot lock every account out.
std::optional<TokenEntry> entry_of(SecretValue *value, const Logger &log) {
    gsize length = 0;
    const gchar *bytes = secret().value_get(value, &length);
    const SecretString json{std::string_view(bytes, length)};  // no unwiped temporary
    try {
        return TokenEntry::from_json(json.reveal());
    } catch (const AdalError &e) {
        log.warning(std::string("Skipping a Secret Service item that is not a token entry: ") +
                    e.message());
        return std::nullopt;
    }
}

// Every operation runs libsecret's asynchronous calls on the store's own main context
// (glib_deadline.hpp says why); the mutex keeps two threads from pushing it at once.
class SecretServiceStore : public Store {
  public:
    SecretServiceStore(GMainContextPtr context, GObjectPtr<SecretService> service,
                       bool allow_prompt)
        : context_(std::move(context)),
          service_(std::move(service)),
          allow_prompt_(allow_prompt),
          log_("SecretServiceStore", "") {}

    ~SecretServiceStore() override {
        // The service proxy was made on our context: its destroy notifies go there.
        const ContextScope scope(context_.get());
        service_.reset();
    }

    std::string name() const override { return "secret-service"; }

    std::vector<TokenEntry> load(std::string_view authority, std::string_view client_id) override {
        const std::vector<std::pair<const char *, std::string>> attrs = {
            {"authority", ascii_lower(authority)}, {"client_id", ascii_lower(client_id)}};
        const std::lock_guard lock(mutex_);
        const ContextScope scope(context_.get());
        return read(attrs);
    }

    std::vector<TokenEntry> load_user(std::string_view authority, std::string_view client_id,
                                      std::string_view user_id) override {
        // One more attribute in the search (the schema has user_id): the service hands
        // back this user's items only, whatever else the collection holds.
        const std::vector<std::pair<const char *, std::string>> attrs = {
            {"authority", ascii_lower(authority)},
            {"client_id", ascii_lower(client_id)},
            {"user_id", ascii_lower(user_id)}};
        const std::lock_guard lock(mutex_);
        const ContextScope scope(context_.get());
        return read(attrs);
    }

    std::vector<TokenEntry> load_all() override {
        const std::lock_guard lock(mutex_);
        const ContextScope scope(context_.get());
        return read({});
    }

    void save(const TokenEntry &entry) override {
        const auto attrs = key_attributes(entry);
        const std::lock_guard lock(mutex_);
        const ContextScope scope(context_.get());
        ensure_default_collection_unlocked();
        const std::string label =
            "aadcred: " + std::string(entry.string(key::user_id).value_or("")) + " (" +
            std::string(entry.string(key::resource).value_or("")) + ")";
        std::string json = entry.to_json();
        struct ValueUnref {
            void operator()(SecretValue *v) const noexcept { secret().value_unref(v); }
        };
        std::unique_ptr<SecretValue, ValueUnref> value(
            secret().value_new(json.data(), static_cast<gssize>(json.size()), "application/json"));
        secure_wipe(json);
        const GHashTablePtr table = make_attributes(attrs);
        AsyncCall call(context_.get(), allow_prompt_ ? kPromptTimeout : kCallTimeout);
        GErrorSlot error;
        // secret_service_store replaces the item with the same attributes: save by key.
        secret().service_store(service_.get(), token_schema(), table.get(),
                               SECRET_COLLECTION_DEFAULT, label.c_str(), value.get(),
                               call.cancellable(), AsyncCall::ready, &call);
        if (!secret().service_store_finish(service_.get(), call.wait(), error.out())) {
            fail("Cannot store the token in the Secret Service", error.get(), call);
        }
    }

    void remove(const TokenEntry &entry) override {
        const std::lock_guard lock(mutex_);
        const ContextScope scope(context_.get());
        GObjectListPtr items = search(key_attributes(entry));
        // Check every item first: a locked one means nothing is deleted at all.
        for (GList *l = items.get(); l != nullptr; l = l->next) {
            if (secret().item_get_locked(static_cast<SecretItem *>(l->data))) {
                throw AdalError(ErrorClass::store, kLockedMessage);
            }
        }
        for (GList *l = items.get(); l != nullptr; l = l->next) {
            AsyncCall call(context_.get(), kCallTimeout);
            GErrorSlot error;
            SecretItem *item = static_cast<SecretItem *>(l->data);
            secret().item_delete(item, call.cancellable(), AsyncCall::ready, &call);
            if (!secret().item_delete_finish(item, call.wait(), error.out())) {
                fail("Cannot delete a token from the Secret Service", error.get(), call);
            }
        }
    }

  private:
    // Looks up by attributes (SPEC §7: never by listing everything); the schema adds
    // xdg:schema. With prompts allowed libsecret unlocks what it finds. Callers hold the
    // mutex and a ContextScope declared before the list, so freeing it is drained too.
    GObjectListPtr search(const std::vector<std::pair<const char *, std::string>> &attrs) {
        const GHashTablePtr table = make_attributes(attrs);
        int flags = SECRET_SEARCH_ALL;
        if (allow_prompt_) flags |= SECRET_SEARCH_UNLOCK;
        AsyncCall call(context_.get(), allow_prompt_ ? kPromptTimeout : kCallTimeout);
        GErrorSlot error;
        secret().service_search(service_.get(), token_schema(), table.get(),
                                static_cast<SecretSearchFlags>(flags), call.cancellable(),
                                AsyncCall::ready, &call);
        GObjectListPtr items(
            secret().service_search_finish(service_.get(), call.wait(), error.out()));
        if (error.get() != nullptr) {
            fail("Cannot search the Secret Service", error.get(), call);
        }
        return items;
    }

    // Reads every matching item in a few round trips (search, unlock, the secrets in
    // batches), whatever their number: libsecret's item search makes a proxy per item,
    // each with its own property call, which took seconds for a thousand accounts (issue
    // 12). Batches, not one call: gnome-keyring's GetSecrets takes time that grows with
    // the square of its items (7.5 s for all of 10,000, near the call timeout), and each
    // batch gets the timeout of its own.
    std::vector<TokenEntry> read(const std::vector<std::pair<const char *, std::string>> &attrs) {
        StrvPtr paths = search_paths(attrs);
        std::vector<TokenEntry> entries;
        if (!paths) return entries;
        std::vector<const gchar *> batch;
        for (gchar **path = paths.get(); *path != nullptr;) {
            batch.clear();
            for (; *path != nullptr && batch.size() < kSecretsPerCall; ++path) {
                batch.push_back(*path);
            }
            batch.push_back(nullptr);
            read_secrets(batch.data(), entries);
        }
        return entries;
    }

    // The secrets of `paths` (null-terminated) appended to `entries`, in that order.
    void read_secrets(const gchar **paths, std::vector<TokenEntry> &entries) {
        AsyncCall call(context_.get(), kCallTimeout);
        GErrorSlot error;
        secret().service_get_secrets_for_dbus_paths(service_.get(), paths, call.cancellable(),
                                                    AsyncCall::ready, &call);
        const GHashTablePtr secrets(secret().service_get_secrets_for_dbus_paths_finish(
            service_.get(), call.wait(), error.out()));
        if (!secrets) fail("Cannot read the tokens from the Secret Service", error.get(), call);
        // The table is keyed by path.
        for (const gchar **path = paths; *path != nullptr; ++path) {
            auto *value =
                static_cast<SecretValue *>(glib().hash_table_lookup(secrets.get(), *path));
            if (value == nullptr) continue;  // deleted since the search
            if (auto entry = entry_of(value, log_)) entries.push_back(std::move(*entry));
        }
    }

    // The D-Bus paths of the matching items, every one unlocked: with prompts allowed,
    // locked ones are unlocked (the person is asked); without, a locked one is an error.
    StrvPtr search_paths(const std::vector<std::pair<const char *, std::string>> &attrs) {
        const GHashTablePtr table = make_attributes(attrs);
        gchar **unlocked_out = nullptr;
        gchar **locked_out = nullptr;
        {
            AsyncCall call(context_.get(), kCallTimeout);
            GErrorSlot error;
            secret().service_search_for_dbus_paths(service_.get(), token_schema(), table.get(),
                                                   call.cancellable(), AsyncCall::ready, &call);
            const bool found = secret().service_search_for_dbus_paths_finish(
                service_.get(), call.wait(), &unlocked_out, &locked_out, error.out());
            if (!found || error.get() != nullptr) {
                glib().strfreev(unlocked_out);
                glib().strfreev(locked_out);
                fail("Cannot search the Secret Service", error.get(), call);
            }
        }
        StrvPtr unlocked(unlocked_out);
        const StrvPtr locked(locked_out);
        if (!locked || locked.get()[0] == nullptr) return unlocked;
        if (!allow_prompt_) throw AdalError(ErrorClass::store, kLockedMessage);
        AsyncCall call(context_.get(), kPromptTimeout);
        GErrorSlot error;
        gchar **opened_out = nullptr;
        secret().service_unlock_dbus_paths(service_.get(), const_cast<const gchar **>(locked.get()),
                                           call.cancellable(), AsyncCall::ready, &call);
        secret().service_unlock_dbus_paths_finish(service_.get(), call.wait(), &opened_out,
                                                  error.out());
        const StrvPtr opened(opened_out);
        if (error.get() != nullptr) {
            fail("Cannot unlock the Secret Service collection", error.get(), call);
        }
        if (count(opened.get()) < count(locked.get())) {
            // The person dismissed the prompt, or the service would not unlock.
            throw AdalError(ErrorClass::store,
                            "The Secret Service collection is locked and could not be unlocked");
        }
        return join(unlocked.get(), opened.get());
    }

    // secret_service_store would unlock (prompt) by itself; without permission to prompt
    // a locked default collection must be reported instead.
    void ensure_default_collection_unlocked() {
        GObjectPtr<SecretCollection> collection;
        {
            AsyncCall call(context_.get(), kCallTimeout);
            GErrorSlot error;
            secret().collection_for_alias(service_.get(), SECRET_COLLECTION_DEFAULT,
                                          SECRET_COLLECTION_NONE, call.cancellable(),
                                          AsyncCall::ready, &call);
            collection.reset(secret().collection_for_alias_finish(call.wait(), error.out()));
            if (error.get() != nullptr) {
                fail("Cannot find the default Secret Service collection", error.get(), call);
            }
        }
        if (!collection) {
            if (allow_prompt_) return;  // secret_service_store creates it (with a prompt)
            throw AdalError(ErrorClass::store,
                            "The Secret Service has no default collection and no prompt may "
                            "be shown to create one");
        }
        if (!secret().collection_get_locked(collection.get())) return;
        if (!allow_prompt_) throw AdalError(ErrorClass::store, kLockedMessage);
        AsyncCall call(context_.get(), kPromptTimeout);
        GErrorSlot error;
        GList objects{collection.get(), nullptr, nullptr};
        secret().service_unlock(service_.get(), &objects, call.cancellable(), AsyncCall::ready,
                                &call);
        const gint unlocked =
            secret().service_unlock_finish(service_.get(), call.wait(), nullptr, error.out());
        if (error.get() != nullptr) {
            fail("Cannot unlock the Secret Service collection", error.get(), call);
        }
        if (unlocked < 1) {
            throw AdalError(ErrorClass::store,
                            "The Secret Service collection is locked and could not be unlocked");
        }
    }

    // Declared first, destroyed last: it outlives every proxy made on it.
    GMainContextPtr context_;
    GObjectPtr<SecretService> service_;
    bool allow_prompt_;
    Logger log_;
    std::mutex mutex_;
};

}  // namespace

std::unique_ptr<Store> open_secret_service_store(const StoreOptions &options) {
    // A headless login (ssh, cron, CI) has no session bus and none GDBus could start: say
    // so before loading libsecret and GLib, so that `auto` reaches the kernel keyring
    // without that cost on every call (issue 12).
    if (session_bus_address().empty() && !session_bus_may_autolaunch()) {
        throw AdalError(ErrorClass::store,
                        "No Secret Service: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is "
                        "not set and there is no $XDG_RUNTIME_DIR/bus)");
    }
    // libsecret and GLib are loaded here, the first time (issue 12); without them "auto"
    // goes on to the kernel keyring, as with no bus.
    if (const std::string &why = load_secret(); !why.empty()) {
        throw AdalError(ErrorClass::store, "No Secret Service: " + why);
    }
    GMainContextPtr context(glib().main_context_new());
    GObjectPtr<SecretService> service;
    {
        const ContextScope scope(context.get());
        AsyncCall call(context.get(), kCallTimeout);
        GErrorSlot error;
        // OPEN_SESSION makes this a real round trip to the service: a bus without a Secret
        // Service fails here ("auto" then knows to look elsewhere), not at the first load.
        secret().service_get(SECRET_SERVICE_OPEN_SESSION, call.cancellable(), AsyncCall::ready,
                             &call);
        service.reset(secret().service_get_finish(call.wait(), error.out()));
        if (!service || error.get() != nullptr) {
            service.reset();  // still inside the scope: its notifies are drained
            fail("No Secret Service", error.get(), call);
        }
    }
    return std::make_unique<SecretServiceStore>(std::move(context), std::move(service),
                                                options.allow_prompt);
}

}  // namespace aadcred
