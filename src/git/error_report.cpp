#include "error_report.hpp"

#include "display_text.hpp"

namespace gitcred {

ExitCode exit_for(const aadcred::AdalError &error) noexcept {
    if (error.code() == AADCRED_EINTERACTION_REQUIRED) return kExitInteractionRequired;
    if (error.code() == AADCRED_EINVALID) return kExitUsage;
    return kExitAuthFailed;
}

std::string error_text(const aadcred::AdalError &error) {
    return aadcred::frontend::display_text(error.message(), aadcred::frontend::kErrorBytes);
}

}  // namespace gitcred
