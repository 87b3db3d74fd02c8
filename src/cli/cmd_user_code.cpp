// aadcred user-code: ADAL's acquire_user_code, printed as SPEC §3's JSON.
#include "commands.hpp"
#include "output.hpp"

namespace aadcred::cli {

int cmd_user_code(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    require_account(inv.settings);
    ContextPtr context = make_context(inv.settings);
    if (!context) return report_library_error(AADCRED_EINVALID, cl.json);

    const char *language = cl.language ? cl.language->c_str() : nullptr;
    UserCodePtr code;
    const int rc =
        aadcred_context_acquire_user_code(out(code), context.get(), target(inv.settings).c_str(),
                                          inv.settings.client_id.c_str(), language);
    if (rc != AADCRED_OK) return report_library_error(rc, cl.json);

    LibString json;
    if (aadcred_user_code_to_json(out(json), code.get()) != AADCRED_OK) {
        return report_library_error(AADCRED_ERROR, cl.json);
    }
    return print_result(json.get()) ? k_exit_ok : k_exit_failed;
}

}  // namespace aadcred::cli
