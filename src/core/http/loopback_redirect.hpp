#pragma once
// The loopback redirect of a native app's browser sign-in (RFC 8252 §7.3, §8.3): a
// listening socket on 127.0.0.1 at a port the kernel picks, for the one request the
// browser makes when the authority sends it back with the authorization code. Only the
// loopback interface is bound, so nothing off the machine can reach it; the request is
// answered with a short page, and the socket is closed with this object.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "util/secret_string.hpp"
#include "util/unique_fd.hpp"

namespace aadcred {

class LoopbackRedirect {
  public:
    using Clock = std::chrono::steady_clock;

    /// Binds 127.0.0.1:0 and listens. Throws AdalError(network) when it cannot.
    LoopbackRedirect();
    ~LoopbackRedirect() = default;
    LoopbackRedirect(const LoopbackRedirect &) = delete;
    LoopbackRedirect &operator=(const LoopbackRedirect &) = delete;

    std::uint16_t port() const noexcept { return port_; }

    /// "http://127.0.0.1:<port>/": the redirect_uri of the authorization request, and
    /// the one the code is redeemed with.
    std::string redirect_uri() const;

    /// The query of the browser's GET of the redirect URI, decoded (code, state, error,
    /// error_description...). Requests for any other path (a favicon), requests without
    /// a query, and connections that send nothing usable within a few seconds are
    /// answered 404 or 400 (or dropped) and do not count: a stray local connection
    /// cannot end the sign-in. `page` gives the plain text that answers the request that
    /// counts, from its query (a sign-in or an error page).
    /// Throws AdalError: timeout at `deadline`, cancelled when `cancelled()` turns true
    /// (it is asked at least every 100 ms), protocol for a query that does not decode.
    using Query = std::map<std::string, SecretString>;
    Query wait(Clock::time_point deadline, const std::function<bool()> &cancelled,
               const std::function<std::string(const Query &)> &page);

  private:
    UniqueFd listener_;
    std::uint16_t port_ = 0;
};

/// What the listener makes of one request head (exposed for its fuzz target).
struct RedirectRequest {
    enum class Kind {
        other,        ///< not a GET of "/?...": a favicon, a probe; answered 404, not counted
        undecodable,  ///< a GET of "/?..." whose query does not decode: the sign-in fails
        reply,        ///< the browser's redirect; `query` holds its fields
    };
    Kind kind = Kind::other;
    LoopbackRedirect::Query query;
};

/// Reads the request line of `head` (the bytes up to the blank line).
RedirectRequest read_redirect_request(std::string_view head);

}  // namespace aadcred
