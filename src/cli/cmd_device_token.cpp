// aadcred device-token --user-code-info FILE|-: ADAL's acquire_token_with_device_code for
// a code from `aadcred user-code`. Shows the code again on stderr while it polls. The
// token is saved in the store (as `token` would), unless --no-store.
#include <string>

#include "commands.hpp"
#include "input_file.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {
namespace {

// User code info is a few hundred bytes; the cap stops a wrong file or an endless pipe.
constexpr size_t k_max_input = size_t{64} * 1024;

// Saves the token in the profile's store under its account lock. Returns the exit code.
int store_token(const Invocation &inv, const aadcred_token *token) {
    // Prompts allowed, as for list: a locked keyring may be unlocked (SPEC §7); the
    // provider starts no sign-in here.
    Prompter prompter(false);
    ProviderPtr provider = make_provider(inv.settings, true, &Prompter::callback, &prompter);
    const int rc = provider ? aadcred_provider_store_token(provider.get(), token)
                            : static_cast<int>(AADCRED_EINVALID);
    if (rc == AADCRED_OK) return k_exit_ok;
    const aadcred_error *error = aadcred_error_last();
    print_error(std::string("the token was not saved in the store: ") +
                (error != nullptr && error->message != nullptr ? error->message : "unknown error"));
    return k_exit_failed;
}

}  // namespace

int cmd_device_token(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    if (!cl.user_code_info) {
        throw UsageError("device-token needs --user-code-info FILE|-", Command::device_token);
    }
    require_account(inv.settings);

    UserCodePtr code;
    int parsed = AADCRED_OK;
    {
        // The device code is a secret: the buffer is wiped as soon as the library has it.
        WipedString json;
        read_input(*cl.user_code_info, k_max_input, input_name(*cl.user_code_info),
                   "user code info larger than 64 KiB", json.text());
        parsed = aadcred_user_code_from_json(out(code), json.c_str());
    }
    if (parsed != AADCRED_OK) return report_library_error(parsed, cl.json);

    ContextPtr context = make_context(inv.settings);
    if (!context) return report_library_error(AADCRED_EINVALID, cl.json);

    // The script that ran user-code may not have shown the code: say it again, with the
    // countdown, as `token` does.
    Prompter prompter(inv.settings.qr);
    Prompter::callback(AADCRED_PROMPT_SHOW, code.get(), &prompter);
    TokenPtr token;
    int rc = AADCRED_OK;
    {
        aadcred_context *ctx = context.get();
        const aadcred_user_code *uc = code.get();
        // ADAL's cancel fails until the poll has started (authority validation comes
        // first): returning false makes the watcher try again.
        CancelScope cancel(inv.signals, [ctx, uc] {
            return aadcred_context_cancel_request_to_get_token_with_device_code(ctx, uc) ==
                   AADCRED_OK;
        });
        rc = aadcred_context_acquire_token_with_device_code(
            out(token), ctx, target(inv.settings).c_str(), uc, inv.settings.client_id.c_str());
    }
    Prompter::callback(AADCRED_PROMPT_DONE, code.get(), &prompter);
    if (rc != AADCRED_OK) return report_library_error(rc, cl.json);
    if (cl.flow_options.contains("no-store")) return print_token(token.get(), cl.json);
    // The device code is spent: the token is printed even when the store refuses it, and
    // the exit status (1) tells a script that it was not saved.
    const int stored = store_token(inv, token.get());
    const int printed = print_token(token.get(), cl.json);
    return printed != k_exit_ok ? printed : stored;
}

}  // namespace aadcred::cli
