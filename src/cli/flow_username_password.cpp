// aadcred token --username U --password-file F: ADAL's acquire_token_with_username_password
// (user realm; managed, ADFS or federated through WS-Trust). The password comes from a
// file or "-" (stdin), never from argv, which other users can read in /proc. Like the
// other secret-based flows it runs on a context with its own in-memory cache.
#include <string>

#include "commands.hpp"
#include "input_file.hpp"
#include "output.hpp"

namespace aadcred::cli {
namespace {

// A password is far below 4 KiB; the cap only stops a wrong file from being slurped.
constexpr size_t k_max_password = size_t{4} * 1024;

}  // namespace

bool wants_username_password(const CommandLine &cl) {
    return cl.flow_options.contains("username") || cl.flow_options.contains("password-file");
}

int cmd_token_username_password(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    const auto username = cl.flow_options.find("username");
    const auto password_file = cl.flow_options.find("password-file");
    if (username == cl.flow_options.end())
        throw UsageError("--password-file needs --username", Command::token);
    if (password_file == cl.flow_options.end())
        throw UsageError("--username needs --password-file", Command::token);
    if (cl.flow_options.size() > 2)
        throw UsageError("--username excludes the other secret-based options", Command::token);
    require_account(inv.settings);

    AuthenticationContext context = make_context(inv.settings);
    WipedString password;
    read_secret("password-file", password_file->second, k_max_password, true, password);
    const Token token = context.acquire_token_with_username_password(
        target(inv.settings), username->second, password.text(), inv.settings.client_id);
    return print_token(token, cl.json);
}

}  // namespace aadcred::cli
