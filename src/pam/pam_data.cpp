#include "pam_data.hpp"

#include <memory>

#include "handover_files.hpp"
#include "wiped_string.hpp"

namespace aadcred_pam {
namespace {

constexpr const char *kSignInKey = "aadcred_pam.sign_in";

struct Record {
    WipedString user;
    std::optional<uid_t> uid;
    WipedString handover;
    std::string staged_runtime_dir;
    pid_t staged_for = 0;  // 0: nothing staged

    void drop_staged() noexcept {
        if (staged_for == 0) return;
        try {
            drop_staged_sign_in(staged_runtime_dir, staged_for);
        } catch (...) {  // out of memory in a cleanup: the copy goes stale instead
        }
        staged_for = 0;
    }
};

// Called by pam_end, and by pam_set_data replacing or removing the value; must not throw.
// A forked child ending its copy of the handle says so with PAM_DATA_SILENT: the staged
// copy is then its parent's to take, not ours to delete.
void free_record(pam_handle_t *, void *data, int status) noexcept {
    std::unique_ptr<Record> owned(static_cast<Record *>(data));
    if ((status & PAM_DATA_SILENT) == 0) owned->drop_staged();
}

Record *get_record(pam_handle_t *pamh) {
    const void *data = nullptr;
    if (pam_get_data(pamh, kSignInKey, &data) != PAM_SUCCESS || data == nullptr) return nullptr;
    // Ours, allocated non-const in remember_sign_in; libpam only hands it back as const.
    return const_cast<Record *>(static_cast<const Record *>(data));
}

}  // namespace

int remember_sign_in(pam_handle_t *pamh, std::string_view user, std::optional<uid_t> uid,
                     std::string_view handover) {
    auto record = std::make_unique<Record>();
    record->user.str() = user;
    record->uid = uid;
    record->handover.str() = handover;
    const int rc = pam_set_data(pamh, kSignInKey, record.get(), free_record);
    if (rc == PAM_SUCCESS) record.release();  // the handle owns it now
    return rc;
}

void remember_staged(pam_handle_t *pamh, const std::string &runtime_dir, pid_t consumer) {
    Record *record = get_record(pamh);
    if (record == nullptr) return;
    record->staged_runtime_dir = runtime_dir;
    record->staged_for = consumer;
}

bool signed_in_here(pam_handle_t *pamh, std::string_view user) {
    const Record *record = get_record(pamh);
    return record != nullptr && record->user.str() == user;
}

std::optional<SignInHere> sign_in_here(pam_handle_t *pamh) {
    const Record *record = get_record(pamh);
    if (record == nullptr) return std::nullopt;
    const std::string &json = record->handover.str();
    return SignInHere{record->user.str(), record->uid, json.empty() ? nullptr : &json};
}

void forget_handover(pam_handle_t *pamh) {
    Record *record = get_record(pamh);
    if (record == nullptr) return;
    record->drop_staged();
    WipedString gone;
    gone.str().swap(record->handover.str());  // wiped as `gone` goes
}

namespace {

constexpr const char *kHandoverFileKey = "aadcred_pam.handover_file";

void free_file_id(pam_handle_t *, void *data, int) noexcept {
    delete static_cast<FileId *>(data);
}

}  // namespace

int remember_handover_file(pam_handle_t *pamh, const FileId &written) {
    auto id = std::make_unique<FileId>(written);
    const int rc = pam_set_data(pamh, kHandoverFileKey, id.get(), free_file_id);
    if (rc == PAM_SUCCESS) id.release();  // the handle owns it now
    return rc;
}

std::optional<FileId> handover_file(pam_handle_t *pamh) {
    const void *data = nullptr;
    if (pam_get_data(pamh, kHandoverFileKey, &data) != PAM_SUCCESS || data == nullptr) {
        return std::nullopt;
    }
    return *static_cast<const FileId *>(data);
}

void forget_sign_in(pam_handle_t *pamh) {
    // pam_set_data with NULL replaces the value and runs the old value's cleanup.
    if (get_record(pamh) != nullptr) pam_set_data(pamh, kSignInKey, nullptr, nullptr);
}

}  // namespace aadcred_pam
