#pragma once
// What every request to an authority carries and how every reply is reported: ADAL's
// default headers (reference §2.2, naming aadcred), the server's correlation id echo and
// ADAL's "<operation> request returned http error: ..." errors.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/adal_error.hpp"
#include "core/http/http_transport.hpp"

namespace aadcred {

class Logger;

/// A request with ADAL's default headers: Accept-Charset, client-request-id,
/// return-client-request-id, x-client-SKU/Ver/OS/CPU.
HttpRequest make_request(HttpRequest::Method method, std::string url,
                         std::string_view correlation_id);

/// One GET to an authority, as every discovery and key fetch sends it: make_request()'s
/// headers plus `extra`, and the server's correlation id echo logged under `operation`.
/// @return the reply, whatever its status (callers that fall back on 4xx look at it)
HttpResponse get_with_correlation(HttpTransport &transport, const Logger &log,
                                  std::string_view operation, const std::string &url,
                                  std::vector<std::pair<std::string, std::string>> extra = {});

/// get_with_correlation(), then http_error(operation) unless the reply is 2xx.
HttpResponse get_successful(HttpTransport &transport, const Logger &log, std::string_view operation,
                            const std::string &url,
                            std::vector<std::pair<std::string, std::string>> extra = {});

/// A form POST (content-type application/x-www-form-urlencoded) with the default headers.
HttpRequest make_form_post(std::string url, std::string_view correlation_id, SecretString body);

/// ADAL's util.log_return_correlation_id: DEBUG "<op> Server returned this
/// correlation_id: <id>" when the reply echoes client-request-id.
void log_returned_correlation_id(const Logger &log, std::string_view operation,
                                 const HttpResponse &response);

inline bool is_http_success(long status) {
    return status >= 200 && status < 300;
}

/// True for replies worth retrying later: 5xx and 429 (throttling).
inline bool is_transient_status(long status) {
    return status >= 500 || status == 429;
}

/// ADAL's error for a non-2xx reply: "<op> request returned http error: <status>" plus
/// " and server response: <body>" when the body is not empty. OAuth fields are read from
/// the body. Class server for 4xx, network for 5xx and 429.
AdalError http_error(std::string_view operation, const HttpResponse &response);

}  // namespace aadcred
