#pragma once
// application/x-www-form-urlencoded (a redirect URI's query) back into names and values:
// what the browser brings back to the loopback redirect (RFC 6749 §4.1.2).

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/secret_string.hpp"

namespace aadcred {

/// `a=1&b=x%20y+z` as {"a": "1", "b": "x y z"}. Values are SecretStrings: one of them is
/// an authorization code. nullopt for a malformed escape (%G1, a cut %4), a NUL byte, a
/// name given twice (a second `state` or `code` smuggled in must not pick the winner) or
/// an empty name. Empty pairs (`a=1&&b=2`) are skipped, as browsers produce them.
std::optional<std::map<std::string, SecretString>> form_decode(std::string_view text);

}  // namespace aadcred
