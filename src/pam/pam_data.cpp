#include "pam_data.hpp"

#include <memory>

#include "handles.hpp"

namespace aadcred_pam {
namespace {

constexpr const char *kUserKey = "aadcred_pam.user";
constexpr const char *kHandoverKey = "aadcred_pam.handover";

// Called by pam_end and by pam_set_data replacing a value; must not throw.
void free_wiped(pam_handle_t *, void *data, int) noexcept {
    std::unique_ptr<WipedString> owned(static_cast<WipedString *>(data));
}

int set_wiped(pam_handle_t *pamh, const char *key, std::string_view value) {
    auto copy = std::make_unique<WipedString>(value);
    const int rc = pam_set_data(pamh, key, copy.get(), free_wiped);
    if (rc == PAM_SUCCESS) copy.release();  // the handle owns it now
    return rc;
}

const WipedString *get_wiped(pam_handle_t *pamh, const char *key) {
    const void *data = nullptr;
    if (pam_get_data(pamh, key, &data) != PAM_SUCCESS || data == nullptr) return nullptr;
    return static_cast<const WipedString *>(data);
}

}  // namespace

int remember_sign_in(pam_handle_t *pamh, std::string_view user, std::string_view handover) {
    const int rc = set_wiped(pamh, kUserKey, user);
    if (rc != PAM_SUCCESS || handover.empty()) return rc;
    return set_wiped(pamh, kHandoverKey, handover);
}

bool signed_in_here(pam_handle_t *pamh, std::string_view user) {
    const WipedString *who = get_wiped(pamh, kUserKey);
    return who != nullptr && who->str() == user;
}

const std::string *handover_here(pam_handle_t *pamh) {
    const WipedString *data = get_wiped(pamh, kHandoverKey);
    return data != nullptr && !data->str().empty() ? &data->str() : nullptr;
}

void forget_handover(pam_handle_t *pamh) {
    // pam_set_data with NULL replaces the value and runs the old value's cleanup.
    pam_set_data(pamh, kHandoverKey, nullptr, nullptr);
}

}  // namespace aadcred_pam
