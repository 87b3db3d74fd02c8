#include "cache/secret_library.hpp"

#include <mutex>

#include "util/dynamic_library.hpp"

namespace aadcred {
namespace {

struct Loaded {
    SecretLibrary api{};
    std::string error;  // empty: loaded
};

Loaded load() {
    Loaded loaded;
    // libsecret's own dependencies come in with it; GLib first, so that a missing GLib is
    // named as such and the store's calls into GLib have their table.
    if (!(loaded.error = load_glib()).empty()) return loaded;
    SecretLibrary &api = loaded.api;
    DynamicLibrary library("libsecret-1.so.0");
    library.resolve("secret_service_get", api.service_get);
    library.resolve("secret_service_get_finish", api.service_get_finish);
    library.resolve("secret_service_search", api.service_search);
    library.resolve("secret_service_search_finish", api.service_search_finish);
    library.resolve("secret_service_search_for_dbus_paths", api.service_search_for_dbus_paths);
    library.resolve("secret_service_search_for_dbus_paths_finish",
                    api.service_search_for_dbus_paths_finish);
    library.resolve("secret_service_get_secrets_for_dbus_paths",
                    api.service_get_secrets_for_dbus_paths);
    library.resolve("secret_service_get_secrets_for_dbus_paths_finish",
                    api.service_get_secrets_for_dbus_paths_finish);
    library.resolve("secret_service_unlock_dbus_paths", api.service_unlock_dbus_paths);
    library.resolve("secret_service_unlock_dbus_paths_finish",
                    api.service_unlock_dbus_paths_finish);
    library.resolve("secret_service_store", api.service_store);
    library.resolve("secret_service_store_finish", api.service_store_finish);
    library.resolve("secret_service_unlock", api.service_unlock);
    library.resolve("secret_service_unlock_finish", api.service_unlock_finish);
    library.resolve("secret_collection_for_alias", api.collection_for_alias);
    library.resolve("secret_collection_for_alias_finish", api.collection_for_alias_finish);
    library.resolve("secret_collection_get_locked", api.collection_get_locked);
    library.resolve("secret_item_get_locked", api.item_get_locked);
    library.resolve("secret_item_delete", api.item_delete);
    library.resolve("secret_item_delete_finish", api.item_delete_finish);
    library.resolve("secret_value_new", api.value_new);
    library.resolve("secret_value_get", api.value_get);
    library.resolve("secret_value_unref", api.value_unref);
    loaded.error = library.error();
    if (!loaded.error.empty()) api = SecretLibrary{};  // all of it, or nothing
    return loaded;
}

std::once_flag once;
Loaded loaded;

}  // namespace

const std::string &load_secret() {
    std::call_once(once, [] { loaded = load(); });
    return loaded.error;
}

const SecretLibrary &secret() noexcept {
    return loaded.api;
}

}  // namespace aadcred
