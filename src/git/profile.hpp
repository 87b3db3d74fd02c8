#pragma once
// From a credential description to the account to sign in with: target checks (https,
// loopback-only http), per-URL settings, Azure DevOps defaults, and the username rules.

#include <optional>
#include <string>

#include <aadcred/aadcred.hpp>

#include "credential_protocol.hpp"
#include "target.hpp"

namespace gitcred {

/// Everything a credential request needs, and what the helper does with the answer.
struct Profile {
    Target target;
    std::string authority;
    std::string client_id;
    std::string resource;  ///< v1
    std::string scopes;    ///< v2 and oidc
    std::string ca_file;   ///< empty: the system's CAs
    std::string store;     ///< empty: auto
    aadcred_api api = AADCRED_API_V1;
    /// aadcredFlow: the browser at a desktop, else the device code, by default.
    aadcred_sign_in_flow flow = AADCRED_FLOW_AUTO;
    bool validate_authority = true;
    bool qr = false;  ///< aadcredQr: the prompt draws the page as a QR code
    /// The account to use (an upn); empty: the only one cached, never a guess.
    std::string user_id;
    /// What git asked for or config names; echoed in the reply when set.
    std::string username;

    /// The provider's request for this account; prompting and min_validity are the
    /// action's to set.
    aadcred::CredentialProvider::Request request() const;
};

enum class Resolution {
    kNoMatch,  ///< not ours: print nothing, exit 0 (`message` may explain on stderr)
    kError,    ///< configuration error: `message` on stderr
    kOk,       ///< `profile` is set
};

struct ResolveResult {
    Resolution kind = Resolution::kNoMatch;
    std::string message;
    std::optional<Profile> profile;
};

/// Decides whether and how this helper serves `credential`. Runs `git config` for https
/// (and http) targets only.
ResolveResult resolve_profile(const Credential &credential);

}  // namespace gitcred
