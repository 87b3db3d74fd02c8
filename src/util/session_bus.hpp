#pragma once
// Where the D-Bus session bus is, found as GDBus finds it but without autolaunching one:
// DBUS_SESSION_BUS_ADDRESS, else the socket $XDG_RUNTIME_DIR/bus (systemd's user bus).
// Asked before GLib is loaded (issue 12): no bus to talk to, no need to load it.

#include <string>

namespace aadcred {

/// The session bus address, or empty when neither place names one.
std::string session_bus_address();

/// True when GDBus could still start a session bus by itself (autolaunch through
/// dbus-launch, which needs an X display).
bool session_bus_may_autolaunch() noexcept;

}  // namespace aadcred
