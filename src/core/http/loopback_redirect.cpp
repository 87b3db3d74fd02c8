#include "core/http/loopback_redirect.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/adal_error.hpp"
#include "util/form_decode.hpp"
#include "util/unique_fd.hpp"

namespace aadcred {
namespace {

// A request head larger than this is no browser's redirect; it is refused.
constexpr std::size_t kMaxRequestHead = 16 * 1024;
// How long one connection may take to send its request line, so a local program that
// connects and says nothing cannot hold the only listener until the deadline.
constexpr std::chrono::seconds kPerConnection{10};
constexpr std::chrono::milliseconds kCancelCheck{100};

int milliseconds_until(LoopbackRedirect::Clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - LoopbackRedirect::Clock::now());
    return static_cast<int>(std::clamp<long long>(left.count(), 0, kCancelCheck.count()));
}

void send_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = send(fd, text.data(), text.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the browser went away; nothing to tell it
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void answer(int fd, std::string_view status, std::string_view body) {
    std::string reply = "HTTP/1.1 ";
    reply += status;
    reply += "\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n";
    reply += "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    reply += body;
    send_all(fd, reply);
}

// Reads the request head (up to the blank line) within the per-connection limit and the
// overall deadline. nullopt: too slow, too big, cancelled, or the peer closed early.
std::optional<SecretString> read_head(int fd, LoopbackRedirect::Clock::time_point deadline,
                                      const std::function<bool()> &cancelled) {
    const auto until = std::min(deadline, LoopbackRedirect::Clock::now() + kPerConnection);
    std::string head;
    char buffer[2048];
    while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
        if (LoopbackRedirect::Clock::now() >= until || cancelled() ||
            head.size() > kMaxRequestHead) {
            secure_wipe(head);
            return std::nullopt;
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = poll(&p, 1, milliseconds_until(until));
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
    }
    secure_wipe(buffer, sizeof buffer);
    if (head.find('\n') == std::string::npos) {
        secure_wipe(head);
        return std::nullopt;
    }
    return SecretString(std::move(head));
}

}  // namespace

LoopbackRedirect::LoopbackRedirect() {
    listener_.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!listener_)
        throw AdalError(ErrorClass::network, std::string("cannot open a socket for the browser's "
                                                         "redirect: ") +
                                                 std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // the kernel picks a free port (RFC 8252 §7.3)
    socklen_t size = sizeof address;
    if (bind(listener_.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        listen(listener_.get(), 8) != 0 ||
        getsockname(listener_.get(), reinterpret_cast<sockaddr *>(&address), &size) != 0) {
        const int error = errno;
        listener_.reset();
        throw AdalError(ErrorClass::network,
                        std::string("cannot listen on 127.0.0.1 for the browser's redirect: ") +
                            std::strerror(error));
    }
    port_ = ntohs(address.sin_port);
}

std::string LoopbackRedirect::redirect_uri() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/";
}

RedirectRequest read_redirect_request(std::string_view head) {
    RedirectRequest request;
    // "GET /?code=...&state=... HTTP/1.1": the target is the second word.
    const std::string_view line = head.substr(0, head.find_first_of("\r\n"));
    const std::size_t first = line.find(' ');
    if (first == std::string_view::npos || line.substr(0, first) != "GET") return request;
    const std::size_t second = line.find(' ', first + 1);
    const std::string_view target = line.substr(
        first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
    if (target.substr(0, 2) != "/?") return request;
    auto query = form_decode(target.substr(2));
    if (!query) {
        request.kind = RedirectRequest::Kind::undecodable;
        return request;
    }
    request.kind = RedirectRequest::Kind::reply;
    request.query = std::move(*query);
    return request;
}

LoopbackRedirect::Query LoopbackRedirect::wait(
    Clock::time_point deadline, const std::function<bool()> &cancelled,
    const std::function<std::string(const Query &)> &page) {
    for (;;) {
        if (cancelled())
            throw AdalError(ErrorClass::cancelled, "The browser sign-in was cancelled");
        if (Clock::now() >= deadline)
            throw AdalError(ErrorClass::timeout,
                            "The browser sign-in did not complete before the deadline");
        pollfd p{listener_.get(), POLLIN, 0};
        const int ready = poll(&p, 1, milliseconds_until(deadline));
        if (ready <= 0) continue;  // a timeout slice or EINTR: check cancel and deadline
        const UniqueFd connection(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!connection) continue;

        const std::optional<SecretString> head = read_head(connection.get(), deadline, cancelled);
        if (!head) continue;
        RedirectRequest request = read_redirect_request(head->reveal());
        if (request.kind == RedirectRequest::Kind::other) {
            answer(connection.get(), "404 Not Found", "Not found.\n");
            continue;
        }
        if (request.kind == RedirectRequest::Kind::undecodable) {
            answer(connection.get(), "400 Bad Request", "The sign-in reply could not be read.\n");
            throw AdalError(ErrorClass::protocol,
                            "The browser brought back a redirect that could not be decoded");
        }
        answer(connection.get(), "200 OK", page(request.query));
        return std::move(request.query);
    }
}

}  // namespace aadcred
