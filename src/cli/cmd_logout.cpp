// aadcred logout [--user UPN | --all]: removes tokens from the store.
#include <string>

#include "commands.hpp"
#include "output.hpp"

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
    // --all removes every aadcred token of the store, whatever its authority or client
    // (issue 11); one user's tokens are those of the configured authority and client.
    if (!cl.all) require_store_access(settings);
    // Prompts allowed: a locked keyring may then be unlocked (SPEC §7). No device code
    // flow can start, as neither list nor logout asks for a token.
    CredentialProvider provider = make_provider(settings, true);

    const int removed = provider.logout(cl.all ? std::string() : settings.user, cl.all);

    const std::string_view store = provider.store_name();
    std::string text;
    if (cl.json) {
        text = "{\"removed\":" + std::to_string(removed) + "}";
    } else {
        text = "removed " + std::to_string(removed) + (removed == 1 ? " token" : " tokens") +
               " from " + std::string(store.empty() ? "the store" : store);
    }
    return print_result(text) ? k_exit_ok : k_exit_failed;
}

}  // namespace aadcred::cli
