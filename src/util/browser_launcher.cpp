#include "util/browser_launcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "util/environment.hpp"

extern char **environ;

namespace aadcred {
namespace {

// How long a launcher may take to say whether it worked before we take it as started.
constexpr int kLauncherWaitMs = 5000;

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    while (!text.empty()) {
        const std::size_t at = text.find(separator);
        if (at != 0) parts.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + 1);
    }
    return parts;
}

// One $BROWSER command as argv: "%s" is the URL ("%%" a percent), else the URL goes last.
std::vector<std::string> command_line(const std::string &command, const std::string &url) {
    std::vector<std::string> argv;
    bool placed = false;
    for (const std::string &word : split(command, ' ')) {
        std::string arg;
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (word[i] == '%' && i + 1 < word.size() && word[i + 1] == 's') {
                arg += url;
                placed = true;
                ++i;
            } else if (word[i] == '%' && i + 1 < word.size() && word[i + 1] == '%') {
                arg += '%';
                ++i;
            } else {
                arg += word[i];
            }
        }
        argv.push_back(std::move(arg));
    }
    if (!argv.empty() && !placed) argv.push_back(url);
    return argv;
}

bool on_path(const char *program) {
    const char *path = std::getenv("PATH");
    for (const std::string &dir : split(path != nullptr ? path : "/usr/bin:/bin", ':')) {
        const std::string candidate = dir + "/" + program;
        if (access(candidate.c_str(), X_OK) == 0) return true;
    }
    return false;
}

// The exit status within kLauncherWaitMs, or nullopt while it still runs. A pidfd
// (Linux 5.3) wakes us at the exit; without one, the child is asked every 20 ms, so a
// browser that stays in the foreground never holds the sign-in past the wait either way.
std::optional<int> exit_within_wait(pid_t pid) {
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kLauncherWaitMs);
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (pidfd >= 0) close(pidfd);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (done < 0 || left.count() <= 0) break;  // reaped elsewhere, or still running
        pollfd p{pidfd, POLLIN, 0};
        poll(pidfd >= 0 ? &p : nullptr, pidfd >= 0 ? 1 : 0,
             pidfd >= 0 ? static_cast<int>(left.count()) : std::min<int>(20, left.count()));
    }
    if (pidfd >= 0) close(pidfd);
    return std::nullopt;
}

bool run(const std::vector<std::string> &args) {
    if (args.empty()) return false;
    std::vector<char *> argv;
    for (const std::string &arg : args) argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return false;
    const std::optional<int> status = exit_within_wait(pid);
    if (!status) {
        // Still running: a browser in the foreground. Reap it whenever it ends.
        std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
        return true;
    }
    return *status == 0;
}

// The desktop portal's OpenURI (org.freedesktop.portal.OpenURI), where a session bus has
// one: the way out of a sandbox (Flatpak, Snap), and what GNOME and KDE route links
// through anyway. Called with gdbus, so the library needs no D-Bus client of its own here;
// it fails at once when no portal answers, and xdg-open is tried next.
bool open_with_portal(const std::string &url) {
    const char *bus = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    if (bus == nullptr || *bus == '\0' || !on_path("gdbus")) return false;
    // gdbus reads each argument as GVariant text: the URL as a quoted string literal.
    std::string literal = "'";
    for (const char c : url) {
        if (c == '\'' || c == '\\') literal += '\\';
        literal += c;
    }
    literal += '\'';
    return run({"gdbus", "call", "--session", "--timeout", "5", "--dest",
                "org.freedesktop.portal.Desktop", "--object-path",
                "/org/freedesktop/portal/desktop", "--method",
                "org.freedesktop.portal.OpenURI.OpenURI", "''", literal, "{}"});
}

}  // namespace

bool browser_available() {
    if (running_privileged()) return false;
    // A display first: $BROWSER alone may name a terminal browser (w3m, lynx), which a
    // sign-in must not start with no terminal to show it on.
    const char *wayland = std::getenv("WAYLAND_DISPLAY");
    const char *x11 = std::getenv("DISPLAY");
    const bool display =
        (wayland != nullptr && *wayland != '\0') || (x11 != nullptr && *x11 != '\0');
    if (!display) return false;
    const char *browser = std::getenv("BROWSER");
    return (browser != nullptr && *browser != '\0') || on_path("xdg-open");
}

bool open_in_browser(const std::string &url) {
    if (running_privileged()) return false;
    if (const char *browser = std::getenv("BROWSER"); browser != nullptr) {
        for (const std::string &command : split(browser, ':'))
            if (run(command_line(command, url))) return true;
    }
    return open_with_portal(url) || run({"xdg-open", url});
}

}  // namespace aadcred
