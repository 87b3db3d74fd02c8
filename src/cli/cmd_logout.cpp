// aadcred logout [--user UPN | --all]: removes tokens from the store.
#include <string>

#include "commands.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {

int cmd_logout(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    const Settings &settings = inv.settings;
    if (cl.all && cl.profile.contains("user")) {
        throw UsageError("give --user UPN or --all, not both", Command::logout);
    }
    // A user from the environment or config file is a default, which --all overrides.
    if (!cl.all && settings.user.empty()) {
        throw UsageError("logout needs --user UPN or --all", Command::logout);
    }
    require_store_access(settings);
    // Prompts allowed: a locked keyring may then be unlocked (SPEC §7). No device code
    // flow can start, as neither list nor logout asks for a token.
    Prompter prompter(false);
    ProviderPtr provider = make_provider(settings, true, &Prompter::callback, &prompter);
    if (!provider) return report_library_error(AADCRED_EINVALID, cl.json);

    const int removed = aadcred_provider_logout(
        provider.get(), cl.all ? nullptr : settings.user.c_str(), cl.all ? 1 : 0);
    if (removed < 0) return report_library_error(removed, cl.json);

    const char *store = aadcred_provider_store_name(provider.get());
    std::string text;
    if (cl.json) {
        text = "{\"removed\":" + std::to_string(removed) + "}";
    } else {
        text = "removed " + std::to_string(removed) + (removed == 1 ? " token" : " tokens") +
               " from " + (store ? store : "the store");
    }
    return print_result(text) ? k_exit_ok : k_exit_failed;
}

}  // namespace aadcred::cli
