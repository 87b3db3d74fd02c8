// aadcred token: cache hit → silent refresh → device code flow, through the provider.
#include "commands.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {

int print_token(const aadcred_token *token, bool json) {
    if (json) {
        LibString text;
        if (aadcred_token_to_json(out(text), token) != AADCRED_OK) {
            return report_library_error(AADCRED_ERROR, false);
        }
        if (!print_result(text.get())) return k_exit_failed;
    } else if (!print_result(aadcred_token_access_token(token))) {
        return k_exit_failed;
    }
    return k_exit_ok;
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
    ProviderPtr provider =
        make_provider(inv.settings, !cl.no_prompt, &Prompter::callback, &prompter);
    if (!provider) return report_library_error(AADCRED_EINVALID, cl.json);

    TokenPtr token;
    int rc = AADCRED_OK;
    {
        // Ctrl-C wakes the poller at once; get_token then returns AADCRED_ECANCELLED.
        aadcred_provider *p = provider.get();
        // The provider copes with a cancel that lands before its poll starts.
        CancelScope cancel(inv.signals, [p] {
            aadcred_provider_cancel(p);
            return true;
        });
        rc = aadcred_provider_get_token(out(token), p);
    }
    if (rc != AADCRED_OK) return report_library_error(rc, cl.json);
    return print_token(token.get(), cl.json);
}

}  // namespace aadcred::cli
