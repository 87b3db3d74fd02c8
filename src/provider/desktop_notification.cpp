#include "provider/desktop_notification.hpp"

#include <atomic>
#include <string_view>
#include <thread>

#include "util/browser_launcher.hpp"
#include "util/environment.hpp"
#include "util/log.hpp"
#include "util/session_bus.hpp"
#include "util/text.hpp"

#if AADCRED_HAVE_GIO
#include "cache/glib_library.hpp"  // GLib and GIO, loaded when a notification is shown
#endif

namespace aadcred {
namespace {

// Past these a code or URL is not one a person could type or read anyway.
constexpr std::size_t kCodeBytes = 64;
constexpr std::size_t kUrlBytes = 2048;
constexpr std::size_t kAppNameBytes = 128;

// `text` with each byte that starts no valid sequence replaced by U+FFFD, as
// g_utf8_make_valid does.
std::string valid_utf8(const std::string &text) {
    std::string valid;
    valid.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t code = 0;
        // g_utf8_validate's rules, NUL included among the invalid.
        const std::size_t length = text[i] == '\0' ? 0 : utf8_sequence(text, i, code);
        if (length == 0) {
            valid += "\xef\xbf\xbd";
            ++i;
        } else {
            valid.append(text, i, length);
            i += length;
        }
    }
    return valid;
}

}  // namespace

std::string notification_text(const std::string &text, std::size_t max_bytes) {
    const std::string valid = valid_utf8(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const auto byte = static_cast<unsigned char>(valid[i]);
        if (byte < 0x20 || byte == 0x7f) continue;
        // C1 controls (U+0080..U+009F) are \xC2\x80..\xC2\x9F in UTF-8.
        if (byte == 0xc2 && i + 1 < valid.size()) {
            const auto next = static_cast<unsigned char>(valid[i + 1]);
            if (next >= 0x80 && next <= 0x9f) {
                ++i;
                continue;
            }
        }
        out += valid[i];
    }
    if (out.size() > max_bytes) {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
        out.resize(cut);
    }
    return out;
}

std::string notification_body(const NotificationContent &content) {
    std::string body =
        "To sign in, open " + notification_text(content.verification_url, kUrlBytes) +
        " and enter the code " + notification_text(content.user_code, kCodeBytes) + ".";
    if (content.expires_in > 0) {
        const long long minutes = (content.expires_in + 59) / 60;
        body += " The code expires in " + std::to_string(minutes) +
                (minutes == 1 ? " minute." : " minutes.");
    }
    std::string escaped;
    for (const char c : body) {
        if (c == '&') {
            escaped += "&amp;";
        } else if (c == '<') {
            escaped += "&lt;";
        } else if (c == '>') {
            escaped += "&gt;";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

#if AADCRED_HAVE_GIO

namespace {

constexpr const char *kService = "org.freedesktop.Notifications";
constexpr const char *kPath = "/org/freedesktop/Notifications";
constexpr const char *kInterface = "org.freedesktop.Notifications";
// Notify may start the service by D-Bus activation; CloseNotification only tidies up.
constexpr int kNotifyTimeoutMs = 5000;
constexpr int kCloseTimeoutMs = 2000;

// The action opens a web page, nothing else a server's reply could name (file:, a path).
bool is_web_url(const std::string &url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

const Logger &logger() {
    static const Logger log("DesktopNotification", "");
    return log;
}

}  // namespace

struct DesktopNotification::State {
    GMainContext *context = glib().main_context_new();
    GDBusConnection *connection = nullptr;
    guint action_subscription = 0;
    guint closed_subscription = 0;
    guint32 id = 0;
    std::atomic<bool> id_known{false};
    std::atomic<bool> closed_by_server{false};
    std::atomic<bool> stop{false};
    std::string open_url;
    std::thread listener;

    ~State() {
        if (action_subscription != 0) {
            glib().dbus_connection_signal_unsubscribe(connection, action_subscription);
        }
        if (closed_subscription != 0) {
            glib().dbus_connection_signal_unsubscribe(connection, closed_subscription);
        }
        if (connection != nullptr) {
            glib().dbus_connection_close_sync(connection, nullptr, nullptr);
            glib().object_unref(connection);
        }
        // Run what unsubscribing and closing queued here, so nothing is left behind.
        while (glib().main_context_iteration(context, FALSE)) {
        }
        glib().main_context_unref(context);
    }

    bool ours(guint32 signalled) const { return id_known && signalled == id; }

    static void on_action(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                          const gchar *, GVariant *parameters, gpointer user_data) {
        auto *state = static_cast<State *>(user_data);
        if (!glib().variant_is_of_type(parameters, variant_type("(us)"))) return;
        guint32 id = 0;
        const gchar *key = nullptr;
        glib().variant_get(parameters, "(u&s)", &id, &key);
        if (!state->ours(id) || state->open_url.empty()) return;
        const std::string_view action(key);
        if (action != "default" && action != "open") return;
        if (!open_in_browser(state->open_url)) {
            logger().warning("the notification's action could not start a browser");
        }
    }

    static void on_closed(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                          const gchar *, GVariant *parameters, gpointer user_data) {
        auto *state = static_cast<State *>(user_data);
        if (!glib().variant_is_of_type(parameters, variant_type("(uu)"))) return;
        guint32 id = 0;
        guint32 reason = 0;
        glib().variant_get(parameters, "(uu)", &id, &reason);
        if (state->ours(id)) state->closed_by_server = true;
    }

    guint subscribe(const char *signal, GDBusSignalCallback callback) {
        return glib().dbus_connection_signal_subscribe(connection, kService, kInterface, signal,
                                                       kPath, nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
                                                       callback, this, nullptr);
    }

    void listen() {
        glib().main_context_push_thread_default(context);
        while (!stop) glib().main_context_iteration(context, TRUE);
        glib().main_context_pop_thread_default(context);
    }
};

namespace {

GVariant *notify_parameters(const NotificationContent &content, bool with_action) {
    GVariantBuilder actions;
    glib().variant_builder_init(&actions, variant_type("as"));
    if (with_action) {
        // "default" is a click on the notification itself; "open" a button.
        for (const char *key : {"default", "open"}) {
            glib().variant_builder_add(&actions, "s", key);
            glib().variant_builder_add(&actions, "s", "Open the sign-in page");
        }
    }
    GVariantBuilder hints;
    glib().variant_builder_init(&hints, variant_type("a{sv}"));
    // The person still needs the code after opening the page: keep it on screen.
    glib().variant_builder_add(&hints, "{sv}", "resident", glib().variant_new_boolean(TRUE));
    glib().variant_builder_add(&hints, "{sv}", "urgency", glib().variant_new_byte(1));
    // On screen as long as the code is valid (milliseconds); -1: the server's choice.
    const long long ms = content.expires_in > 0 ? content.expires_in * 1000 : -1;
    const gint32 timeout = ms > G_MAXINT32 ? G_MAXINT32 : static_cast<gint32>(ms);
    const std::string app = notification_text(content.app_name, kAppNameBytes);
    const std::string summary = "Sign-in code " + notification_text(content.user_code, kCodeBytes);
    const std::string body = notification_body(content);
    return glib().variant_new("(susssasa{sv}i)", app.empty() ? "aadcred" : app.c_str(), 0U,
                              "dialog-password", summary.c_str(), body.c_str(), &actions, &hints,
                              timeout);
}

}  // namespace

std::unique_ptr<DesktopNotification> DesktopNotification::show(const NotificationContent &content) {
    if (running_privileged()) return nullptr;
    const std::string address = session_bus_address();
    if (address.empty()) {
        logger().verbose("no session bus: the code is not shown as a notification");
        return nullptr;
    }
    // GLib and GIO are loaded here, the first time (issue 12); without them, as without a
    // bus, there is no notification.
    if (const std::string &why = load_glib(); !why.empty()) {
        logger().verbose("no desktop notification: " + why);
        return nullptr;
    }
    auto state = std::make_unique<State>();
    GError *error = nullptr;
    state->connection = glib().dbus_connection_new_for_address_sync(
        address.c_str(),
        static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, nullptr, &error);
    if (state->connection == nullptr) {
        logger().verbose(std::string("cannot connect to the session bus: ") + error->message);
        glib().error_free(error);
        return nullptr;
    }
    const std::string open_url = notification_text(content.open_url, kUrlBytes);
    if (is_web_url(open_url) && browser_available()) state->open_url = open_url;
    // Subscribed before Notify, in our own context: no ActionInvoked can be missed, and
    // its callbacks run on the listener thread alone.
    glib().main_context_push_thread_default(state->context);
    state->action_subscription = state->subscribe("ActionInvoked", &State::on_action);
    state->closed_subscription = state->subscribe("NotificationClosed", &State::on_closed);
    glib().main_context_pop_thread_default(state->context);

    GVariant *reply = glib().dbus_connection_call_sync(
        state->connection, kService, kPath, kInterface, "Notify",
        notify_parameters(content, !state->open_url.empty()), variant_type("(u)"),
        G_DBUS_CALL_FLAGS_NONE, kNotifyTimeoutMs, nullptr, &error);
    if (reply == nullptr) {
        logger().verbose(std::string("no desktop notification: ") + error->message);
        glib().error_free(error);
        return nullptr;
    }
    glib().variant_get(reply, "(u)", &state->id);
    glib().variant_unref(reply);
    state->id_known = true;
    logger().info("the sign-in code is shown in a desktop notification");
    State *raw = state.get();
    state->listener = std::thread([raw] { raw->listen(); });
    return std::unique_ptr<DesktopNotification>(new DesktopNotification(std::move(state)));
}

void DesktopNotification::close() noexcept {
    if (!state_) return;
    state_->stop = true;
    glib().main_context_wakeup(state_->context);
    if (state_->listener.joinable()) state_->listener.join();
    if (!state_->closed_by_server) {
        GVariant *reply = glib().dbus_connection_call_sync(
            state_->connection, kService, kPath, kInterface, "CloseNotification",
            glib().variant_new("(u)", state_->id), nullptr, G_DBUS_CALL_FLAGS_NONE, kCloseTimeoutMs,
            nullptr, nullptr);
        if (reply != nullptr) glib().variant_unref(reply);
    }
    state_.reset();
}

#else  // no GIO: no desktop notifications

struct DesktopNotification::State {};

std::unique_ptr<DesktopNotification> DesktopNotification::show(const NotificationContent &) {
    return nullptr;
}

void DesktopNotification::close() noexcept {
    state_.reset();
}

#endif

DesktopNotification::DesktopNotification(std::unique_ptr<State> state) noexcept
    : state_(std::move(state)) {}

DesktopNotification::~DesktopNotification() {
    close();
}

}  // namespace aadcred
