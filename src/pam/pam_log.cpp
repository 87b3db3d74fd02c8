#include "pam_log.hpp"

#include <aadcred/aadcred.h>
#include <security/pam_modules.h>

#include "prompt_text.hpp"

namespace aadcred_pam {
namespace {

constexpr const char *kQuietKey = "aadcred_pam_quiet";
// Its address marks the handle; nothing ever writes it.
char quiet_marker = 1;

}  // namespace

void set_quiet(pam_handle_t *pamh, bool quiet) noexcept {
    pam_set_data(pamh, kQuietKey, quiet ? &quiet_marker : nullptr, nullptr);
}

bool is_quiet(pam_handle_t *pamh) noexcept {
    const void *data = nullptr;
    return pam_get_data(pamh, kQuietKey, &data) == PAM_SUCCESS && data == &quiet_marker;
}

std::string last_error_text() {
    const aadcred_error *e = aadcred_error_last();
    if (e == nullptr || e->message == nullptr) return "unknown error";
    std::string text = clean_text(e->message, 400);
    if (e->error != nullptr) text += " [" + clean_text(e->error, 64) + "]";
    return text;
}

}  // namespace aadcred_pam
