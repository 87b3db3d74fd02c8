#include "actions.hpp"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <string>

#include <aadcred/aadcred.h>

#include "display_text.hpp"
#include "helper_settings.hpp"
#include "profile.hpp"
#include "prompter.hpp"

namespace gitcred {

namespace {

// git fills a credential once per process and a fetch or clone can run long: hand out
// only tokens that stay valid this long (SPEC §5), else refresh first.
constexpr int kMinValiditySeconds = 600;

struct ProviderFree {
    void operator()(aadcred_provider *p) const noexcept { aadcred_provider_free(p); }
};
struct TokenFree {
    void operator()(aadcred_token *t) const noexcept { aadcred_token_free(t); }
};
using ProviderPtr = std::unique_ptr<aadcred_provider, ProviderFree>;
using TokenPtr = std::unique_ptr<aadcred_token, TokenFree>;

void say(const std::string &text) {
    fprintf(stderr, "git-credential-aadcred: %s\n", text.c_str());
    fflush(stderr);
}

// The library's message can quote the server's reply: sanitise it like the prompt.
std::string last_error_text() {
    const aadcred_error *e = aadcred_error_last();
    if (e == nullptr || e->message == nullptr) return "unknown error";
    return aadcred::frontend::display_text(e->message, aadcred::frontend::kErrorBytes);
}

// git's own reading of GIT_TERMINAL_PROMPT (git_env_bool, default true).
bool prompting_allowed() {
    const char *value = secure_getenv("GIT_TERMINAL_PROMPT");  // nothing of a setuid caller
    if (value == nullptr) return true;
    return parse_git_bool(value).value_or(true);
}

ExitCode exit_for(int rc) {
    if (rc == AADCRED_EINTERACTION_REQUIRED) return kExitInteractionRequired;
    if (rc == AADCRED_EINVALID) return kExitUsage;
    return kExitAuthFailed;
}

/// Resolves the profile; nullopt means "done" with `code` set.
std::optional<Profile> profile_or_exit(const Credential &input, ExitCode &code) {
    ResolveResult resolved = resolve_profile(input);
    if (resolved.kind == Resolution::kOk) return std::move(resolved.profile);
    if (!resolved.message.empty()) say(resolved.message);
    code = resolved.kind == Resolution::kError ? kExitUsage : kExitOk;
    return std::nullopt;
}

ProviderPtr make_provider(const aadcred_request &request, ExitCode &code) {
    aadcred_provider *raw = nullptr;
    const int rc = aadcred_provider_new(&raw, &request);
    ProviderPtr provider(raw);
    if (rc != AADCRED_OK) {
        say(last_error_text());
        code = exit_for(rc);
        provider.reset();
    }
    return provider;
}

/// Prints the answer for `token`: username/password, or the Bearer credential when git
/// announced the authtype capability.
ExitCode write_reply(const Credential &input, const Profile &profile, const aadcred_token *token) {
    const char *access_token = aadcred_token_access_token(token);
    if (access_token == nullptr || *access_token == '\0') {
        say("the authority returned no access token");
        return kExitAuthFailed;
    }
    ReplyWriter reply;
    if (input.has_capability("authtype")) {
        // git >= 2.46 sends the token itself as `Authorization: Bearer`, no Basic wrapping.
        reply.add("capability[]", "authtype");
        reply.add("authtype", "Bearer");
        reply.add("credential", access_token);
    } else {
        // The username git asked for stays as asked (Azure DevOps puts the organisation
        // there); otherwise the account's userId.
        const char *user_id = aadcred_token_user_id(token);
        std::string username = profile.username;
        if (username.empty()) username = user_id != nullptr ? user_id : "aadcred";
        reply.add("username", username);
        reply.add("password", access_token);
    }
    // git >= 2.41 drops the credential once it expires; older git ignores the key.
    const int64_t expires_at = aadcred_token_expires_at(token);
    if (expires_at > 0) reply.add("password_expiry_utc", std::to_string(expires_at));
    // Never oauth_refresh_token: refresh tokens stay in our store (SPEC §5).
    if (!reply.ok()) {
        say("refusing to answer: " + reply.error());
        return kExitAuthFailed;
    }
    if (!write_all(STDOUT_FILENO, reply.text())) {
        say("cannot write the reply to git");
        return kExitAuthFailed;
    }
    return kExitOk;
}

}  // namespace

ExitCode action_get(const Credential &input) {
    ExitCode code = kExitOk;
    const auto profile = profile_or_exit(input, code);
    if (!profile) return code;

    const std::string remote = profile->target.protocol + "://" + profile->target.host;
    aadcred_request request = profile->request();
    request.allow_prompt = prompting_allowed() ? 1 : 0;
    request.min_validity = kMinValiditySeconds;
    request.prompt = show_device_code;
    request.prompt_payload = const_cast<std::string *>(&remote);
    const ProviderPtr provider = make_provider(request, code);
    if (!provider) return code;

    aadcred_token *raw = nullptr;
    const int rc = aadcred_provider_get_token(&raw, provider.get());
    const TokenPtr token(raw);
    if (rc == AADCRED_EINTERACTION_REQUIRED) {
        say("a sign-in to " +
            aadcred::frontend::display_text(profile->authority, aadcred::frontend::kUrlBytes) +
            " is needed for " + remote + ", but GIT_TERMINAL_PROMPT=0 forbids prompting");
        return kExitInteractionRequired;
    }
    if (rc != AADCRED_OK || !token) {
        const std::string text = last_error_text();
        say(text);
        // ADAL's wording for several cached accounts; the provider's own hint names the
        // CLI option, so say how git names an account.
        if (profile->user_id.empty() && text.find("ambiguous") != std::string::npos) {
            say("name the account: git config credential." + remote +
                ".username <upn>, or user@ in the remote URL");
        }
        return exit_for(rc);
    }
    return write_reply(input, *profile, token.get());
}

ExitCode action_erase(const Credential &input) {
    // git >= 2.46 rejects an authtype credential by its `credential` attribute.
    auto rejected = input.get("password");
    if (!rejected || rejected->empty()) rejected = input.get("credential");
    if (!rejected || rejected->empty()) return kExitOk;

    ExitCode code = kExitOk;
    const auto profile = profile_or_exit(input, code);
    if (!profile) return code;
    aadcred_request request = profile->request();
    request.allow_prompt = 0;
    const ProviderPtr provider = make_provider(request, code);
    if (!provider) return code;
    std::string token(*rejected);  // NUL-terminated copy for the C ABI
    const int rc = aadcred_provider_forget_access_token(provider.get(), token.c_str());
    wipe(token);
    if (rc != AADCRED_OK) {
        say(last_error_text());
        return exit_for(rc);
    }
    return kExitOk;
}

}  // namespace gitcred
