#pragma once
// The device code sign-in in progress: acquire_user_code's result. ADAL for Python
// returns the wire's snake_case dict; the seed document and SPEC promise camelCase, so
// JSON output uses camelCase and JSON input accepts both.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/secret_string.hpp"

namespace aadcred {

/// Bounds on the server's numbers wherever they become points in time: a hostile
/// expires_in or interval near INT64_MAX would overflow std::chrono's nanoseconds (a
/// fuzz finding). A code is never polled for longer than a day, nor more than an hour
/// apart; AAD's codes live 15 minutes and ask for 5 s.
inline constexpr std::int64_t kMaxCodeLifetimeSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxPollIntervalSeconds = 3600;

struct UserCodeInfo {
    std::string user_code;
    SecretString device_code;
    std::string verification_url;           ///< v1 verification_url or RFC 8628 verification_uri
    std::string verification_url_complete;  ///< RFC 8628 verification_uri_complete, optional
    std::int64_t expires_in = 0;            ///< seconds
    std::int64_t interval = 0;              ///< seconds
    std::string message;
    std::string correlation_id;  ///< the client-request-id the server echoed
    /// Wall-clock deadline (seconds since the epoch) computed when the code was issued;
    /// 0 when unknown (read from JSON without it): the poller then uses now + expires_in.
    std::int64_t expires_at = 0;

    /// {"userCode","deviceCode","verificationUrl","expiresIn","interval","message",
    ///  "correlationId"} (+ "expiresAt" so a later device-token keeps the deadline).
    std::string to_json() const;
    /// Accepts camelCase and snake_case keys; numbers as ints or numeric strings.
    /// Throws AdalError(invalid) naming the missing or bad field.
    static UserCodeInfo from_json(std::string_view json);
};

}  // namespace aadcred
