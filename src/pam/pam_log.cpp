#include "pam_log.hpp"

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

std::string error_text(const aadcred::AdalError &error) {
    if (error.message().empty()) return "unknown error";
    std::string text = clean_text(error.message(), 400);
    if (!error.error().empty()) text += " [" + clean_text(error.error(), 64) + "]";
    // The administrator reads this: name the module argument that cures the cause.
    if (error.error() == AADCRED_ERROR_TLS_UNTRUSTED_CA) {
        text += "; for a private CA, pass its PEM file with ca_file=";
    } else if (error.error() == AADCRED_ERROR_INVALID_INSTANCE) {
        text +=
            "; for an authority host instance discovery does not know, pass "
            "validate_authority=false (or instance_discovery=URL)";
    }
    return text;
}

}  // namespace aadcred_pam
