// aadcred_request.proxy (version 2): the provider's requests to the authority go through
// the proxy given, as the context's do; a version 1 caller's struct, which ends before
// the field, is never read past its end. The "proxy" is a local socket that records the
// first request line and refuses; the authority is a closed local port, so nothing
// leaves the machine and no call waits on a network.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <thread>

#include "lib_test.hpp"

namespace {

constexpr const char *kClosedAuthority = "https://127.0.0.1:1/contoso.onmicrosoft.com";

/// A listening socket on 127.0.0.1; serve_one() answers one connection with a 403.
class FakeProxy {
  public:
    FakeProxy() {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) fail_msg("socket: %d", errno);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            listen(fd_, 4) != 0 ||
            getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
            fail_msg("bind/listen: %d", errno);
        }
        url_ = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    }
    ~FakeProxy() { close(fd_); }
    const std::string &url() const { return url_; }

    /// Accepts one connection, keeps its first line, refuses the tunnel.
    std::string serve_one() const {
        const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) return "";
        std::string request;
        char buf[1024];
        while (request.find("\r\n\r\n") == std::string::npos && request.size() < 8192) {
            const ssize_t n = read(client, buf, sizeof buf);
            if (n <= 0) break;
            request.append(buf, static_cast<std::size_t>(n));
        }
        const char reply[] = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
        (void)!write(client, reply, sizeof reply - 1);
        close(client);
        return request.substr(0, request.find("\r\n"));
    }

    /// Unblocks serve_one when no request came (the proxy was not used): an empty
    /// connection, so the test fails on its assertion instead of hanging.
    void wake() const {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len);
        (void)!connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        close(fd);
    }

    /// True when a client connected (the kernel completes a connect to a listening socket
    /// before accept, so after the call returned this needs no waiting).
    bool was_connected() const {
        pollfd pending{fd_, POLLIN, 0};
        return poll(&pending, 1, 0) == 1;
    }

  private:
    int fd_ = -1;
    std::string url_;
};

int go_on(aadcred_prompt_event, const aadcred_user_code *, void *) {
    return 0;
}

aadcred_request base_request() {
    aadcred_request request = AADCRED_REQUEST_INIT;
    request.authority = kClosedAuthority;
    request.client_id = "client-1";
    request.resource = lib_test::kResource;
    request.store = "memory";
    request.validate_authority = 0;
    request.allow_prompt = 1;  // so get_token asks the authority for a device code
    request.prompt = go_on;
    request.timeout = 10;
    return request;
}

int get_token(const aadcred_request *request) {
    aadcred_provider *provider = nullptr;
    int rc = aadcred_provider_new(&provider, request);
    if (rc != 0) fail_msg("aadcred_provider_new: %s", aadcred_error_last()->message);
    aadcred_token *token = nullptr;
    rc = aadcred_provider_get_token(&token, provider);
    aadcred_token_free(token);
    aadcred_provider_free(provider);
    return rc;
}

void the_request_goes_through_the_proxy(void **) {
    const lib_test::PrivateRuntimeDir runtime;
    FakeProxy proxy;
    aadcred_request request = base_request();
    assert_true(request.version >= 2);
    request.proxy = proxy.url().c_str();
    std::string first_line;
    std::thread server([&] { first_line = proxy.serve_one(); });
    const int rc = get_token(&request);
    proxy.wake();  // the request, if it came through the proxy, was accepted before this
    server.join();
    assert_true(rc < 0);
    assert_string_equal(first_line.c_str(), "CONNECT 127.0.0.1:1 HTTP/1.1");
}

void a_version_1_request_is_not_read_past_its_end(void **) {
    const lib_test::PrivateRuntimeDir runtime;
    FakeProxy proxy;
    // What a program built against version 1 passes: the struct ends before proxy, and
    // what follows it in memory here would send the request to the fake proxy.
    struct {
        unsigned char v1[offsetof(aadcred_request, proxy)];
        const char *after;
    } old{};
    static_assert(offsetof(decltype(old), after) == offsetof(aadcred_request, proxy));
    aadcred_request request = base_request();
    request.version = 1;
    std::memcpy(old.v1, &request, sizeof old.v1);
    old.after = proxy.url().c_str();
    const int rc = get_token(reinterpret_cast<const aadcred_request *>(old.v1));
    assert_true(rc < 0);
    assert_false(proxy.was_connected());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_request_goes_through_the_proxy),
        cmocka_unit_test(a_version_1_request_is_not_read_past_its_end),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
