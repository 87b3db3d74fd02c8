/*
 * A stand-in for xdg-desktop-portal's OpenURI, for the browser sign-in tests: owns
 * org.freedesktop.portal.Desktop on the session bus of DBUS_SESSION_BUS_ADDRESS, answers
 * org.freedesktop.portal.OpenURI.OpenURI(parent_window, uri, options) with a request
 * handle, appends the URI to the log file as one line, and opens it by running the rest of
 * its command line with the URI appended (the scripted browser), as the portal hands a
 * link to the person's browser. Prints "READY" once the name is owned; exits on SIGTERM.
 *
 * usage: portal_service <log file> <browser command...>
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>

static const char kInterface[] =
    "<node><interface name='org.freedesktop.portal.OpenURI'>"
    " <method name='OpenURI'>"
    "  <arg type='s' name='parent_window' direction='in'/>"
    "  <arg type='s' name='uri' direction='in'/>"
    "  <arg type='a{sv}' name='options' direction='in'/>"
    "  <arg type='o' name='handle' direction='out'/>"
    " </method>"
    " <property name='version' type='u' access='read'/>"
    "</interface></node>";

static const char *log_path;
static char **browser;
static int browser_words;
static GDBusNodeInfo *node;
static GMainLoop *loop;

static void open_uri(GDBusConnection *connection, const char *sender, const char *path,
                     const char *interface, const char *method, GVariant *parameters,
                     GDBusMethodInvocation *invocation, gpointer data) {
    (void)connection, (void)sender, (void)path, (void)interface, (void)data;
    if (g_strcmp0(method, "OpenURI") != 0) {
        g_dbus_method_invocation_return_dbus_error(
            invocation, "org.freedesktop.DBus.Error.UnknownMethod", "no such method");
        return;
    }
    const char *parent = NULL, *uri = NULL;
    GVariant *options = NULL;
    g_variant_get(parameters, "(&s&s@a{sv})", &parent, &uri, &options);
    FILE *log = fopen(log_path, "a");
    if (log != NULL) {
        fprintf(log, "%s\n", uri);
        fclose(log);
    }
    char **argv = g_new0(char *, browser_words + 2);
    for (int i = 0; i < browser_words; ++i) argv[i] = browser[i];
    argv[browser_words] = (char *)uri;
    GError *error = NULL;
    if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &error)) {
        g_dbus_method_invocation_return_gerror(invocation, error);
        g_error_free(error);
    } else {
        g_dbus_method_invocation_return_value(
            invocation, g_variant_new("(o)", "/org/freedesktop/portal/desktop/request/1_1/t"));
    }
    g_free(argv);
    g_variant_unref(options);
}

static GVariant *get_version(GDBusConnection *connection, const char *sender, const char *path,
                             const char *interface, const char *property, GError **error,
                             gpointer data) {
    (void)connection, (void)sender, (void)path, (void)interface, (void)property, (void)error,
        (void)data;
    return g_variant_new_uint32(4);
}

static const GDBusInterfaceVTable kVtable = {open_uri, get_version, NULL, {0}};

static void on_bus(GDBusConnection *connection, const char *name, gpointer data) {
    (void)name, (void)data;
    g_dbus_connection_register_object(connection, "/org/freedesktop/portal/desktop",
                                      node->interfaces[0], &kVtable, NULL, NULL, NULL);
}

static void on_name(GDBusConnection *connection, const char *name, gpointer data) {
    (void)connection, (void)name, (void)data;
    printf("READY\n");
    fflush(stdout);
}

static void on_lost(GDBusConnection *connection, const char *name, gpointer data) {
    (void)connection, (void)name, (void)data;
    g_main_loop_quit(loop);
}

static gboolean on_term(gpointer data) {
    (void)data;
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: portal_service <log file> <browser command...>\n");
        return 2;
    }
    log_path = argv[1];
    browser = argv + 2;
    browser_words = argc - 2;
    node = g_dbus_node_info_new_for_xml(kInterface, NULL);
    loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGTERM, on_term, NULL);
    const guint owner =
        g_bus_own_name(G_BUS_TYPE_SESSION, "org.freedesktop.portal.Desktop",
                       G_BUS_NAME_OWNER_FLAGS_NONE, on_bus, on_name, on_lost, NULL, NULL);
    g_main_loop_run(loop);
    g_bus_unown_name(owner);
    g_main_loop_unref(loop);
    g_dbus_node_info_unref(node);
    return 0;
}
