#include "session.hpp"

#include "handles.hpp"
#include "handover_files.hpp"
#include "pam_data.hpp"
#include "pam_log.hpp"
#include "prompt_text.hpp"

namespace aadcred_pam {

int open_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user) {
    const auto local = find_local_user(user);
    if (!local) {
        log_line(pamh, LOG_ERR, "no local account " + clean_text(user, 64));
        return PAM_SESSION_ERR;
    }
    // Same process (login, gdm, su): the handle has it. sshd: its forked authentication
    // child staged it. Either way the staged copy is consumed now.
    WipedString staged;
    std::string error;
    const bool have_staged = take_staged_token(config.runtime_dir, local->uid, staged.str(), error);
    if (!error.empty()) log_line(pamh, LOG_WARNING, "staged hand-over ignored: " + error);
    const std::string *here = handover_here(pamh);
    const std::string *json = here != nullptr ? here : have_staged ? &staged.str() : nullptr;
    if (!config.sso || json == nullptr) return PAM_IGNORE;

    std::string where;
    const bool written = write_handover(config.runtime_dir, *local, *json, where, error);
    forget_handover(pamh);  // json may point into the handle's copy: not used below
    if (!written) {
        log_line(pamh, LOG_ERR, "single sign-on hand-over failed: " + error);
        return PAM_SESSION_ERR;
    }
    if (config.debug) log_line(pamh, LOG_DEBUG, "tokens handed over in " + where);
    return PAM_SUCCESS;
}

int close_session(pam_handle_t *pamh, const ModuleConfig &config, const char *user) {
    const auto local = find_local_user(user);
    if (!local || !config.sso) return PAM_IGNORE;
    if (!remove_handover(config.runtime_dir, *local)) return PAM_IGNORE;
    if (config.debug) log_line(pamh, LOG_DEBUG, "removed a hand-over the session never used");
    return PAM_SUCCESS;
}

}  // namespace aadcred_pam
