#pragma once
// AdalError: ADAL's exception, with the raw server reply (error_response) and the fields
// the C ABI reports through aadcred_error_last(). Messages follow ADAL's texts, e.g.
// "Get Token request returned http error: 400 and server response: {...}".

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aadcred {

/// What of a server's reply may be kept in an error (error_response, message): errors end
/// up on terminals, in --json output and in logs, so never a token. A JSON object or array
/// without secret members is kept as it came; one with them is re-written with each
/// secret value (access_token, refresh_token, id_token, device_code, at any depth) as
/// "...". A body that is not JSON is kept only when nothing in it looks like a token (no
/// secret member name, no JWT, not the start of a JSON document, e.g. a proxy's HTML
/// page); otherwise "the reply was not valid JSON (N bytes)".
std::string error_body_without_secrets(std::string_view body);

/// The `error` of failures that carry no OAuth error but tell the caller which setting
/// would help (the C ABI's AADCRED_ERROR_* names; issue 11). The message stays ADAL's.
/// TLS verification failed because no trusted CA signed the authority's certificate.
inline constexpr const char *kErrorTlsUntrustedCa = "tls_untrusted_ca";

enum class ErrorClass {
    server,                ///< the authority answered with an OAuth error
    protocol,              ///< the reply was malformed, oversized or missing fields
    network,               ///< DNS, connect, TLS, timeout, 5xx/429 past the retries
    store,                 ///< token store failure
    invalid,               ///< caller or configuration error (ADAL raises ValueError for these)
    cancelled,             ///< Polling_Request_Cancelled
    timeout,               ///< device code deadline passed
    not_found,             ///< nothing in the cache (acquire_token returns None in ADAL)
    interaction_required,  ///< a prompt is needed but not allowed
    internal,
};

class AdalError : public std::exception {
  public:
    AdalError(ErrorClass klass, std::string message)
        : klass_(klass), message_(std::move(message)) {}

    /// An OAuth error reply: fills error, description, codes and correlation id from `body`
    /// when it is a JSON object; `error_response` keeps the body without its secrets
    /// (error_body_without_secrets), and where `message` quotes the body, the message
    /// quotes that instead. `klass` is network for replies worth retrying (5xx, 429),
    /// server otherwise.
    static AdalError from_server_reply(std::string message, const std::string &body,
                                       ErrorClass klass = ErrorClass::server);

    const char *what() const noexcept override { return message_.c_str(); }
    ErrorClass klass() const noexcept { return klass_; }
    const std::string &message() const noexcept { return message_; }

    /// The body the server sent with the error (ADAL's error_response) without its
    /// secrets, or empty.
    const std::string &error_response() const noexcept { return error_response_; }
    const std::string &error() const noexcept { return error_; }
    const std::string &error_description() const noexcept { return error_description_; }
    const std::vector<long long> &error_codes() const noexcept { return error_codes_; }
    const std::string &correlation_id() const noexcept { return correlation_id_; }

    /// Keeps error_body_without_secrets(raw), never `raw` itself when it holds a token.
    AdalError &with_error_response(std::string_view raw);
    AdalError &with_error(std::string error, std::string description = {});
    AdalError &with_correlation_id(std::string id);

  private:
    ErrorClass klass_;
    std::string message_;
    std::string error_response_;
    std::string error_;
    std::string error_description_;
    std::vector<long long> error_codes_;
    std::string correlation_id_;
};

}  // namespace aadcred
