#include "cache/glib_library.hpp"

#include <mutex>

#include "util/dynamic_library.hpp"

namespace aadcred {
namespace {

struct Loaded {
    GLibLibrary api{};
    std::string error;  // empty: loaded
};

// GObject and GIO need GLib: each library is opened in that order, and the first one
// that cannot be loaded or lacks a function is what the error names.
Loaded load() {
    Loaded loaded;
    GLibLibrary &api = loaded.api;
    DynamicLibrary glib_so("libglib-2.0.so.0");
    glib_so.resolve("g_error_free", api.error_free);
    glib_so.resolve("g_hash_table_new", api.hash_table_new);
    glib_so.resolve("g_hash_table_insert", api.hash_table_insert);
    glib_so.resolve("g_hash_table_unref", api.hash_table_unref);
    glib_so.resolve("g_hash_table_lookup", api.hash_table_lookup);
    glib_so.resolve("g_strfreev", api.strfreev);
    glib_so.resolve("g_strdup", api.strdup);
    glib_so.resolve("g_malloc0_n", api.malloc0_n);
    glib_so.resolve("g_str_hash", api.str_hash);
    glib_so.resolve("g_str_equal", api.str_equal);
    glib_so.resolve("g_list_free_full", api.list_free_full);
    glib_so.resolve("g_main_context_new", api.main_context_new);
    glib_so.resolve("g_main_context_unref", api.main_context_unref);
    glib_so.resolve("g_main_context_push_thread_default", api.main_context_push_thread_default);
    glib_so.resolve("g_main_context_pop_thread_default", api.main_context_pop_thread_default);
    glib_so.resolve("g_main_context_iteration", api.main_context_iteration);
    glib_so.resolve("g_main_context_wakeup", api.main_context_wakeup);
    glib_so.resolve("g_timeout_source_new", api.timeout_source_new);
    glib_so.resolve("g_source_set_callback", api.source_set_callback);
    glib_so.resolve("g_source_attach", api.source_attach);
    glib_so.resolve("g_source_is_destroyed", api.source_is_destroyed);
    glib_so.resolve("g_source_destroy", api.source_destroy);
    glib_so.resolve("g_source_unref", api.source_unref);
    glib_so.resolve("g_variant_is_of_type", api.variant_is_of_type);
    glib_so.resolve("g_variant_get", api.variant_get);
    glib_so.resolve("g_variant_unref", api.variant_unref);
    glib_so.resolve("g_variant_new", api.variant_new);
    glib_so.resolve("g_variant_new_boolean", api.variant_new_boolean);
    glib_so.resolve("g_variant_new_byte", api.variant_new_byte);
    glib_so.resolve("g_variant_builder_init", api.variant_builder_init);
    glib_so.resolve("g_variant_builder_add", api.variant_builder_add);
    if (!(loaded.error = glib_so.error()).empty()) return loaded;

    DynamicLibrary gobject_so("libgobject-2.0.so.0");
    gobject_so.resolve("g_object_ref", api.object_ref);
    gobject_so.resolve("g_object_unref", api.object_unref);
    if (!(loaded.error = gobject_so.error()).empty()) return loaded;

    DynamicLibrary gio_so("libgio-2.0.so.0");
    gio_so.resolve("g_cancellable_new", api.cancellable_new);
    gio_so.resolve("g_cancellable_cancel", api.cancellable_cancel);
    gio_so.resolve("g_dbus_connection_new_for_address_sync",
                   api.dbus_connection_new_for_address_sync);
    gio_so.resolve("g_dbus_connection_signal_subscribe", api.dbus_connection_signal_subscribe);
    gio_so.resolve("g_dbus_connection_signal_unsubscribe", api.dbus_connection_signal_unsubscribe);
    gio_so.resolve("g_dbus_connection_close_sync", api.dbus_connection_close_sync);
    gio_so.resolve("g_dbus_connection_call_sync", api.dbus_connection_call_sync);
    loaded.error = gio_so.error();
    return loaded;
}

std::once_flag once;
Loaded loaded;

}  // namespace

const std::string &load_glib() {
    std::call_once(once, [] {
        Loaded attempt = load();
        // A half-loaded table is never handed out: all of it, or nothing.
        if (!attempt.error.empty()) attempt.api = GLibLibrary{};
        loaded = std::move(attempt);
    });
    return loaded.error;
}

const GLibLibrary &glib() noexcept {
    return loaded.api;
}

}  // namespace aadcred
