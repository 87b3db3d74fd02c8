// The device code sign-in for PAM, through the public C++ API (aadcred.hpp). Polling
// waits until the person has pressed Enter, so nothing runs beside the conversation; the
// deadline goes to the library's poller as a device flow option, a wall-clock limit. The
// one thread besides the host's watches the person's connection during the poll
// (client_watch.hpp) and is joined before the poll's result is used. Every library call
// that throws is caught here: its AdalError becomes a PAM code and a syslog line.

#include "sign_in.hpp"

#include <limits.h>
#include <unistd.h>

#include <aadcred/aadcred.hpp>
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include "client_watch.hpp"
#include "conversation.hpp"
#include "failure_text.hpp"
#include "handover_files.hpp"
#include "identity_match.hpp"
#include "key_cache_setup.hpp"
#include "pam_data.hpp"
#include "pam_log.hpp"
#include "prompt_text.hpp"
#include "qr_text.hpp"
#include "wiped_string.hpp"

namespace aadcred_pam {
namespace {

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

aadcred::ContextOptions context_options(const ModuleConfig &c) {
    aadcred::ContextOptions options;
    options.api = static_cast<aadcred::Api>(c.api);
    options.ca_file = c.ca_file;
    options.validate_authority = c.validate_authority;
    options.instance_discovery = c.instance_discovery;
    return options;
}

class SignIn {
  public:
    SignIn(pam_handle_t *pamh, const ModuleConfig &config, int flags, const char *user)
        : pamh_(pamh), config_(config), flags_(flags), user_(user) {}

    int run() {
        // Before the module opens connections of its own (client_watch.hpp).
        client_ = ClientSocket::find(remote_host(pamh_).c_str());
        try {
            context_.emplace(config_.authority, context_options(config_));
        } catch (const aadcred::AdalError &e) {
            return fail(e, "the authority is not usable");
        }

        const std::string scopes = request_scopes(config_);
        debug("asking " + clean_text(config_.authority, 200) + " for a device code");
        std::optional<aadcred::UserCodeInfo> code;
        try {
            code.emplace(context_->acquire_user_code(scopes, config_.client_id));
        } catch (const aadcred::AdalError &e) {
            return fail(e, "cannot start the device code sign-in");
        }

        const int expires_in = code->expires_in();
        const int seconds =
            expires_in > 0 ? std::min(expires_in, config_.timeout) : config_.timeout;
        const auto deadline =
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
            std::chrono::seconds(seconds);
        seconds_ = seconds;
        debug("code issued; the person has " + std::to_string(seconds) + " s");
        if (const int rc = show_code(*code, seconds); rc != PAM_SUCCESS) return rc;
        debug("polling until the deadline");

        std::optional<aadcred::Token> token;
        try {
            token = poll_while_the_client_is_here(scopes, *code, deadline);
        } catch (const aadcred::AdalError &e) {
            return fail(e, "the sign-in did not complete");
        }
        if (!token) return PAM_CONV_ERR;
        debug("token received; verifying the id_token");
        return check_identity(*token);
    }

  private:
    // Polls; when the person's connection closes meanwhile, the poll is cancelled at once
    // rather than left running to the deadline for nobody (nullopt then).
    std::optional<aadcred::Token> poll_while_the_client_is_here(const std::string &scopes,
                                                                const aadcred::UserCodeInfo &code,
                                                                std::chrono::sys_seconds deadline) {
        // On the watcher's thread: nothing may escape it, and a failure (the poll has not
        // started yet) means "again in a moment".
        const ClientWatch watch(client_, [&]() noexcept {
            try {
                context_->cancel_request_to_get_token_with_device_code(code);
                return true;
            } catch (...) {
                return false;
            }
        });
        aadcred::AuthenticationContext::DeviceFlowOptions options;
        options.deadline = deadline;
        try {
            return context_->acquire_token_with_device_code(scopes, code, config_.client_id,
                                                            options);
        } catch (const aadcred::AdalError &) {
            if (!watch.gone()) throw;
            log_line(pamh_, LOG_NOTICE, "the client closed the connection: polling stopped");
            return std::nullopt;
        }
    }

    int show_code(const aadcred::UserCodeInfo &code, int seconds) {
        const std::string host = host_name();
        const std::string rhost = remote_host(pamh_);
        SignInDetails details{user_,  host, rhost, code.verification_url(), code.user_code(),
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

    int check_identity(const aadcred::Token &token) {
        aadcred::IdentityOptions options;
        options.client_id = config_.client_id;
        options.allowed_tenants = config_.allowed_tenants;
        // A warm host's login then asks the authority for the code and the token only.
        options.key_cache_dir = prepare_key_cache(pamh_, config_.key_cache);
        std::optional<aadcred::Identity> identity;
        try {
            identity.emplace(context_->verify_id_token(token, options));
        } catch (const aadcred::AdalError &e) {
            return fail(e, "the id_token was not accepted");
        }
        // The library refuses a claim holding a NUL or another control character:
        // "alice\u0000@evil.example" must not become "alice" (aadcred.h).
        std::optional<std::string_view> claim;
        try {
            claim = identity->claim(config_.user_claim);
        } catch (const aadcred::AdalError &e) {
            return refuse(no_usable_claim() + ": " + error_text(e));
        }
        if (!claim) return refuse(no_usable_claim());
        const std::string name(*claim);
        const MatchResult match = match_identity(name, config_.domain, user_);
        if (!match.ok)
            return refuse("identity " + clean_text(name, 128) + " refused for user " +
                              clean_text(user_, 64) + ": " + match.why,
                          name);
        std::optional<std::string_view> tid;
        try {
            tid = identity->claim("tid");
        } catch (const aadcred::AdalError &) {
            // An unusable tid only leaves the tenant out of the line below.
        }
        log_line(pamh_, LOG_INFO,
                 "user " + clean_text(user_, 64) + " signed in as " + clean_text(name, 128) +
                     (tid ? " (tenant " + clean_text(*tid, 64) + ")" : ""));
        return keep_for_session(token);
    }

    std::string no_usable_claim() const {
        return "the verified id_token has no usable " + config_.user_claim + " claim";
    }

    // The token goes to the session for single sign-on (docs/pam-sso.md): on the handle
    // for same-process stacks, and, when sshd's monitor forked us to authenticate, staged
    // root-only for that monitor, the one process that will open this login's session.
    int keep_for_session(const aadcred::Token &token) {
        WipedString handover;
        if (config_.sso) {
            try {
                const aadcred::SecretString json = token.to_json();
                handover.str().reserve(json.view().size() + 3);
                handover.str().append("[").append(json.view()).append("]");
            } catch (const aadcred::AdalError &) {
                // No hand-over: the login goes on without single sign-on.
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

    int fail(const aadcred::AdalError &error, const std::string &what) {
        const int code = pam_code_for(error.code());
        log_line(pamh_, code == PAM_AUTH_ERR ? LOG_NOTICE : LOG_ERR,
                 what + ": " + error_text(error));
        FailureDetails details;
        details.kind = classify_failure(error);
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
    std::optional<aadcred::AuthenticationContext> context_;
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
