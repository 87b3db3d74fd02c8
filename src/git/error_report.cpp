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

std::string setting_hint(std::string_view error, const std::string &remote) {
    // The library names the cause (issue 11); which git setting cures it is ours to say.
    const std::string section = "credential." + remote;
    if (error == AADCRED_ERROR_TLS_UNTRUSTED_CA) {
        return "the authority's certificate is signed by a CA that is not trusted here: for a "
               "private CA, git config " +
               section + ".aadcredCaFile /path/to/ca.pem";
    }
    if (error == AADCRED_ERROR_INVALID_INSTANCE) {
        return "instance discovery does not know the authority's host: if you trust that "
               "host, git config " +
               section + ".aadcredValidateAuthority false";
    }
    return {};
}

}  // namespace gitcred
