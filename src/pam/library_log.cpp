#include "library_log.hpp"

#include <security/pam_ext.h>
#include <syslog.h>

#include <string>

#include "prompt_text.hpp"

namespace aadcred_pam {
namespace {

int priority_of(aadcred_log_level level) {
    switch (level) {
        case AADCRED_LOG_ERROR:
            return LOG_ERR;
        case AADCRED_LOG_WARNING:
            return LOG_WARNING;
        case AADCRED_LOG_INFO:
            return LOG_INFO;
        default:
            return LOG_DEBUG;
    }
}

// Called on whichever thread logs (the client watcher's cancel too); pam_syslog only
// reads the handle. Lines can quote the authority: cleaned like everything we show.
void to_syslog(aadcred_log_level level, const char *line, void *payload) {
    if (line == nullptr || payload == nullptr) return;
    try {
        const std::string text = "libaadcred: " + clean_text(line, 800);
        pam_syslog(static_cast<pam_handle_t *>(payload), priority_of(level), "%s", text.c_str());
    } catch (...) {  // out of memory: the line is lost, the sign-in goes on
    }
}

}  // namespace

LibraryLogToSyslog::LibraryLogToSyslog(pam_handle_t *pamh, bool debug) noexcept {
    if (aadcred_get_logging_options(&saved_) != 0) return;
    aadcred_logging_options ours = AADCRED_LOGGING_OPTIONS_INIT;
    ours.level = debug ? AADCRED_LOG_VERBOSE : AADCRED_LOG_WARNING;
    ours.callback = to_syslog;
    ours.payload = pamh;
    ours.enable_pii = 0;  // syslog is readable by admins, not only root: no personal data
    installed_ = aadcred_set_logging_options(&ours) == 0;
}

LibraryLogToSyslog::~LibraryLogToSyslog() {
    if (installed_) aadcred_set_logging_options(&saved_);
}

}  // namespace aadcred_pam
