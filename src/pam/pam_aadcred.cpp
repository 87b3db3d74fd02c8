// The PAM service functions, and nothing else exported (pam_aadcred.map). Each is an
// exception firewall: no C++ exception may unwind into sshd, login or gdm. No static
// mutable state: everything lives on the stack or on the PAM handle.

#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <syslog.h>

#include <new>
#include <string>
#include <variant>

#include "handover_files.hpp"
#include "library_log.hpp"
#include "module_config.hpp"
#include "pam_config_file.hpp"
#include "pam_data.hpp"
#include "pam_log.hpp"
#include "prompt_text.hpp"
#include "session.hpp"
#include "sign_in.hpp"

#define AADCRED_PAM_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using aadcred_pam::ModuleConfig;

// Parses the arguments (and the config= file) and PAM_USER, then runs `body`. A bad line
// or file is PAM_SERVICE_ERR with a syslog line naming the argument or the file's line
// (SPEC §6).
template <typename Body>
int guarded(pam_handle_t *pamh, int argc, const char **argv, Body &&body) noexcept {
    try {
        auto parsed = aadcred_pam::load_configuration(argc, argv);
        if (const auto *error = std::get_if<aadcred_pam::ConfigError>(&parsed)) {
            aadcred_pam::log_line(pamh, LOG_ERR, "bad module arguments: " + error->message);
            return PAM_SERVICE_ERR;
        }
        const ModuleConfig &config = std::get<ModuleConfig>(parsed);
        aadcred_pam::set_quiet(pamh, config.quiet);
        const char *user = nullptr;
        const int rc = pam_get_user(pamh, &user, nullptr);
        if (rc != PAM_SUCCESS) return rc;
        if (user == nullptr || *user == '\0') return PAM_USER_UNKNOWN;
        return body(config, user);
    } catch (const std::bad_alloc &) {
        return PAM_BUF_ERR;
    } catch (...) {
        pam_syslog(pamh, LOG_CRIT, "internal error");
        return PAM_SERVICE_ERR;
    }
}

}  // namespace

AADCRED_PAM_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
                                           const char **argv) {
    return guarded(pamh, argc, argv, [&](const ModuleConfig &config, const char *user) {
        if (const auto missing = aadcred_pam::check_for_authentication(config)) {
            aadcred_pam::log_line(pamh, LOG_ERR, "bad module arguments: " + missing->message);
            return PAM_SERVICE_ERR;
        }
        // Before any request: a scanner trying names must not make the host mint device
        // codes (and fill the authority's logs) for accounts that cannot log in anyway.
        if (!aadcred_pam::find_local_user(user)) {
            aadcred_pam::log_line(
                pamh, LOG_NOTICE,
                "no local account " + aadcred_pam::clean_text(user, 64) + ": no sign-in started");
            return PAM_USER_UNKNOWN;
        }
        const aadcred_pam::LibraryLogToSyslog library_log(pamh, config.debug);
        return aadcred_pam::sign_in(pamh, config, flags, user);
    });
}

// No credentials to establish beyond the hand-over, which open_session writes once the
// session exists. setcred decides nothing (libpam calls it only after the auth stack
// succeeded), and sshd calls it in its monitor, which never ran our authenticate (that
// was a forked child): PAM_IGNORE there would leave an Entra-only stack with nothing but
// PAM_IGNORE, which libpam turns into "Permission denied" after a good sign-in.
AADCRED_PAM_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int, int argc, const char **argv) {
    return guarded(pamh, argc, argv,
                   [&](const ModuleConfig &, const char *) { return PAM_SUCCESS; });
}

// Azure AD said who the person is; whether that account may log in here is the local
// account database's call. We insist only that the account exists.
AADCRED_PAM_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int, int argc, const char **argv) {
    return guarded(pamh, argc, argv, [&](const ModuleConfig &config, const char *user) {
        if (!aadcred_pam::find_local_user(user)) {
            if (config.debug) aadcred_pam::log_line(pamh, LOG_DEBUG, "no local account");
            return PAM_USER_UNKNOWN;
        }
        return aadcred_pam::signed_in_here(pamh, user) ? PAM_SUCCESS : PAM_IGNORE;
    });
}

AADCRED_PAM_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int, int argc, const char **argv) {
    return guarded(pamh, argc, argv, [&](const ModuleConfig &config, const char *user) {
        return aadcred_pam::open_session(pamh, config, user);
    });
}

AADCRED_PAM_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int, int argc, const char **argv) {
    return guarded(pamh, argc, argv, [&](const ModuleConfig &config, const char *user) {
        return aadcred_pam::close_session(pamh, config, user);
    });
}
