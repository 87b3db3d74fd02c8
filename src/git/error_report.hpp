#pragma once
// How the helper reports a failed libaadcred call: the status it exits with (git_exit.hpp)
// and the line it says on stderr. One place, so every action maps the library's
// aadcred::AdalError the same way.

#include <string>
#include <string_view>

#include <aadcred/aadcred.hpp>

#include "git_exit.hpp"

namespace gitcred {

/// The exit status for a failed call: kExitInteractionRequired for
/// AADCRED_EINTERACTION_REQUIRED, kExitUsage for AADCRED_EINVALID, else kExitAuthFailed.
ExitCode exit_for(const aadcred::AdalError &error) noexcept;

/// The library's message, sanitised like the prompt: it can quote the server's reply.
std::string error_text(const aadcred::AdalError &error);

/// What to configure for `remote` (protocol://host) when a setting cures the failure whose
/// aadcred_error.error is `error`: an
/// untrusted CA (credential.<remote>.aadcredCaFile), an authority instance discovery
/// refuses (credential.<remote>.aadcredValidateAuthority); else empty.
std::string setting_hint(std::string_view error, const std::string &remote);

}  // namespace gitcred
