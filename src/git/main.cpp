// git-credential-aadcred: a git credential helper (gitcredentials(7)) that answers with
// Azure AD access tokens from libaadcred (SPEC §5). git runs it as
// `git credential-aadcred <action>` with a credential description on stdin.

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <aadcred/aadcred.hpp>

#include "actions.hpp"
#include "credential_protocol.hpp"
#include "git_exit.hpp"

namespace {

using gitcred::ExitCode;

constexpr const char *kUsage =
    "usage: git-credential-aadcred <get|store|erase|capability|--version>\n"
    "Configure with: git config --global credential.helper aadcred\n"
    "Settings (git config, per URL): credential.<url>.aadcredAuthority, aadcredClientId,\n"
    "  aadcredResource or aadcredScopes, aadcredApi (v1|v2|oidc), aadcredFlow,\n"
    "  aadcredCaFile, aadcredStore, aadcredValidateAuthority, aadcredQr,\n"
    "  aadcredAllowHttp (loopback http only)\n";

// AADCRED_LOG_LEVEL=error|warning|info|verbose (or 0-3): library log lines on stderr.
// secure_getenv: a setuid copy must not take orders from its caller's environment.
void configure_logging() {
    const char *value = secure_getenv("AADCRED_LOG_LEVEL");
    if (value == nullptr || *value == '\0') return;
    static constexpr const char *kNames[] = {"error", "warning", "info", "verbose"};
    int level = -1;
    for (int i = 0; i < 4; ++i) {
        if (strcasecmp(value, kNames[i]) == 0 || std::string_view(value) == std::to_string(i)) {
            level = i;
        }
    }
    if (level < 0) {
        fprintf(stderr, "git-credential-aadcred: ignoring AADCRED_LOG_LEVEL='%s'\n",
                std::string(value).substr(0, 32).c_str());
        return;
    }
    aadcred::LoggingOptions options;
    options.level = static_cast<aadcred::LogLevel>(level);
    try {
        aadcred::set_logging_options(options);
    } catch (const aadcred::AdalError &) {
        // Log lines only help a person debug: a refused level must not cost the credential.
    }
}

/// Reads and parses stdin; on refusal says why and returns nullopt.
std::optional<gitcred::Credential> read_input() {
    std::string raw;
    std::string error;
    if (!gitcred::read_description(STDIN_FILENO, raw, error)) {
        fprintf(stderr, "git-credential-aadcred: refusing the input: %s\n", error.c_str());
        return std::nullopt;
    }
    gitcred::ParseResult parsed = gitcred::parse_credential(raw);
    gitcred::wipe(raw);
    if (!parsed.credential) {
        fprintf(stderr, "git-credential-aadcred: refusing the input: %s\n", parsed.error.c_str());
    }
    return std::move(parsed.credential);
}

ExitCode run(std::string_view action) {
    if (action == "get" || action == "erase") {
        const auto input = read_input();
        if (!input) return gitcred::kExitUsage;
        return action == "get" ? gitcred::action_get(*input) : gitcred::action_erase(*input);
    }
    if (action == "store") {
        // Our tokens are already in our store; the description is read only so git's
        // write never meets a closed pipe.
        std::string raw;
        std::string error;
        gitcred::read_description(STDIN_FILENO, raw, error);
        gitcred::wipe(raw);
        return gitcred::kExitOk;
    }
    if (action == "capability") {
        // git >= 2.46 asks what the helper understands (git-credential(1), CAPABILITY
        // INPUT/OUTPUT FORMAT): authtype, so git may announce it and take a Bearer reply.
        if (!gitcred::write_all(STDOUT_FILENO, "version 0\ncapability authtype\n"))
            return gitcred::kExitAuthFailed;
        return gitcred::kExitOk;
    }
    if (action == "--version") {
        const std::string_view library = aadcred::version();
        printf("git-credential-aadcred %s (libaadcred %.*s)\n", AADCRED_VERSION,
               static_cast<int>(library.size()), library.data());
        return fflush(stdout) == 0 && !ferror(stdout) ? gitcred::kExitOk : gitcred::kExitAuthFailed;
    }
    if (action == "--help" || action == "-h") {
        fputs(kUsage, stdout);
        return gitcred::kExitOk;
    }
    // gitcredentials(7): helpers ignore actions they do not know (git may add some).
    return gitcred::kExitOk;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        // git appends the action after whatever credential.helper names; this helper takes
        // no options, so extra words are a configuration mistake worth reporting.
        fputs(kUsage, stderr);
        return gitcred::kExitUsage;
    }
    try {
        configure_logging();
        return run(argv[1]);
    } catch (const std::exception &e) {
        // The actions catch aadcred::AdalError themselves: std::bad_alloc and friends.
        fprintf(stderr, "git-credential-aadcred: %s\n", e.what());
        return gitcred::kExitAuthFailed;
    } catch (...) {
        // Nothing in the helper throws anything else; still, never terminate() on git.
        fputs("git-credential-aadcred: unknown error\n", stderr);
        return gitcred::kExitAuthFailed;
    }
}
