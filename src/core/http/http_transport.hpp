#pragma once
// The one door to the network. Only core/ speaks HTTP (SPEC §2). An interface so unit
// tests can feed canned replies; CurlTransport is the real one.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/secret_string.hpp"

namespace aadcred {

struct HttpRequest {
    enum class Method { get, post };
    Method method = Method::get;
    std::string url;
    /// Header lines as name/value pairs, sent in this order.
    std::vector<std::pair<std::string, std::string>> headers;
    /// Form body (may hold secrets: refresh tokens, device codes, client secrets).
    SecretString body;
};

struct HttpResponse {
    long status = 0;
    /// Header names lower-cased; the last value wins for repeated headers, but repeated
    /// WWW-Authenticate fields are joined with ", " (each may name a challenge).
    std::vector<std::pair<std::string, std::string>> headers;
    SecretString body;

    /// The value of a header (name compared case-insensitively), or nullopt.
    std::optional<std::string> header(std::string_view name) const;
};

struct TransportOptions {
    /// PEM bundle to verify servers with; empty: the system store. Verification is always on.
    std::string ca_file;
    /// Proxy URL, empty for curl's default (environment).
    std::string proxy;
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    /// Replies larger than this fail with a protocol error (the fault matrix sends 50 MB).
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_header_bytes = 64 << 10;
    /// Allows plain http, but only to a loopback host (127.0.0.0/8, ::1, localhost):
    /// for local test authorities. Everything else is https only.
    bool allow_loopback_http = false;
};

class HttpTransport {
  public:
    virtual ~HttpTransport() = default;
    /// Sends a request. Throws AdalError: network (connect, TLS, DNS, timeout) or
    /// protocol (oversized reply). HTTP error statuses are returned, not thrown.
    virtual HttpResponse send(const HttpRequest &request) = 0;
};

/// libcurl transport: one easy handle reused across calls, so polling keeps its
/// connection (SPEC §3). Not thread-safe: one per poller.
std::unique_ptr<HttpTransport> make_curl_transport(const TransportOptions &options);

/// The factory the engine uses; tests replace it with canned transports.
using TransportFactory = std::function<std::unique_ptr<HttpTransport>(const TransportOptions &)>;

}  // namespace aadcred
