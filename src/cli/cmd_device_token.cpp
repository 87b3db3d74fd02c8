// aadcred device-token --user-code-info FILE|-: ADAL's acquire_token_with_device_code for
// a code from `aadcred user-code`. Shows the code again on stderr while it polls. The
// token is saved in the store (as `token` would), unless --no-store.
#include <optional>
#include <string>

#include "commands.hpp"
#include "input_file.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {
namespace {

// User code info is a few hundred bytes; the cap stops a wrong file or an endless pipe.
constexpr size_t k_max_input = size_t{64} * 1024;

UserCodeInfo read_user_code_info(const std::string &path) {
    // The device code is a secret: the buffer is wiped as soon as the library has it.
    WipedString json;
    read_input(path, k_max_input, input_name(path), "user code info larger than 64 KiB",
               json.text());
    return UserCodeInfo::from_json(json.text());
}

// Polls until the person signs in, showing the code with its countdown meanwhile.
Token poll(const Invocation &inv, AuthenticationContext &context, const UserCodeInfo &code) {
    // The script that ran user-code may not have shown the code: say it again, with the
    // countdown, as `token` does.
    Prompter prompter(inv.settings.qr);
    prompter(PromptEvent::show, code);
    std::optional<Token> token;
    try {
        // ADAL's cancel fails until the poll has started (authority validation comes
        // first): returning false makes the watcher try again. Nothing may escape into
        // the watcher's thread.
        const CancelScope cancel(inv.signals, [&context, &code] {
            try {
                context.cancel_request_to_get_token_with_device_code(code);
                return true;
            } catch (...) {
                return false;
            }
        });
        token.emplace(context.acquire_token_with_device_code(target(inv.settings), code,
                                                             inv.settings.client_id));
    } catch (...) {
        prompter(PromptEvent::done, code);  // the countdown ends before the error is told
        throw;
    }
    prompter(PromptEvent::done, code);
    return std::move(*token);
}

// Saves the token in the profile's store under its account lock. Returns the exit code.
int store_token(const Invocation &inv, const Token &token) {
    try {
        // Prompts allowed, as for list: a locked keyring may be unlocked (SPEC §7); the
        // provider starts no sign-in here.
        CredentialProvider provider = make_provider(inv.settings, true);
        provider.store_token(token);
        return k_exit_ok;
    } catch (const AdalError &e) {
        print_error("the token was not saved in the store: " +
                    (e.message().empty() ? std::string("unknown error") : e.message()));
        return k_exit_failed;
    }
}

}  // namespace

int cmd_device_token(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    if (!cl.user_code_info) {
        throw UsageError("device-token needs --user-code-info FILE|-", Command::device_token);
    }
    require_account(inv.settings);

    const UserCodeInfo code = read_user_code_info(*cl.user_code_info);
    AuthenticationContext context = make_context(inv.settings);
    const Token token = poll(inv, context, code);
    if (cl.flow_options.contains("no-store")) return print_token(token, cl.json);
    // The device code is spent: the token is printed even when the store refuses it, and
    // the exit status (1) tells a script that it was not saved.
    const int stored = store_token(inv, token);
    const int printed = print_token(token, cl.json);
    return printed != k_exit_ok ? printed : stored;
}

}  // namespace aadcred::cli
