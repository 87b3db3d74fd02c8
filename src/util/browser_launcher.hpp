#pragma once
// Starting the person's web browser at a URL, for the browser sign-in (issue 11): the
// command in $BROWSER (the convention of xdg-utils, Python's webbrowser and git web--browse:
// colon-separated commands, "%s" standing for the URL, else the URL appended), then the
// desktop portal's OpenURI (via gdbus), then xdg-open. No shell is involved: a command is
// split on spaces and run with the URL as one argument, so nothing in a URL is ever
// interpreted. The browser's stdin and stdout are /dev/null: a git credential helper's
// stdout is git's protocol.

#include <string>

namespace aadcred {

/// Whether a browser can be started for the person at this process: there is a display
/// ($WAYLAND_DISPLAY, $DISPLAY) and $BROWSER is set or xdg-open is on PATH. Always false
/// in a privileged process (running_privileged()): the caller's environment must not
/// choose a program for it to run.
bool browser_available();

/// Starts the browser at `url`: each $BROWSER command in turn, then the portal, then
/// xdg-open. True when one started: it exited 0 within a few seconds (xdg-open and gdbus
/// hand the URL over and exit), or it is still running then (a browser that stays in the
/// foreground; a thread reaps it when it ends). False when none could be run or each
/// one failed.
bool open_in_browser(const std::string &url);

}  // namespace aadcred
