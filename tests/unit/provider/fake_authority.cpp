#include "fake_authority.hpp"

#include "util/base64.hpp"

namespace provider_test {

using namespace aadcred;

namespace {

class FakeTransport : public HttpTransport {
  public:
    explicit FakeTransport(std::shared_ptr<FakeAuthority> authority)
        : authority_(std::move(authority)) {}
    HttpResponse send(const HttpRequest &request) override { return authority_->answer(request); }

  private:
    std::shared_ptr<FakeAuthority> authority_;
};

HttpResponse json_reply(long status, const std::string &body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"content-type", "application/json"}};
    r.body = SecretString(body);
    return r;
}

std::string id_token(const std::string &upn) {
    // Unsigned, as ADAL accepts it: ADAL never verifies the id_token of a token reply.
    return base64url_encode(R"({"typ":"JWT","alg":"none"})") + "." +
           base64url_encode(R"({"tid":"tenant-1","oid":"oid-1","upn":")" + upn +
                            R"(","given_name":"Alice"})") +
           ".";
}

// The form field `name` of an application/x-www-form-urlencoded body, decoded; or
// `fallback` when absent.
std::string form_field(const std::string &body, const std::string &name,
                       const std::string &fallback) {
    const std::string key = name + "=";
    std::size_t at = body.rfind("&" + key) != std::string::npos ? body.rfind("&" + key) + 1 : 0;
    if (body.compare(at, key.size(), key) != 0) return fallback;
    at += key.size();
    std::string value;
    for (; at < body.size() && body[at] != '&'; ++at) {
        if (body[at] == '%' && at + 2 < body.size()) {
            value += static_cast<char>(std::stoi(body.substr(at + 1, 2), nullptr, 16));
            at += 2;
        } else {
            value += body[at] == '+' ? ' ' : body[at];
        }
    }
    return value;
}

}  // namespace

TransportFactory FakeAuthority::factory() {
    auto self = shared_from_this();
    return [self](const TransportOptions &) { return std::make_unique<FakeTransport>(self); };
}

int FakeAuthority::count(std::string_view part) {
    std::lock_guard lock(mutex);
    int n = 0;
    for (const auto &r : requests) n += r.find(part) != std::string::npos ? 1 : 0;
    return n;
}

void FakeAuthority::wait_for_polls(int n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return device_polls >= n; });
}

HttpResponse FakeAuthority::answer(const HttpRequest &request) {
    std::unique_lock lock(mutex);
    const std::string &body = request.body.reveal();
    requests.push_back(request.url + " " + body);
    HttpResponse reply;
    if (request.url.find("/oauth2/devicecode") != std::string::npos) {
        reply = json_reply(200, R"({"user_code":"ABCD-EFGH","device_code":"DC-1",)"
                                R"("verification_url":"https://microsoft.com/devicelogin",)"
                                R"("expires_in":")" +
                                    device_expires_in +
                                    R"(","interval":"5","message":"Enter ABCD-EFGH"})");
    } else if (body.find("grant_type=refresh_token") != std::string::npos) {
        ++refreshes;
        if (refresh_rejected) {
            reply = json_reply(
                400, R"({"error":"invalid_grant","error_description":"AADSTS70008: expired"})");
        } else {
            // For the resource asked for: a multi-resource refresh token serves any.
            const std::string n = std::to_string(refreshes);
            const std::string resource = form_field(body, "resource", "https://graph.windows.net/");
            reply = json_reply(200, R"({"token_type":"Bearer","expires_in":")" + expires_in +
                                        R"(","resource":")" + resource +
                                        R"(",)"
                                        R"("access_token":"AT-refreshed-)" +
                                        n + R"(","refresh_token":"RT-refreshed-)" + n + R"("})");
        }
    } else if (body.find("grant_type=device_code") != std::string::npos) {
        ++device_polls;
        if (device_polls <= pending_polls) {
            reply = json_reply(400, R"({"error":"authorization_pending"})");
        } else {
            reply = json_reply(200, R"({"token_type":"Bearer","expires_in":")" + expires_in +
                                        R"(","resource":"https://graph.windows.net/",)"
                                        R"("access_token":"AT-device","refresh_token":"RT-device",)"
                                        R"("id_token":")" +
                                        id_token(signed_in_user) + R"("})");
        }
    } else {
        reply = json_reply(404, R"({"error":"not_found"})");
    }
    lock.unlock();
    changed.notify_all();
    return reply;
}

}  // namespace provider_test
