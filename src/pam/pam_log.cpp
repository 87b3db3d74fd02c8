#include "pam_log.hpp"

#include <aadcred/aadcred.h>

#include "prompt_text.hpp"

namespace aadcred_pam {

std::string last_error_text() {
    const aadcred_error *e = aadcred_error_last();
    if (e == nullptr || e->message == nullptr) return "unknown error";
    std::string text = clean_text(e->message, 400);
    if (e->error != nullptr) text += " [" + clean_text(e->error, 64) + "]";
    return text;
}

}  // namespace aadcred_pam
