// CredentialProvider's sign-in when no cached or refreshed token will do (issue 11): the
// device code, the browser, or "automatic": the browser when one can be started here,
// else the device code. Whenever the authority's policy refuses the device code
// (Conditional Access, AADSTS53003 and the like) and a browser can be started, the
// browser once; never a loop, and never a browser that already failed to start.

#include "core/adal_error.hpp"
#include "provider/credential_provider.hpp"
#include "util/browser_launcher.hpp"

namespace aadcred {
namespace {

constexpr const char *kCancelled = "Polling_Request_Cancelled";

// Calls Prompter::done on every path once show() was reached.
class DoneGuard {
  public:
    DoneGuard(Prompter &prompter, const UserCodeInfo &code) : prompter_(prompter), code_(code) {}
    ~DoneGuard() {
        try {
            prompter_.done(code_);
        } catch (...) {
            // A front end's clean-up failure must not replace the real outcome.
        }
    }
    DoneGuard(const DoneGuard &) = delete;
    DoneGuard &operator=(const DoneGuard &) = delete;

  private:
    Prompter &prompter_;
    const UserCodeInfo &code_;
};

// The AADSTS codes with which Azure AD refuses a device code sign-in by policy: 53003
// (blocked by Conditional Access), 50199 (user confirmation required), 50097 (device
// authentication required), 530033 / 530034 (the device flow is blocked, per the
// authentication flows policy); `interaction_required` is the OAuth name for the same.
std::string policy_code(const AdalError &e) {
    if (e.klass() != ErrorClass::server) return {};
    for (const char *code :
         {"AADSTS530033", "AADSTS530034", "AADSTS53003", "AADSTS50199", "AADSTS50097"}) {
        if (e.error_description().find(code) != std::string::npos ||
            std::string_view(e.what()).find(code) != std::string_view::npos)
            return code;
    }
    return e.error() == "interaction_required" ? "interaction_required" : std::string();
}

}  // namespace

TokenEntry CredentialProvider::run_sign_in(AuthenticationContext &context, Prompter &prompter,
                                           const Logger &log) {
    if (request_.flow == SignInFlow::browser) {
        try {
            return run_browser_flow(context, prompter, {});
        } catch (const AdalError &e) {
            // Asked for the browser where none starts: a setting to change, not a prompt
            // the caller forbade (the front ends read interaction_required as that).
            if (e.klass() != ErrorClass::interaction_required) throw;
            throw AdalError(ErrorClass::invalid,
                            std::string(e.what()) + "; use the device code sign-in here");
        }
    }
    const bool browser_here = browser_available();
    bool browser_failed = false;
    if (request_.flow == SignInFlow::automatic && browser_here) {
        try {
            return run_browser_flow(context, prompter, {});
        } catch (const AdalError &e) {
            // The launcher found nothing to run after all: the device code still works.
            if (e.klass() != ErrorClass::interaction_required) throw;
            log.info("No browser could be started; signing in with a device code");
            browser_failed = true;
        }
    }
    try {
        return run_device_flow(context, prompter);
    } catch (const AdalError &e) {
        const std::string code = policy_code(e);
        if (code.empty()) throw;
        const std::string plain =
            "The organisation's sign-in policy refused the device code (" + code + ")";
        // One browser attempt at most: a browser that could not start is not tried again.
        if (!browser_here || browser_failed) {
            throw AdalError(ErrorClass::server, plain +
                                                    "; a browser sign-in is needed, and no "
                                                    "browser can be started here: " +
                                                    e.message())
                .with_error(e.error(), e.error_description());
        }
        log.warning(plain + "; continuing in the browser");
        return run_browser_flow(context, prompter, plain + "; continuing in the browser.");
    }
}

TokenEntry CredentialProvider::run_device_flow(AuthenticationContext &context, Prompter &prompter) {
    const UserCodeInfo code = context.acquire_user_code(request_.resource, request_.client_id);
    if (cancelled_) throw AdalError(ErrorClass::cancelled, kCancelled);
    const DoneGuard done(prompter, code);
    if (!prompter.show(code)) throw AdalError(ErrorClass::cancelled, kCancelled);
    {
        // cancel() either saw running_context_ unset and only raised the flag (checked
        // here), or it sees the context and cancels the poll itself.
        std::lock_guard lock(mutex_);
        if (cancelled_) throw AdalError(ErrorClass::cancelled, kCancelled);
        running_context_ = &context;
        running_code_ = code;
    }
    struct Clear {
        CredentialProvider &self;
        ~Clear() {
            std::lock_guard lock(self.mutex_);
            self.running_context_ = nullptr;
            self.running_code_.reset();
        }
    } clear{*this};
    try {
        return context.acquire_token_with_device_code(request_.resource, code, request_.client_id);
    } catch (const AdalError &e) {
        // ADAL's words for the end of the polling deadline name a function, not what
        // happened; the person at the terminal is told (the ADAL API keeps ADAL's text).
        if (e.klass() != ErrorClass::timeout) throw;
        throw AdalError(ErrorClass::timeout, std::string(e.what()) +
                                                 ": the code expired before the sign-in was "
                                                 "completed");
    }
}

TokenEntry CredentialProvider::run_browser_flow(AuthenticationContext &context, Prompter &prompter,
                                                const std::string &note) {
    if (cancelled_ || !prompter.browser(note)) throw AdalError(ErrorClass::cancelled, kCancelled);
    BrowserSignIn how;
    how.open = [](const std::string &url) { return open_in_browser(url); };
    how.cancelled = [this] { return cancelled_.load(); };
    how.login_hint = request_.user_id;
    return context.acquire_token_with_browser(request_.resource, request_.client_id, how);
}

}  // namespace aadcred
