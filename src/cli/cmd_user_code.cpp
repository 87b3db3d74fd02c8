// aadcred user-code: ADAL's acquire_user_code, printed as SPEC §3's JSON.
#include "commands.hpp"
#include "output.hpp"

namespace aadcred::cli {

int cmd_user_code(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    require_account(inv.settings);
    AuthenticationContext context = make_context(inv.settings);
    const UserCodeInfo code = context.acquire_user_code(
        target(inv.settings), inv.settings.client_id, cl.language.value_or(""));
    try {
        return print_result(code.to_json()) ? k_exit_ok : k_exit_failed;
    } catch (const AdalError &e) {
        return report_error(e, cl.json, AADCRED_ERROR);
    }
}

}  // namespace aadcred::cli
