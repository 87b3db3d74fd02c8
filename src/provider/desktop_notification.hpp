#pragma once
// The device code in a desktop notification (org.freedesktop.Notifications on the
// session bus, Desktop Notifications Specification 1.2), for the person whose git or
// desktop app runs with no terminal (issue 11): the code and the page in the text, and
// an action that opens the page in the browser (util/browser_launcher). Only the user
// code and the URLs are shown, never the device code or a token.
//
// GDBus on a private connection and a private GMainContext run by a thread of its own,
// which waits for ActionInvoked: nothing is added to the application's shared session
// bus connection or to its main context, and a program with no main loop (git's helper)
// still sees the action.

#include <memory>
#include <string>

namespace aadcred {

/// What the notification says and opens.
struct NotificationContent {
    std::string app_name;          ///< who asks (the notification's app_name)
    std::string user_code;         ///< the code the person types
    std::string verification_url;  ///< the page, as shown
    std::string open_url;          ///< what the action opens: verification_uri_complete or the page
    long long expires_in = 0;      ///< seconds the code stays valid; 0: unknown
};

class DesktopNotification {
  public:
    /// Shows `content`. Returns null, having shown nothing, when there is no session bus
    /// (DBUS_SESSION_BUS_ADDRESS unset and no $XDG_RUNTIME_DIR/bus; never autolaunched), no
    /// notification service on it, or the process runs privileged (running_privileged()).
    /// Throws std::bad_alloc only.
    static std::unique_ptr<DesktopNotification> show(const NotificationContent &content);

    /// Closes the notification (close()).
    ~DesktopNotification();
    DesktopNotification(const DesktopNotification &) = delete;
    DesktopNotification &operator=(const DesktopNotification &) = delete;

    /// Withdraws the notification (CloseNotification) and stops listening for its
    /// action; a second call does nothing.
    void close() noexcept;

    struct State;  // the GLib side, in desktop_notification.cpp

  private:
    explicit DesktopNotification(std::unique_ptr<State> state) noexcept;
    std::unique_ptr<State> state_;
};

/// `text` fit for a D-Bus string and a notification: valid UTF-8 (invalid bytes become
/// U+FFFD), no control characters, at most `max_bytes` bytes (cut at a character).
std::string notification_text(const std::string &text, std::size_t max_bytes);

/// The notification's body: how to use the code, in the body-markup subset (&, < and >
/// escaped, as a server with body-markup would otherwise read them as tags).
std::string notification_body(const NotificationContent &content);

}  // namespace aadcred
