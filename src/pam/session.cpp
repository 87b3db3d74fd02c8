#include "session.hpp"

#include <unistd.h>

#include "handover_files.hpp"
#include "pam_data.hpp"
#include "pam_log.hpp"
#include "prompt_text.hpp"
#include "wiped_string.hpp"

namespace aadcred_pam {
namespace {

// Hand over only to the account whose identity authenticate verified: sudo (and any
// host) may set PAM_USER to someone else between authenticate and open_session ("sudo
// -u bob" after alice signed in), and alice's tokens must not become bob's. The name
// and the uid must both still be those of the sign-in.
bool same_account(pam_handle_t *pamh, const std::string &signed_in, std::optional<uid_t> uid,
                  const char *user, const LocalUser &local) {
    if (signed_in == user && uid && *uid == local.uid) return true;
    log_line(pamh, LOG_NOTICE,
             "PAM_USER is " + clean_text(user, 64) + " but " + clean_text(signed_in, 64) +
                 " signed in: nothing handed over");
    return false;
}

}  // namespace

int open_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user) {
    // sshd: its forked authentication child staged the sign-in for this process. Taken
    // (deleted) whatever happens next, so it cannot wait for another session.
    StagedSignIn staged_who;
    WipedString staged;
    std::string error;
    const bool have_staged =
        take_staged_sign_in(config.runtime_dir, getpid(), staged_who, staged.str(), error);
    if (!error.empty()) log_line(pamh, LOG_WARNING, "staged hand-over ignored: " + error);

    const auto local = find_local_user(user);
    if (!local) {
        forget_handover(pamh);
        log_line(pamh, LOG_ERR, "no local account " + clean_text(user, 64));
        return PAM_SESSION_ERR;
    }
    // Same process (login, gdm, su, sudo): the handle has it.
    const auto here = sign_in_here(pamh);
    const std::string *json = nullptr;
    if (here && here->handover != nullptr) {
        if (same_account(pamh, here->user, here->uid, user, *local)) json = here->handover;
    } else if (have_staged) {
        if (same_account(pamh, staged_who.user, staged_who.uid, user, *local)) json = &staged.str();
    }
    if (!config.sso || json == nullptr) {
        forget_handover(pamh);
        return PAM_IGNORE;
    }

    std::string where;
    FileId file;
    const bool written = write_handover(config.runtime_dir, *local, *json, where, error, file);
    forget_handover(pamh);  // json may point into the handle's copy: not used below
    if (!written) {
        log_line(pamh, LOG_ERR, "single sign-on hand-over failed: " + error);
        return PAM_SESSION_ERR;
    }
    remember_handover_file(pamh, file);  // without it, close_session leaves the file
    if (config.debug) log_line(pamh, LOG_DEBUG, "tokens handed over in " + where);
    return PAM_SUCCESS;
}

int close_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user) {
    const auto local = find_local_user(user);
    if (!local || !config.sso) return PAM_IGNORE;
    // Only what this session's open_session wrote, and only while it is still that file.
    const auto written = handover_file(pamh);
    if (!written || !remove_handover(config.runtime_dir, *local, *written)) return PAM_IGNORE;
    if (config.debug) log_line(pamh, LOG_DEBUG, "removed a hand-over the session never used");
    return PAM_SUCCESS;
}

}  // namespace aadcred_pam
