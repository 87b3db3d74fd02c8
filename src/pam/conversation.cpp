#include "conversation.hpp"

#include <stdlib.h>
#include <string.h>

#include <memory>

namespace aadcred_pam {
namespace {

constexpr std::size_t kMaxMessages = 8;

// Linux-PAM hands back malloc'd answers; the "press Enter" answer is nothing, but an
// application may send whatever the person typed, so every answer is wiped.
void free_responses(pam_response *responses, std::size_t count) noexcept {
    if (responses == nullptr) return;
    for (std::size_t i = 0; i < count; ++i) {
        if (responses[i].resp != nullptr) {
            explicit_bzero(responses[i].resp, strlen(responses[i].resp));
            free(responses[i].resp);
        }
    }
    free(responses);
}

}  // namespace

int converse(pam_handle_t *pamh, const std::vector<Message> &messages) {
    if (messages.empty() || messages.size() > kMaxMessages) return PAM_CONV_ERR;
    const void *item = nullptr;
    if (pam_get_item(pamh, PAM_CONV, &item) != PAM_SUCCESS || item == nullptr) return PAM_CONV_ERR;
    const auto *conv = static_cast<const pam_conv *>(item);
    if (conv->conv == nullptr) return PAM_CONV_ERR;

    // One array of messages and one array of pointers into it, so both readings of the
    // msg argument (Linux-PAM's array of pointers, Solaris' pointer to an array) work.
    std::vector<pam_message> storage(messages.size());
    std::vector<const pam_message *> pointers(messages.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
        storage[i].msg_style = messages[i].style;
        storage[i].msg = messages[i].text.c_str();
        pointers[i] = &storage[i];
    }
    pam_response *responses = nullptr;
    const int rc = conv->conv(static_cast<int>(messages.size()), pointers.data(), &responses,
                              conv->appdata_ptr);
    free_responses(responses, messages.size());
    return rc == PAM_SUCCESS ? PAM_SUCCESS : PAM_CONV_ERR;
}

}  // namespace aadcred_pam
