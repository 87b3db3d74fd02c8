#include "core/oauth2/oauth2_client.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <vector>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "core/json/json.hpp"
#include "core/oauth2/token_response.hpp"

namespace aadcred {

namespace {

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> words;
    while (!text.empty()) {
        const auto start = text.find_first_not_of(' ');
        if (start == std::string_view::npos) break;
        text.remove_prefix(start);
        const auto end = text.find(' ');
        words.push_back(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    }
    return words;
}

AdalError missing_field(std::string_view field) {
    return AdalError(ErrorClass::protocol, "wire_response is missing " + std::string(field));
}

}  // namespace

std::string with_sign_in_scopes(std::string_view scopes) {
    static constexpr std::array<std::string_view, 3> kSignIn = {"openid", "profile",
                                                                "offline_access"};
    const std::vector<std::string_view> words = split_spaces(scopes);
    std::string out;
    for (auto word : words) {
        if (!out.empty()) out += ' ';
        out += word;
    }
    for (auto wanted : kSignIn) {
        bool present = false;
        for (auto word : words) present = present || word == wanted;
        if (present) continue;
        if (!out.empty()) out += ' ';
        out += wanted;
    }
    return out;
}

HttpResponse OAuth2Client::post(const std::string &url, const SecretString &body,
                                std::string_view operation) {
    HttpResponse response = transport_.send(make_form_post(url, log_.correlation_id(), body));
    log_returned_correlation_id(log_, operation, response);
    return response;
}

TokenEntry OAuth2Client::parse_token(const HttpResponse &response) const {
    try {
        return parse_token_response(response.body.reveal());
    } catch (const AdalError &) {
        throw;
    } catch (const std::exception &e) {
        // The parsers report bad input as AdalError; anything else (bad_alloc, a
        // length_error from a cap) still must not escape as a crash.
        throw AdalError(ErrorClass::protocol,
                        std::string("Failed to parse the token response: ") + e.what());
    }
}

TokenEntry OAuth2Client::get_token(const std::string &url, const SecretString &body,
                                   LogLevel refusal_level) {
    const HttpResponse response = post(url, body, "Get Token");
    if (!is_http_success(response.status)) {
        AdalError error = http_error("Get Token", response);
        // An unreachable or overloaded authority is nobody's way out: always an error.
        const LogLevel level =
            is_transient_status(response.status) ? LogLevel::error : refusal_level;
        log_.log(level,
                 "Get Token request failed with http status " + std::to_string(response.status));
        throw error;
    }
    TokenEntry entry = parse_token(response);
    log_.verbose("Token response parsed. AccessTokenId: " +
                 Logger::token_id(entry.secret(key::access_token)));
    return entry;
}

UserCodeInfo OAuth2Client::get_user_code_info(const std::string &url, const SecretString &body,
                                              std::chrono::system_clock::time_point now) {
    const HttpResponse response = post(url, body, "Get Device Code");
    if (!is_http_success(response.status)) throw http_error("Get Device Code", response);

    const std::string &text = response.body.reveal();
    const json::SecretDocument wire = json::parse_secret(text, "device code response");
    if (!wire.IsObject())
        throw AdalError(ErrorClass::protocol, "Failed to parse the device code response");

    // ADAL's _validate_device_code_response: int() the numbers (v1 sends "900"), then
    // demand truthy expires_in, device_code and user_code, in that order.
    const auto expires_in = json::get_int(wire, "expires_in");
    const auto interval = json::get_int(wire, "interval");
    auto device_code = json::get_string(wire, "device_code");
    const auto user_code = json::get_string(wire, "user_code");
    std::string_view missing;
    if (!expires_in || *expires_in == 0)
        missing = "expires_in";
    else if (!device_code || device_code->empty())
        missing = "device_code";
    else if (!user_code || user_code->empty())
        missing = "user_code";
    if (!missing.empty()) {
        AdalError error = missing_field(missing);
        // The reply is ADAL's error_response, unless it carries a device code (a secret).
        if (!device_code) error.with_error_response(text);
        if (device_code) secure_wipe(*device_code);
        throw error;
    }
    // A negative lifetime, or an interval of 0 or less (ADAL fails on it only when polling
    // starts, as a ValueError), is the server's fault: a protocol error, not the caller's.
    std::string bad;
    if (*expires_in < 0)
        bad = "wire_response has an invalid expires_in";
    else if (interval && *interval <= 0)
        bad = "wire_response has an invalid interval: " + std::to_string(*interval);
    if (!bad.empty()) {
        secure_wipe(*device_code);
        throw AdalError(ErrorClass::protocol, std::move(bad));
    }

    UserCodeInfo info;
    info.user_code = *user_code;
    info.device_code = SecretString(std::move(*device_code));
    secure_wipe(*device_code);
    // AAD v1 says verification_url, RFC 8628 (v2, OpenID Connect) verification_uri.
    info.verification_url = json::get_string(wire, "verification_url")
                                .value_or(json::get_string(wire, "verification_uri").value_or(""));
    info.verification_url_complete =
        json::get_string(wire, "verification_uri_complete").value_or("");
    info.expires_in = *expires_in;
    info.interval = interval.value_or(kDefaultPollInterval);
    info.message = json::get_string(wire, "message").value_or("");
    info.correlation_id = response.header("client-request-id").value_or("");
    info.expires_at =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() +
        std::min(info.expires_in, kMaxCodeLifetimeSeconds);
    log_.info("Received user code response");
    return info;
}

}  // namespace aadcred
