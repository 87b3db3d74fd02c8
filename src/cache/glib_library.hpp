#pragma once
// GLib, GObject and GIO, loaded at run time (dlopen) the first time the Secret Service
// store is opened or a desktop notification is shown (issue 12), as libcurl and libxml2
// are (util/dynamic_library.hpp): sshd through pam_aadcred, git's helper on every fetch
// and a store other than the Secret Service map none of them. The headers give the types
// only; every call goes through this table, never through a GLib symbol (check with
// `nm -D --undefined-only libaadcred.so.0`). GLib macros that call functions (G_TYPE_*
// casts, G_VARIANT_TYPE, g_clear_*, g_autoptr) are therefore not used.

#include <gio/gio.h>

#include <string>

namespace aadcred {

/// The GLib, GObject and GIO functions the Secret Service store, its deadline helper and
/// the desktop notification use, named as in GLib without the g_ prefix.
struct GLibLibrary {
    // libglib-2.0.so.0
    decltype(&::g_error_free) error_free;
    decltype(&::g_hash_table_new) hash_table_new;
    decltype(&::g_hash_table_insert) hash_table_insert;
    decltype(&::g_hash_table_unref) hash_table_unref;
    decltype(&::g_hash_table_lookup) hash_table_lookup;
    decltype(&::g_strfreev) strfreev;
    decltype(&::g_strdup) strdup;
    decltype(&::g_malloc0_n) malloc0_n;
    decltype(&::g_str_hash) str_hash;
    decltype(&::g_str_equal) str_equal;
    decltype(&::g_list_free_full) list_free_full;
    decltype(&::g_main_context_new) main_context_new;
    decltype(&::g_main_context_unref) main_context_unref;
    decltype(&::g_main_context_push_thread_default) main_context_push_thread_default;
    decltype(&::g_main_context_pop_thread_default) main_context_pop_thread_default;
    decltype(&::g_main_context_iteration) main_context_iteration;
    decltype(&::g_main_context_wakeup) main_context_wakeup;
    decltype(&::g_timeout_source_new) timeout_source_new;
    decltype(&::g_source_set_callback) source_set_callback;
    decltype(&::g_source_attach) source_attach;
    decltype(&::g_source_is_destroyed) source_is_destroyed;
    decltype(&::g_source_destroy) source_destroy;
    decltype(&::g_source_unref) source_unref;
    decltype(&::g_variant_is_of_type) variant_is_of_type;
    decltype(&::g_variant_get) variant_get;
    decltype(&::g_variant_unref) variant_unref;
    decltype(&::g_variant_new) variant_new;
    decltype(&::g_variant_new_boolean) variant_new_boolean;
    decltype(&::g_variant_new_byte) variant_new_byte;
    decltype(&::g_variant_builder_init) variant_builder_init;
    decltype(&::g_variant_builder_add) variant_builder_add;
    // libgobject-2.0.so.0
    decltype(&::g_object_ref) object_ref;
    decltype(&::g_object_unref) object_unref;
    // libgio-2.0.so.0
    decltype(&::g_cancellable_new) cancellable_new;
    decltype(&::g_cancellable_cancel) cancellable_cancel;
    decltype(&::g_dbus_connection_new_for_address_sync) dbus_connection_new_for_address_sync;
    decltype(&::g_dbus_connection_signal_subscribe) dbus_connection_signal_subscribe;
    decltype(&::g_dbus_connection_signal_unsubscribe) dbus_connection_signal_unsubscribe;
    decltype(&::g_dbus_connection_close_sync) dbus_connection_close_sync;
    decltype(&::g_dbus_connection_call_sync) dbus_connection_call_sync;
};

/// Loads GLib, GObject and GIO on the first call (thread-safe; never unloaded).
/// @return empty when they are loaded with every function of GLibLibrary; else why not,
///         naming the library ("cannot load libgio-2.0.so.0: ..." or
///         "libglib-2.0.so.0 lacks g_variant_new").
const std::string &load_glib();

/// The functions, once load_glib() returned empty: every GLib object in hand came from
/// them, so code holding one may call glib() without loading first.
/// @return the table (its pointers are null while GLib is not loaded).
const GLibLibrary &glib() noexcept;

/// A GVariantType from its type string, as G_VARIANT_TYPE does without its checking call.
/// @param type_string a valid GVariant type string, e.g. "(us)"
/// @return the type, pointing into `type_string`
inline const GVariantType *variant_type(const char *type_string) noexcept {
    return reinterpret_cast<const GVariantType *>(type_string);
}

}  // namespace aadcred
