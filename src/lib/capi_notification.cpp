// aadcred_notification: the device code in a desktop notification (provider/
// desktop_notification), for front ends and programs with no terminal.

#include <memory>

#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "provider/desktop_notification.hpp"

struct aadcred_notification {
    std::unique_ptr<aadcred::DesktopNotification> shown;
};

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

}  // namespace

extern "C" {

int aadcred_notification_show(aadcred_notification **out, const aadcred_user_code *code,
                              const char *app_name) {
    return firewall([&] {
        require(out != nullptr, "aadcred_notification_show", "out is NULL");
        *out = nullptr;
        require(code != nullptr, "aadcred_notification_show", "code is NULL");
        aadcred::NotificationContent content;
        content.app_name = app_name != nullptr ? app_name : "aadcred";
        content.user_code = code->info.user_code;
        content.verification_url = code->info.verification_url;
        content.open_url = !code->info.verification_url_complete.empty()
                               ? code->info.verification_url_complete
                               : code->info.verification_url;
        content.expires_in = code->info.expires_in;
        auto shown = aadcred::DesktopNotification::show(content);
        if (!shown) {
            throw aadcred::AdalError(aadcred::ErrorClass::not_found,
                                     "no desktop notification service on the session bus");
        }
        *out = new aadcred_notification{std::move(shown)};
        return 0;
    });
}

int aadcred_notification_close(aadcred_notification *notification) {
    if (notification != nullptr && notification->shown) notification->shown->close();
    return 0;
}

void aadcred_notification_free(aadcred_notification *notification) {
    delete notification;  // the DesktopNotification closes itself
}

}  // extern "C"
