#pragma once
// Which server git asks about: protocol, host[:port], path and username of a credential
// description, checked, and turned back into the URL that `git config --get-urlmatch`
// matches against `credential.<url>.*` sections.

#include <optional>
#include <string>

#include "credential_protocol.hpp"

namespace gitcred {

struct Target {
    std::string protocol;  ///< lower-case ("https")
    std::string host;      ///< as git sent it, with the port ("127.0.0.1:8443")
    std::string hostname;  ///< lower-case, no port, no IPv6 brackets ("127.0.0.1", "::1")
    std::string path;      ///< decoded repository path, empty unless credential.useHttpPath
    std::string username;  ///< empty when git knows none

    /// protocol://[user@]host[/path], percent-encoded where URLs need it.
    std::string url() const;
    /// localhost, 127.0.0.0/8 or ::1: the only hosts plain http may be used with.
    bool is_loopback() const;
};

/// The target of a description, or nullopt when it names none we could serve: a missing
/// protocol or host is "no match", never a wildcard (SPEC §5); a host with characters no
/// host name has is refused the same way.
std::optional<Target> target_from(const Credential &credential);

}  // namespace gitcred
