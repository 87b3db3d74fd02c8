#pragma once
// A canned Azure AD v1 authority behind the HttpTransport interface (STYLE.md: fakes
// enter through interfaces): device code, device code polling and refresh grants, with
// a log of what it was asked.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/http/http_transport.hpp"

namespace provider_test {

struct FakeAuthority : std::enable_shared_from_this<FakeAuthority> {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> requests;  ///< "URL BODY" of each request
    int refreshes = 0;
    int device_polls = 0;

    // Behaviour knobs.
    int pending_polls = 0;          ///< authorization_pending replies before success
    bool refresh_rejected = false;  ///< refresh grants get 400 invalid_grant
    std::string signed_in_user = "alice@contoso.com";
    std::string expires_in = "3600";
    std::string device_expires_in = "900";

    aadcred::TransportFactory factory();
    aadcred::HttpResponse answer(const aadcred::HttpRequest &request);
    /// Blocks until at least `n` device code polls were answered.
    void wait_for_polls(int n);
    int count(std::string_view part);
};

}  // namespace provider_test
