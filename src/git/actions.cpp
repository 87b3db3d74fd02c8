#include "actions.hpp"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <aadcred/aadcred.hpp>

#include "display_text.hpp"
#include "error_report.hpp"
#include "helper_settings.hpp"
#include "profile.hpp"
#include "prompter.hpp"
#include "www_authenticate.hpp"

namespace gitcred {

namespace {

// git fills a credential once per process and a fetch or clone can run long: hand out
// only tokens that stay valid this long (SPEC §5), else refresh first.
constexpr std::chrono::seconds kMinValidity{600};

/// A copy of a secret, wiped however its scope is left.
struct SecretCopy {
    std::string text;
    ~SecretCopy() { wipe(text); }
};

void say(const std::string &text) {
    fprintf(stderr, "git-credential-aadcred: %s\n", text.c_str());
    fflush(stderr);
}

// git's own reading of GIT_TERMINAL_PROMPT (git_env_bool, default true).
bool prompting_allowed() {
    const char *value = secure_getenv("GIT_TERMINAL_PROMPT");  // nothing of a setuid caller
    if (value == nullptr) return true;
    return parse_git_bool(value).value_or(true);
}

/// Resolves the profile; nullopt means "done" with `code` set.
std::optional<Profile> profile_or_exit(const Credential &input, ExitCode &code) {
    ResolveResult resolved = resolve_profile(input);
    if (resolved.kind == Resolution::kOk) return std::move(resolved.profile);
    if (!resolved.message.empty()) say(resolved.message);
    code = resolved.kind == Resolution::kError ? kExitUsage : kExitOk;
    return std::nullopt;
}

/// The provider for `request`; nullopt (the reason said, `code` set) when it is refused.
std::optional<aadcred::CredentialProvider> make_provider(
    const aadcred::CredentialProvider::Request &request, ExitCode &code) {
    try {
        return std::optional<aadcred::CredentialProvider>(std::in_place, request);
    } catch (const aadcred::AdalError &e) {
        say(error_text(e));
        code = exit_for(e);
        return std::nullopt;
    }
}

/// Gets the token for `profile`; nullopt (the reason said, `code` set) when there is none.
std::optional<aadcred::Token> fetch_token(aadcred::CredentialProvider &provider,
                                          const Profile &profile, const std::string &remote,
                                          ExitCode &code) {
    try {
        DeviceCodePrompter prompter(remote, profile.qr);
        prompter.notes_from(provider);
        return provider.get_token(std::ref(prompter));
    } catch (const aadcred::AdalError &e) {
        code = exit_for(e);
        if (e.code() == AADCRED_EINTERACTION_REQUIRED) {
            say("a sign-in to " +
                aadcred::frontend::display_text(profile.authority, aadcred::frontend::kUrlBytes) +
                " is needed for " + remote + ", but GIT_TERMINAL_PROMPT=0 forbids prompting");
            return std::nullopt;
        }
        const std::string text = error_text(e);
        say(text);
        if (const std::string hint = setting_hint(e.error(), remote); !hint.empty()) say(hint);
        // ADAL's wording for several cached accounts; the provider's own hint names the
        // CLI option, so say how git names an account.
        if (profile.user_id.empty() && text.find("ambiguous") != std::string::npos) {
            say("name the account: git config credential." + remote +
                ".username <upn>, or user@ in the remote URL");
        }
        return std::nullopt;
    }
}

/// Prints the answer for `token`: username/password, or the Bearer credential when git
/// announced the authtype capability. The token's strings are read in place, never copied
/// but into the reply (which wipes itself).
ExitCode write_reply(const Credential &input, const Profile &profile, const aadcred::Token &token) {
    const std::string_view access_token = token.access_token();
    if (access_token.empty()) {
        say("the authority returned no access token");
        return kExitAuthFailed;
    }
    ReplyWriter reply;
    if (input.has_capability("authtype")) {
        // git >= 2.46 sends the token itself as `Authorization: Bearer`, no Basic wrapping.
        reply.add("capability[]", "authtype");
        reply.add("authtype", "Bearer");
        reply.add("credential", access_token);
        // The token expires within the hour: git must not hand it to storing helpers.
        reply.add("ephemeral", "1");
    } else {
        // The username git asked for stays as asked (Azure DevOps puts the organisation
        // there); otherwise the account's userId.
        std::string username = profile.username;
        if (username.empty()) {
            const std::optional<std::string_view> user_id = token.user_id_if_any();
            username = user_id ? std::string(*user_id) : "aadcred";
        }
        reply.add("username", username);
        reply.add("password", access_token);
    }
    // git >= 2.41 drops the credential once it expires; older git ignores the key.
    const auto expires_at = token.expires_at();
    if (expires_at && expires_at->time_since_epoch().count() > 0) {
        reply.add("password_expiry_utc", std::to_string(expires_at->time_since_epoch().count()));
    }
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
    aadcred::CredentialProvider::Request request = profile->request();
    request.allow_prompt = prompting_allowed();
    request.min_validity = kMinValidity;
    // A Bearer challenge naming claims (Continuous Access Evaluation): the server refused
    // the token it had; the next one must carry them.
    if (auto claims = claims_from_challenges(input.get_all("wwwauth"))) {
        request.claims = std::move(*claims);
    }
    auto provider = make_provider(request, code);
    if (!provider) return code;
    const auto token = fetch_token(*provider, *profile, remote, code);
    if (!token) return code;
    return write_reply(input, *profile, *token);
}

ExitCode action_erase(const Credential &input) {
    // git >= 2.46 rejects an authtype credential by its `credential` attribute.
    auto rejected = input.get("password");
    if (!rejected || rejected->empty()) rejected = input.get("credential");
    if (!rejected || rejected->empty()) return kExitOk;

    ExitCode code = kExitOk;
    const auto profile = profile_or_exit(input, code);
    if (!profile) return code;
    aadcred::CredentialProvider::Request request = profile->request();
    request.allow_prompt = false;
    auto provider = make_provider(request, code);
    if (!provider) return code;
    const SecretCopy token{std::string(*rejected)};  // NUL-terminated for the C ABI
    try {
        provider->forget_access_token(token.text);
    } catch (const aadcred::AdalError &e) {
        say(error_text(e));
        return exit_for(e);
    }
    return kExitOk;
}

}  // namespace gitcred
