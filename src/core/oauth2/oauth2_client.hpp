#pragma once
// ADAL's OAuth2Client: the token and device code endpoints, their replies turned into
// token entries and user code info, and ADAL's error texts (reference §2.3, §3.1, §4).

#include <chrono>
#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "core/oauth2/authority.hpp"
#include "core/oauth2/token_entry.hpp"
#include "core/oauth2/user_code_info.hpp"
#include "util/log.hpp"

namespace aadcred {

/// RFC 8628 §3.5 and ADAL's default when a device code reply has no interval.
inline constexpr std::int64_t kDefaultPollInterval = 5;

/// For v2 and OpenID Connect: `scopes` plus whichever of "openid profile offline_access"
/// is missing, so the reply carries an id_token (who signed in) and a refresh token
/// (silent renewal). Azure AD v1 grants both without asking.
std::string with_sign_in_scopes(std::string_view scopes);

class OAuth2Client {
  public:
    /// @param log its component should be "OAuth2Client"; its correlation id is sent as
    ///            client-request-id
    OAuth2Client(HttpTransport &transport, Logger log)
        : transport_(transport), log_(std::move(log)) {}

    /// POSTs a form to a token endpoint (ADAL's get_token). 2xx: the parsed token entry.
    /// Otherwise AdalError "Get Token request returned http error: <status>[ and server
    /// response: <body>]" (server class for 4xx, network for 5xx/429), logged at
    /// `refusal_level` for a 4xx refusal and at error for 5xx/429.
    /// @param refusal_level lower than error where the caller has a way out of a refusal
    ///        (a refused silent refresh leads to a new sign-in; issue 11)
    TokenEntry get_token(const std::string &url, const SecretString &body,
                         LogLevel refusal_level = LogLevel::error);

    /// POSTs to the device code endpoint (ADAL's get_user_code_info) and validates the
    /// reply: "wire_response is missing <field>" for expires_in, device_code, user_code.
    UserCodeInfo get_user_code_info(
        const std::string &url, const SecretString &body,
        std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    /// One form POST, returned whatever the status (the device code poller reads it).
    HttpResponse post(const std::string &url, const SecretString &body, std::string_view operation);

    /// A 2xx token reply as a token entry; junk becomes AdalError(protocol), never a crash.
    TokenEntry parse_token(const HttpResponse &response) const;

    const Logger &log() const noexcept { return log_; }

  private:
    HttpTransport &transport_;
    Logger log_;
};

}  // namespace aadcred
