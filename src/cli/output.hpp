#pragma once
// What the tool prints and how it exits (SPEC §4): results on stdout, everything for
// people on stderr, and exit codes 0 ok, 1 authentication failed, 2 usage or
// configuration, 3 interaction required but --no-prompt.

#include <string_view>

namespace aadcred::cli {

enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_failed = 1,
    k_exit_usage = 2,
    k_exit_interaction = 3,
};

/// Writes `text` and a newline to stdout. Returns false when stdout failed (full disk,
/// closed pipe): a script must not take a half-written token for a whole one.
bool print_result(std::string_view text);

/// Flushes stdout; false when anything written to it was lost.
bool finish_stdout();

/// "aadcred: <message>" on stderr; the message is sanitised (it may hold server text).
void print_error(std::string_view message);

/// Reports the library's last error for return code `rc`: a message on stderr and, with
/// `json`, SPEC §3's error object on stdout. Returns the exit code for it.
int report_library_error(int rc, bool json);

}  // namespace aadcred::cli
