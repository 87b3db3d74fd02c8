// aadcred token: cache hit → silent refresh → device code flow, through the provider.
#include <functional>

#include "commands.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {

int print_token(const Token &token, bool json) {
    if (!json) return print_result(token.access_token()) ? k_exit_ok : k_exit_failed;
    try {
        return print_result(token.to_json()) ? k_exit_ok : k_exit_failed;
    } catch (const AdalError &e) {
        // The token was had: no error object on stdout, where a script expects the token.
        return report_error(e, false, AADCRED_ERROR);
    }
}

int cmd_token(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    if (!cl.unsupported.empty()) {
        // Issue #3: the secret-based flows are in the library's plan, not here yet.
        throw UsageError(cl.unsupported.front() + " is not supported yet", Command::token);
    }
    // A client secret, certificate, code or refresh token picks ADAL's flow for it.
    if (wants_username_password(cl)) return cmd_token_username_password(inv);
    if (!cl.flow_options.empty()) return cmd_token_flows(inv);
    require_account(inv.settings);

    Prompter prompter(inv.settings.qr);
    // --json prints ADAL's token object, refresh token included: only the store has it.
    CredentialProvider provider = make_provider(inv.settings, !cl.no_prompt, !cl.json);
    const Token token = [&] {
        // Ctrl-C wakes the poller at once; get_token then throws AADCRED_ECANCELLED. The
        // provider copes with a cancel that lands before its poll starts.
        const CancelScope cancel(inv.signals, [&provider] {
            try {
                provider.cancel();
            } catch (...) {
                // Nothing to cancel: get_token is ending anyway. Nothing may escape into
                // the signal watcher's thread.
            }
            return true;
        });
        prompter.notes_from(provider);
        return provider.get_token(std::ref(prompter));
    }();
    return print_token(token, cl.json);
}

}  // namespace aadcred::cli
