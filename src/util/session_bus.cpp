#include "util/session_bus.hpp"

#include <sys/stat.h>

#include <string_view>

#include "util/environment.hpp"

namespace aadcred {

std::string session_bus_address() {
    const char *address = caller_env("DBUS_SESSION_BUS_ADDRESS");
    if (address != nullptr && *address != '\0') return address;
    const char *runtime = caller_env("XDG_RUNTIME_DIR");
    if (runtime == nullptr || *runtime == '\0') return {};
    const std::string path = std::string(runtime) + "/bus";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return {};
    // D-Bus address escaping (g_dbus_address_escape_value), without loading GIO: every
    // byte but [-0-9A-Za-z_/.\\*] as %XX.
    std::string result = "unix:path=";
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                           (c >= 'a' && c <= 'z') ||
                           std::string_view("-_/.\\*").find(c) != std::string_view::npos;
        if (plain) {
            result += c;
        } else {
            constexpr const char *kHex = "0123456789abcdef";
            result += '%';
            result += kHex[byte >> 4];
            result += kHex[byte & 0x0f];
        }
    }
    return result;
}

bool session_bus_may_autolaunch() noexcept {
    const char *display = caller_env("DISPLAY");
    return display != nullptr && *display != '\0';
}

}  // namespace aadcred
