#include "core/http/authority_requests.hpp"

#include <aadcred/aadcred.h>

#include "util/log.hpp"

namespace aadcred {

HttpRequest make_request(HttpRequest::Method method, std::string url,
                         std::string_view correlation_id) {
    HttpRequest request;
    request.method = method;
    request.url = std::move(url);
    // ADAL's util.add_default_request_headers, with our SKU and version so server-side
    // logs tell aadcred apart from ADAL.
    request.headers = {
        {"Accept-Charset", "utf-8"},
        {"client-request-id", std::string(correlation_id)},
        {"return-client-request-id", "true"},
        {"x-client-SKU", "aadcred"},
        {"x-client-Ver", AADCRED_VERSION},
        {"x-client-OS", "linux"},
        {"x-client-CPU", sizeof(void *) > 4 ? "x64" : "x86"},
    };
    return request;
}

HttpRequest make_form_post(std::string url, std::string_view correlation_id, SecretString body) {
    HttpRequest request = make_request(HttpRequest::Method::post, std::move(url), correlation_id);
    request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    request.body = std::move(body);
    return request;
}

void log_returned_correlation_id(const Logger &log, std::string_view operation,
                                 const HttpResponse &response) {
    if (auto id = response.header("client-request-id")) {
        log.verbose(std::string(operation) + " Server returned this correlation_id: " + *id);
    }
}

HttpResponse get_with_correlation(HttpTransport &transport, const Logger &log,
                                  std::string_view operation, const std::string &url,
                                  std::vector<std::pair<std::string, std::string>> extra) {
    HttpRequest request = make_request(HttpRequest::Method::get, url, log.correlation_id());
    for (auto &header : extra) request.headers.push_back(std::move(header));
    HttpResponse response = transport.send(request);
    log_returned_correlation_id(log, operation, response);
    return response;
}

HttpResponse get_successful(HttpTransport &transport, const Logger &log, std::string_view operation,
                            const std::string &url,
                            std::vector<std::pair<std::string, std::string>> extra) {
    HttpResponse response = get_with_correlation(transport, log, operation, url, std::move(extra));
    if (!is_http_success(response.status)) throw http_error(operation, response);
    return response;
}

AdalError http_error(std::string_view operation, const HttpResponse &response) {
    std::string message =
        std::string(operation) + " request returned http error: " + std::to_string(response.status);
    const std::string &body = response.body.reveal();
    if (!body.empty()) message += " and server response: " + body;
    return AdalError::from_server_reply(
        std::move(message), body,
        is_transient_status(response.status) ? ErrorClass::network : ErrorClass::server);
}

}  // namespace aadcred
