// The device code sign-in for PAM, through the public C API only. Polling waits until
// the person has pressed Enter, so nothing runs beside the conversation; the deadline is
// handed to the library's poller as the code's expiresAt, which it honours as a
// wall-clock limit. The one thread besides the host's watches the person's connection
// during the poll (client_watch.hpp) and is joined before the poll's result is used.

#include "sign_in.hpp"

#include <limits.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>

#include "client_watch.hpp"
#include "conversation.hpp"
#include "failure_text.hpp"
#include "handles.hpp"
#include "handover_files.hpp"
#include "identity_match.hpp"
#include "key_cache_setup.hpp"
#include "pam_data.hpp"
#include "pam_log.hpp"
#include "prompt_text.hpp"
#include "qr_text.hpp"

namespace aadcred_pam {
namespace {

// Not a library code: the person's connection closed while we polled.
constexpr int kClientGone = 1;

int pam_code_for(int rc) {
    switch (rc) {
        case AADCRED_EUNREACHABLE:
            return PAM_AUTHINFO_UNAVAIL;
        case AADCRED_EINVALID:
            return PAM_SERVICE_ERR;
        default:
            return PAM_AUTH_ERR;
    }
}

std::string host_name() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "this host";
    return name;
}

std::string remote_host(pam_handle_t *pamh) {
    const void *item = nullptr;
    if (pam_get_item(pamh, PAM_RHOST, &item) != PAM_SUCCESS || item == nullptr) return {};
    return static_cast<const char *>(item);
}

// An id_token only comes back when the openid scope is asked for (v2 and OIDC).
std::string request_scopes(const ModuleConfig &c) {
    if (c.api == AADCRED_API_V1) return c.resource;
    std::string scopes = " " + c.scopes + " ";
    return scopes.find(" openid ") == std::string::npos ? c.scopes + " openid" : c.scopes;
}

// The library's poller stops at the code's expiresAt; a later duplicate key wins when
// the JSON is read back (Python's json.loads rule, which the library follows), so
// appending one shortens the code's life to our deadline without touching the rest.
UserCode with_deadline(const aadcred_user_code *code, long long deadline) {
    char *raw = nullptr;
    if (aadcred_user_code_to_json(&raw, code) != 0) return {};
    const LibString json(raw);
    WipedString text;
    text.str().reserve(strlen(raw) + 40);
    text.str() = raw;
    const auto brace = text.str().rfind('}');
    if (brace == std::string::npos) return {};
    text.str().insert(brace, ",\"expiresAt\":" + std::to_string(deadline));
    aadcred_user_code *out = nullptr;
    if (aadcred_user_code_from_json(&out, text.str().c_str()) != 0) return {};
    return UserCode(out);
}

class SignIn {
  public:
    SignIn(pam_handle_t *pamh, const ModuleConfig &config, int flags, const char *user)
        : pamh_(pamh), config_(config), flags_(flags), user_(user) {}

    int run() {
        // Before the module opens connections of its own (client_watch.hpp).
        client_ = ClientSocket::find(remote_host(pamh_).c_str());
        aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
        options.api = config_.api;
        options.ca_file = config_.ca_file.empty() ? nullptr : config_.ca_file.c_str();
        options.validate_authority = config_.validate_authority ? 1 : 0;
        options.instance_discovery =
            config_.instance_discovery.empty() ? nullptr : config_.instance_discovery.c_str();
        aadcred_context *raw_context = nullptr;
        if (const int rc = aadcred_context_new(&raw_context, config_.authority.c_str(), &options))
            return fail(rc, "the authority is not usable");
        context_.reset(raw_context);

        const std::string scopes = request_scopes(config_);
        debug("asking " + clean_text(config_.authority, 200) + " for a device code");
        aadcred_user_code *raw_code = nullptr;
        if (const int rc = aadcred_context_acquire_user_code(
                &raw_code, context_.get(), scopes.c_str(), config_.client_id.c_str(), nullptr))
            return fail(rc, "cannot start the device code sign-in");
        const UserCode code(raw_code);

        const int expires_in = aadcred_user_code_expires_in(code.get());
        const int seconds =
            expires_in > 0 ? std::min(expires_in, config_.timeout) : config_.timeout;
        const long long deadline = static_cast<long long>(time(nullptr)) + seconds;
        seconds_ = seconds;
        debug("code issued; the person has " + std::to_string(seconds) + " s");
        if (const int rc = show_code(code.get(), seconds); rc != PAM_SUCCESS) return rc;
        debug("polling until the deadline");

        const UserCode limited = with_deadline(code.get(), deadline);
        if (!limited) return fail(AADCRED_ERROR, "cannot set the deadline");
        aadcred_token *raw_token = nullptr;
        if (const int rc = poll_while_the_client_is_here(scopes, limited.get(), raw_token))
            return rc == kClientGone ? PAM_CONV_ERR : fail(rc, "the sign-in did not complete");
        const Token token(raw_token);
        debug("token received; verifying the id_token");
        return check_identity(token.get());
    }

  private:
    // Polls; when the person's connection closes meanwhile, the poll is cancelled at once
    // rather than left running to the deadline for nobody.
    int poll_while_the_client_is_here(const std::string &scopes, const aadcred_user_code *code,
                                      aadcred_token *&out) {
        const ClientWatch watch(client_, [&] {
            return aadcred_context_cancel_request_to_get_token_with_device_code(context_.get(),
                                                                                code) == 0;
        });
        const int rc = aadcred_context_acquire_token_with_device_code(
            &out, context_.get(), scopes.c_str(), code, config_.client_id.c_str());
        if (rc != 0 && watch.gone()) {
            log_line(pamh_, LOG_NOTICE, "the client closed the connection: polling stopped");
            return kClientGone;
        }
        return rc;
    }

    int show_code(const aadcred_user_code *code, int seconds) {
        const std::string host = host_name();
        const std::string rhost = remote_host(pamh_);
        const char *url = aadcred_user_code_verification_url(code);
        const char *user_code = aadcred_user_code_user_code(code);
        SignInDetails details{
            user_,  host, rhost, url != nullptr ? url : "", user_code != nullptr ? user_code : "",
            seconds};
        std::vector<Message> messages{{PAM_TEXT_INFO, sign_in_message(details)}};
        if (config_.qr) {
            // Plain text: a conversation carries no colours (an ssh client shows an escape
            // character as text), so light modules are drawn, for the usual dark terminal.
            std::string qr = aadcred::frontend::qr_text(clean_text(details.url, 256),
                                                        aadcred::frontend::QrStyle::plain);
            if (!qr.empty()) messages.push_back({PAM_TEXT_INFO, std::move(qr)});
        }
        messages.push_back({PAM_PROMPT_ECHO_OFF, kEnterPrompt});
        const int rc = converse(pamh_, messages);
        if (rc != PAM_SUCCESS) log_line(pamh_, LOG_ERR, "the conversation failed");
        return rc;
    }

    int check_identity(const aadcred_token *token) {
        aadcred_identity_options options = AADCRED_IDENTITY_OPTIONS_INIT;
        options.client_id = config_.client_id.c_str();
        options.allowed_tenants =
            config_.allowed_tenants.empty() ? nullptr : config_.allowed_tenants.c_str();
        // A warm host's login then asks the authority for the code and the token only.
        const std::string key_cache = prepare_key_cache(pamh_, config_.key_cache);
        options.key_cache_dir = key_cache.empty() ? nullptr : key_cache.c_str();
        aadcred_identity *raw = nullptr;
        if (const int rc = aadcred_context_verify_id_token(&raw, context_.get(), token, &options))
            return fail(rc, "the id_token was not accepted");
        const Identity identity(raw);
        // NULL with an error when the claim holds a NUL or another control character:
        // "alice\u0000@evil.example" must not become "alice" (aadcred.h).
        const char *claim = aadcred_identity_claim(identity.get(), config_.user_claim.c_str());
        if (claim == nullptr)
            return refuse("the verified id_token has no usable " + config_.user_claim + " claim" +
                          (aadcred_error_last() != nullptr ? ": " + last_error_text() : ""));
        const MatchResult match = match_identity(claim, config_.domain, user_);
        if (!match.ok)
            return refuse("identity " + clean_text(claim, 128) + " refused for user " +
                              clean_text(user_, 64) + ": " + match.why,
                          claim);
        const char *tid = aadcred_identity_claim(identity.get(), "tid");
        log_line(pamh_, LOG_INFO,
                 "user " + clean_text(user_, 64) + " signed in as " + clean_text(claim, 128) +
                     (tid != nullptr ? " (tenant " + clean_text(tid, 64) + ")" : ""));
        return keep_for_session(token);
    }

    // The token goes to the session for single sign-on (docs/pam-sso.md): on the handle
    // for same-process stacks, and, when sshd's monitor forked us to authenticate, staged
    // root-only for that monitor, the one process that will open this login's session.
    int keep_for_session(const aadcred_token *token) {
        WipedString handover;
        if (config_.sso) {
            char *raw = nullptr;
            if (aadcred_token_to_json(&raw, token) == 0) {
                const LibString json(raw);
                handover.str().reserve(strlen(raw) + 3);
                handover.str().append("[").append(raw).append("]");
            }
        }
        const auto local = find_local_user(user_);
        const std::optional<uid_t> uid = local ? std::optional<uid_t>(local->uid) : std::nullopt;
        const int rc = remember_sign_in(pamh_, user_, uid, handover.str());
        if (rc != PAM_SUCCESS) return rc;
        if (handover.str().empty()) return PAM_SUCCESS;
        if (!local) {
            debug("no local account " + clean_text(user_, 64) + ": nothing to hand over");
            return PAM_SUCCESS;
        }
        if (!parent_is_forked_host()) return PAM_SUCCESS;  // the handle's copy will do
        StagedSignIn who{user_, local->uid, getppid(), 0};
        std::string error;
        if (const auto start = process_start_time(who.consumer)) {
            who.consumer_start = *start;
            if (stage_sign_in(config_.runtime_dir, who, handover.str(), error)) {
                remember_staged(pamh_, config_.runtime_dir, who.consumer);
                return PAM_SUCCESS;
            }
        } else {
            error = "cannot read the parent process's start time";
        }
        // A screen locker runs as the user and cannot write /run: no session follows
        // there anyway, so that is worth a debug line, not a warning every unlock.
        const int priority = geteuid() == 0 ? LOG_WARNING : LOG_DEBUG;
        if (priority != LOG_DEBUG || config_.debug)
            log_line(pamh_, priority, "cannot stage the single sign-on hand-over: " + error);
        return PAM_SUCCESS;
    }

    int fail(int rc, const std::string &what) {
        const int code = pam_code_for(rc);
        const Failure kind = classify_failure(rc);  // before anything else calls the library
        log_line(pamh_, code == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR,
                 what + ": " + last_error_text());
        FailureDetails details;
        details.kind = kind;
        details.user = user_;
        details.authority = config_.authority;
        details.seconds = seconds_;
        details.what = what;
        tell_user(failure_message(details));
        return code;
    }

    // `signed_in`: the identity that signed in, when it is a person's and not ours.
    int refuse(const std::string &why, std::string_view signed_in = {}) {
        log_line(pamh_, LOG_NOTICE, why);
        FailureDetails details;
        details.kind = Failure::wrong_account;
        details.user = user_;
        details.signed_in = signed_in;
        tell_user(signed_in.empty() ? "Azure AD sign-in failed: this account may not log in here."
                                    : failure_message(details));
        return PAM_AUTH_ERR;
    }

    void tell_user(const std::string &text) {
        if ((flags_ & PAM_SILENT) == 0) converse(pamh_, {{PAM_ERROR_MSG, text}});
    }

    void debug(const std::string &text) {
        if (config_.debug) log_line(pamh_, LOG_DEBUG, text);
    }

    pam_handle_t *pamh_;
    const ModuleConfig &config_;
    int flags_;
    const char *user_;
    Context context_;
    ClientSocket client_;
    int seconds_ = 0;  ///< the time the person had, for the timed-out message
};

}  // namespace

// Whatever an earlier attempt on this handle, or for this consumer, left goes before a
// new one starts, and nothing survives a failed one (declined, refused, expired): a
// staged token only ever stands for the last sign-in, and only for a successful one.
int sign_in(pam_handle_t *pamh, const ModuleConfig &config, int flags, const char *user) {
    const bool forked = parent_is_forked_host();
    forget_sign_in(pamh);
    if (forked) drop_staged_sign_in(config.runtime_dir, getppid());
    const int rc = SignIn(pamh, config, flags, user).run();
    if (rc != PAM_SUCCESS) {
        forget_sign_in(pamh);
        if (forked) drop_staged_sign_in(config.runtime_dir, getppid());
    }
    return rc;
}

}  // namespace aadcred_pam
