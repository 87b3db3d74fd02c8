// aadcred_context's browser sign-in behind the C ABI (include/aadcred/browser.h): the
// caller's launcher or the library's ($BROWSER, xdg-open), and cancel by context.

#include <chrono>

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/browser_launcher.hpp"

namespace {

using aadcred::capi::context_of;
using aadcred::capi::firewall;
using aadcred::capi::require;

constexpr int kDefaultTimeoutSeconds = 300;

}  // namespace

extern "C" {

int aadcred_browser_available(void) {
    return aadcred::browser_available() ? 1 : 0;
}

int aadcred_context_acquire_token_with_browser(aadcred_token **out, aadcred_context *context,
                                               const char *resource, const char *client_id,
                                               const aadcred_browser_options *options) {
    return firewall([&] {
        const char *fn = "aadcred_context_acquire_token_with_browser";
        require(out != nullptr, fn, "out is NULL");
        auto &ctx = context_of(context, fn);
        require(resource != nullptr && *resource != '\0', fn, "resource is NULL or empty");
        require(client_id != nullptr && *client_id != '\0', fn, "client_id is NULL or empty");
        aadcred_browser_options defaults = AADCRED_BROWSER_OPTIONS_INIT;
        if (options != nullptr) {
            aadcred::capi::require_version(options->version, AADCRED_BROWSER_OPTIONS_VERSION, fn,
                                           "aadcred_browser_options");
            require(options->timeout >= 0, fn, "timeout is negative");
            defaults = *options;
        }
        aadcred::BrowserSignIn how;
        how.timeout =
            std::chrono::seconds(defaults.timeout > 0 ? defaults.timeout : kDefaultTimeoutSeconds);
        if (defaults.open_url != nullptr) {
            how.open = [open = defaults.open_url, data = defaults.user_data](
                           const std::string &url) { return open(url.c_str(), data) == 0; };
        } else {
            how.open = [](const std::string &url) { return aadcred::open_in_browser(url); };
        }
        if (defaults.login_hint != nullptr) how.login_hint = defaults.login_hint;
        std::atomic<unsigned> &cancels = *context->browser_cancels;
        const unsigned started = cancels.load();
        how.cancelled = [&cancels, started] { return cancels.load() != started; };
        aadcred::TokenEntry entry = ctx.acquire_token_with_browser(resource, client_id, how);
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

int aadcred_context_cancel_browser_sign_in(aadcred_context *context) {
    return firewall([&] {
        require(context != nullptr, "aadcred_context_cancel_browser_sign_in", "context is NULL");
        context->browser_cancels->fetch_add(1);
        return 0;
    });
}

}  // extern "C"
