// aadcred: Azure AD tokens on the command line (SPEC §4). This file only dispatches:
// parse → settings → logging → signals → one cmd_*.cpp.
#include <aadcred/aadcred.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "config.hpp"
#include "help.hpp"
#include "options.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace aadcred::cli {
namespace {

int usage_error(const std::string &message, Command command) {
    print_error(message);
    const std::string cmd =
        command == Command::none ? "" : std::string(command_name(command)) + " ";
    std::fprintf(stderr, "Try 'aadcred %s--help' for more information.\n", cmd.c_str());
    return k_exit_usage;
}

int show_help(const CommandLine &cl) {
    Command topic = cl.command;
    if (topic == Command::help && !cl.operands.empty()) {
        topic = find_command(cl.operands[0]);
        if (topic == Command::none) {
            return usage_error("no help on '" + cl.operands[0] + "': not a command", Command::none);
        }
    }
    const std::string text = std::string(help_text(topic)) + std::string(profile_help());
    return std::fputs(text.c_str(), stdout) >= 0 && finish_stdout() ? k_exit_ok : k_exit_failed;
}

void set_logging(const Settings &settings) {
    LoggingOptions options;
    options.level = static_cast<LogLevel>(settings.log_level);
    options.enable_pii = settings.log_pii;
    // No sink: the library's stderr sink (SPEC §8).
    try {
        set_logging_options(options);
    } catch (const AdalError &) {
        // The level was checked when the settings were read; the default (errors) stays.
    }
}

int dispatch(const Invocation &inv) {
    switch (inv.command_line.command) {
        case Command::token:
            return cmd_token(inv);
        case Command::user_code:
            return cmd_user_code(inv);
        case Command::device_token:
            return cmd_device_token(inv);
        case Command::list:
            return cmd_list(inv);
        case Command::logout:
            return cmd_logout(inv);
        case Command::cache:
            return cmd_cache(inv);
        case Command::none:
        case Command::help:
            break;
    }
    return k_exit_usage;
}

int run(const std::vector<std::string> &args) {
    const CommandLine cl = parse_command_line(args);
    if (cl.version) {
        const std::string_view library = version();
        std::printf("aadcred %s (libaadcred %.*s)\n", AADCRED_VERSION,
                    static_cast<int>(library.size()), library.data());
        return finish_stdout() ? k_exit_ok : k_exit_failed;
    }
    if (cl.help || cl.command == Command::help) return show_help(cl);
    if (cl.command == Command::none) return usage_error("no command given", Command::none);
    if (cl.command != Command::cache && !cl.operands.empty()) {
        return usage_error("unexpected argument '" + cl.operands[0] + "'", cl.command);
    }

    // secure_getenv: a setuid or setcap copy ignores its caller's AADCRED_*/XDG_* settings.
    const Settings settings = resolve_settings(
        cl, [](const char *name) { return static_cast<const char *>(::secure_getenv(name)); });
    set_logging(settings);
    // Before any thread exists (libcurl's resolver, the countdown), so all inherit the
    // blocked signals.
    SignalWatcher signals;
    const Invocation inv{cl, settings, signals};
    const int code = run_reporting_errors(cl.json, [&inv] { return dispatch(inv); });
    if (!finish_stdout()) return k_exit_failed;
    return code;
}

}  // namespace
}  // namespace aadcred::cli

int main(int argc, char **argv) {
    using namespace aadcred::cli;
    try {
        return run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError &e) {
        return usage_error(e.what(), e.command());
    } catch (const ConfigError &e) {
        print_error(e.what());
        return k_exit_usage;
    } catch (const std::exception &e) {
        print_error(std::string("internal error: ") + e.what());
        return k_exit_failed;
    } catch (...) {
        print_error("internal error: unknown exception");
        return k_exit_failed;
    }
}
