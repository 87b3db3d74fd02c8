#pragma once
// What the tool prints and how it exits (SPEC §4): results on stdout, everything for
// people on stderr, and exit codes 0 ok, 1 authentication failed, 2 usage or
// configuration, 3 interaction required but --no-prompt.

#include <aadcred/aadcred.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace aadcred::cli {

enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_failed = 1,
    k_exit_usage = 2,
    k_exit_interaction = 3,
};

/// The library refused the settings while a provider or context was being made: reported
/// like AADCRED_EINVALID (exit 2) whatever code it returned, as the settings are at fault.
class SettingsRefused : public AdalError {
  public:
    explicit SettingsRefused(const AdalError &error) : AdalError(error) {}
};

/// Writes `text` and a newline to stdout. Returns false when stdout failed (full disk,
/// closed pipe): a script must not take a half-written token for a whole one.
bool print_result(std::string_view text);

/// Flushes stdout; false when anything written to it was lost.
bool finish_stdout();

/// "aadcred: <message>" on stderr; the message is sanitised (it may hold server text).
void print_error(std::string_view message);

/// The exit code for an aadcred_error_code (AADCRED_OK is 0).
int exit_code_for(int code);

/// What to change when `error` is one that a setting cures (an untrusted CA: --ca-file;
/// an authority instance discovery refuses: --no-validate-authority); else empty.
std::string_view setting_hint(std::string_view error);

/// The lines (without "aadcred: ") that tell people about a failure with return code
/// `code`: a fixed text when cancelled or a sign-in was needed, else ADAL's message and,
/// when the message lacks them, the OAuth error and the first line of its description,
/// then the setting_hint, if any.
std::vector<std::string> error_lines(int code, std::string_view message, std::string_view error,
                                     std::string_view description);

/// Reports a failed library call as if it had returned `code`: error_lines on stderr and,
/// with `json`, SPEC §3's error object on stdout. Returns exit_code_for(code).
int report_error(const AdalError &error, bool json, int code);

/// report_error with the error's own code.
int report_error(const AdalError &error, bool json);

/// Runs a command; an AdalError that escapes it is reported (report_error; a
/// SettingsRefused as AADCRED_EINVALID). Returns the exit code.
int run_reporting_errors(bool json, const std::function<int()> &command);

}  // namespace aadcred::cli
