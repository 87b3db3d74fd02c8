#pragma once
// WWW-Authenticate challenges (RFC 9110 §11.6.1) as git forwards them in wwwauth[] (one
// header value each; a value may hold several challenges separated by commas): the
// Azure DevOps tenant (authorization_uri) and claims challenges (Continuous Access
// Evaluation: `Bearer error="insufficient_claims", claims="<base64 JSON>"`).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gitcred {

/// One challenge: its scheme and its auth-params in order (a token68 has no params).
struct Challenge {
    std::string scheme;
    std::vector<std::pair<std::string, std::string>> params;

    /// The value of the param `name` (compared ignoring ASCII case), if present.
    std::optional<std::string_view> param(std::string_view name) const;
    /// True for the scheme `name` (compared ignoring ASCII case).
    bool is(std::string_view name) const;
};

/// The challenges of one header value. Quoted values are unescaped; unquoted values run
/// to the next comma (Azure DevOps sends URLs unquoted). Parsing stops at the first
/// thing no challenge can hold, keeping what came before.
std::vector<Challenge> parse_challenges(std::string_view header_value);

/// The `claims` of the first Bearer challenge that has non-empty ones, as sent (base64
/// or JSON; the library reads both), in git's order of wwwauth[].
std::optional<std::string> claims_from_challenges(const std::vector<std::string_view> &wwwauth);

}  // namespace gitcred
