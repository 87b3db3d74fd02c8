#pragma once
// libsecret, loaded at run time (dlopen) when the Secret Service store is opened
// (issue 12), with GLib, GObject and GIO (cache/glib_library.hpp): no other store, and no
// process that never opens one, maps it. Its header gives the types only; every call goes
// through this table (SECRET_ITEM and the other type-checking casts are not used).

// The D-Bus path calls (secret-paths.h) read many items in one round trip, without a
// proxy object per item; libsecret marks them "subject to change", as it has since 0.7.
#define SECRET_API_SUBJECT_TO_CHANGE 1
#include <libsecret/secret.h>

#include <string>

#include "cache/glib_library.hpp"

namespace aadcred {

/// The libsecret functions the Secret Service store uses, named without the secret_ prefix.
struct SecretLibrary {
    decltype(&::secret_service_get) service_get;
    decltype(&::secret_service_get_finish) service_get_finish;
    decltype(&::secret_service_search) service_search;
    decltype(&::secret_service_search_finish) service_search_finish;
    decltype(&::secret_service_search_for_dbus_paths) service_search_for_dbus_paths;
    decltype(&::secret_service_search_for_dbus_paths_finish) service_search_for_dbus_paths_finish;
    decltype(&::secret_service_get_secrets_for_dbus_paths) service_get_secrets_for_dbus_paths;
    decltype(&::secret_service_get_secrets_for_dbus_paths_finish)
        service_get_secrets_for_dbus_paths_finish;
    decltype(&::secret_service_unlock_dbus_paths) service_unlock_dbus_paths;
    decltype(&::secret_service_unlock_dbus_paths_finish) service_unlock_dbus_paths_finish;
    decltype(&::secret_service_store) service_store;
    decltype(&::secret_service_store_finish) service_store_finish;
    decltype(&::secret_service_unlock) service_unlock;
    decltype(&::secret_service_unlock_finish) service_unlock_finish;
    decltype(&::secret_collection_for_alias) collection_for_alias;
    decltype(&::secret_collection_for_alias_finish) collection_for_alias_finish;
    decltype(&::secret_collection_get_locked) collection_get_locked;
    decltype(&::secret_item_get_locked) item_get_locked;
    decltype(&::secret_item_delete) item_delete;
    decltype(&::secret_item_delete_finish) item_delete_finish;
    decltype(&::secret_value_new) value_new;
    decltype(&::secret_value_get) value_get;
    decltype(&::secret_value_unref) value_unref;
};

/// Loads GLib (load_glib()) and libsecret-1.so.0 on the first call (thread-safe; never
/// unloaded).
/// @return empty when every function is there; else why not, naming the library
///         ("cannot load libsecret-1.so.0: ...")
const std::string &load_secret();

/// The functions, once load_secret() returned empty.
/// @return the table (its pointers are null while libsecret is not loaded)
const SecretLibrary &secret() noexcept;

}  // namespace aadcred
