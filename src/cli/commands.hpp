#pragma once
// One function per subcommand, one file each (cmd_<name>.cpp). Each returns the exit code;
// an aadcred::AdalError it lets escape is reported by run_reporting_errors (output.hpp).

#include "invocation.hpp"

namespace aadcred::cli {

int cmd_token(const Invocation &inv);
/// `token` with --client-secret-file, --certificate, --auth-code-file or
/// --refresh-token-file (cmd_token_flows.cpp).
int cmd_token_flows(const Invocation &inv);
/// `token` with --username and --password-file (flow_username_password.cpp).
bool wants_username_password(const CommandLine &cl);
int cmd_token_username_password(const Invocation &inv);
int cmd_user_code(const Invocation &inv);
int cmd_device_token(const Invocation &inv);
int cmd_list(const Invocation &inv);
int cmd_logout(const Invocation &inv);
int cmd_cache(const Invocation &inv);

/// Prints a token: the access token, or with `json` ADAL's token object. Returns the exit
/// code (1 when stdout failed).
int print_token(const Token &token, bool json);

}  // namespace aadcred::cli
