/*
 * A desktop notification service for the integration tests: owns
 * org.freedesktop.Notifications on the session bus of DBUS_SESSION_BUS_ADDRESS and
 * records each call as one JSON line in the file named on the command line:
 *   {"method": "Notify", "id": 1, "app_name": ..., "summary": ..., "body": ...,
 *    "actions": [...], "expire_timeout": ...}
 *   {"method": "CloseNotification", "id": 1}
 *   {"method": "GetCapabilities"}
 * SIGUSR1 emits ActionInvoked(<last id>, "default"), SIGUSR2 ActionInvoked(<last id>,
 * "open"), as a person's click would. Prints "READY" on stdout once the name is owned;
 * exits on SIGTERM or when the bus goes.
 *
 * usage: notification_service <log file>
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char kIntrospection[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    " <method name='Notify'>"
    "  <arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "  <arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "  <arg type='s' direction='in'/><arg type='as' direction='in'/>"
    "  <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
    "  <arg type='u' direction='out'/>"
    " </method>"
    " <method name='CloseNotification'><arg type='u' direction='in'/></method>"
    " <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    " <method name='GetServerInformation'>"
    "  <arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "  <arg type='s' direction='out'/><arg type='s' direction='out'/>"
    " </method>"
    " <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
    " <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
    "</interface></node>";

static const char *log_path;
static GDBusConnection *bus;
static guint32 last_id;
static GMainLoop *loop;

/* `text` as a JSON string (quotes included), appended to `out`. */
static void append_json_string(GString *out, const char *text) {
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; ++p) {
        if (*p == '"' || *p == '\\') {
            g_string_append_printf(out, "\\%c", *p);
        } else if (*p < 0x20) {
            g_string_append_printf(out, "\\u%04x", *p);
        } else {
            g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

static void record(GString *line) {
    g_string_append(line, "}\n");
    FILE *f = fopen(log_path, "a");
    if (f != NULL) {
        fputs(line->str, f);
        fclose(f);
    }
    g_string_free(line, TRUE);
}

static void record_notify(guint32 id, GVariant *parameters) {
    const char *app_name, *icon, *summary, *body;
    guint32 replaces;
    GVariantIter *actions;
    GVariant *hints;
    gint32 timeout;
    g_variant_get(parameters, "(&su&s&s&sas@a{sv}i)", &app_name, &replaces, &icon, &summary, &body,
                  &actions, &hints, &timeout);
    GString *line = g_string_new("{\"method\": \"Notify\", \"id\": ");
    g_string_append_printf(line, "%u, \"app_name\": ", id);
    append_json_string(line, app_name);
    g_string_append(line, ", \"summary\": ");
    append_json_string(line, summary);
    g_string_append(line, ", \"body\": ");
    append_json_string(line, body);
    g_string_append(line, ", \"actions\": [");
    const char *action;
    gboolean first = TRUE;
    while (g_variant_iter_loop(actions, "&s", &action)) {
        if (!first) g_string_append(line, ", ");
        first = FALSE;
        append_json_string(line, action);
    }
    g_string_append_printf(line, "], \"expire_timeout\": %d", timeout);
    g_variant_iter_free(actions);
    g_variant_unref(hints);
    record(line);
}

static void on_call(GDBusConnection *connection, const gchar *sender, const gchar *path,
                    const gchar *interface, const gchar *method, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data) {
    (void)sender, (void)path, (void)interface, (void)user_data;
    if (strcmp(method, "Notify") == 0) {
        last_id += 1;
        record_notify(last_id, parameters);
        g_dbus_method_invocation_return_value(invocation, g_variant_new("(u)", last_id));
    } else if (strcmp(method, "CloseNotification") == 0) {
        guint32 id;
        g_variant_get(parameters, "(u)", &id);
        GString *line = g_string_new("{\"method\": \"CloseNotification\", \"id\": ");
        g_string_append_printf(line, "%u", id);
        record(line);
        g_dbus_connection_emit_signal(connection, NULL, "/org/freedesktop/Notifications",
                                      "org.freedesktop.Notifications", "NotificationClosed",
                                      g_variant_new("(uu)", id, 3u), NULL);
        g_dbus_method_invocation_return_value(invocation, NULL);
    } else if (strcmp(method, "GetCapabilities") == 0) {
        record(g_string_new("{\"method\": \"GetCapabilities\""));
        const char *caps[] = {"actions", "body", "persistence", NULL};
        g_dbus_method_invocation_return_value(invocation, g_variant_new("(^as)", caps));
    } else {
        g_dbus_method_invocation_return_value(
            invocation, g_variant_new("(ssss)", "aadcred-test", "aadcred", "1", "1.2"));
    }
}

static gboolean invoke(const char *key) {
    if (bus != NULL && last_id != 0) {
        g_dbus_connection_emit_signal(bus, NULL, "/org/freedesktop/Notifications",
                                      "org.freedesktop.Notifications", "ActionInvoked",
                                      g_variant_new("(us)", last_id, key), NULL);
        g_dbus_connection_flush_sync(bus, NULL, NULL);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean on_usr1(gpointer data) {
    (void)data;
    return invoke("default");
}

static gboolean on_usr2(gpointer data) {
    (void)data;
    return invoke("open");
}

static gboolean on_term(gpointer data) {
    (void)data;
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

static void on_acquired(GDBusConnection *connection, const gchar *name, gpointer data) {
    (void)connection, (void)name, (void)data;
    printf("READY\n");
    fflush(stdout);
}

static void on_lost(GDBusConnection *connection, const gchar *name, gpointer data) {
    (void)connection, (void)name, (void)data;
    fprintf(stderr, "notification_service: lost or could not own %s\n", name);
    g_main_loop_quit(loop);
}

static void on_bus(GDBusConnection *connection, const gchar *name, gpointer data) {
    (void)name;
    static const GDBusInterfaceVTable vtable = {on_call, NULL, NULL, {0}};
    GDBusNodeInfo *info = data;
    bus = connection;
    g_dbus_connection_register_object(connection, "/org/freedesktop/Notifications",
                                      info->interfaces[0], &vtable, NULL, NULL, NULL);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: notification_service <log file>\n");
        return 2;
    }
    log_path = argv[1];
    GDBusNodeInfo *info = g_dbus_node_info_new_for_xml(kIntrospection, NULL);
    loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGUSR1, on_usr1, NULL);
    g_unix_signal_add(SIGUSR2, on_usr2, NULL);
    g_unix_signal_add(SIGTERM, on_term, NULL);
    guint owner = g_bus_own_name(G_BUS_TYPE_SESSION, "org.freedesktop.Notifications",
                                 G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, on_bus, on_acquired, on_lost,
                                 info, NULL);
    g_main_loop_run(loop);
    g_bus_unown_name(owner);
    g_dbus_node_info_unref(info);
    g_main_loop_unref(loop);
    return 0;
}
