#include "client_watch.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <string>
#include <system_error>
#include <vector>

namespace aadcred_pam {
namespace {

constexpr int kRetryMilliseconds = 50;

// The peer of `fd` as text when it is a connected TCP socket ("192.0.2.1", "2001:db8::1";
// an IPv4-mapped IPv6 peer as IPv4, the way sshd writes PAM_RHOST), else empty.
std::string tcp_peer(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return {};
    int type = 0;
    socklen_t size = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) != 0 || type != SOCK_STREAM) return {};
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) != 0) return {};
    char text[INET6_ADDRSTRLEN] = {};
    if (peer.ss_family == AF_INET) {
        const auto *v4 = reinterpret_cast<const sockaddr_in *>(&peer);
        if (inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text) == nullptr) return {};
    } else if (peer.ss_family == AF_INET6) {
        const auto *v6 = reinterpret_cast<const sockaddr_in6 *>(&peer);
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
            if (inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof text) == nullptr)
                return {};
        } else if (inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text) == nullptr) {
            return {};
        }
    } else {
        return {};
    }
    return text;
}

}  // namespace

ClientSocket ClientSocket::find(const char *rhost) {
    ClientSocket found;
    if (rhost == nullptr || *rhost == '\0') return found;
    DIR *dir = opendir("/proc/self/fd");
    if (dir == nullptr) return found;
    std::vector<int> matches;
    const int own = dirfd(dir);
    while (const dirent *entry = readdir(dir)) {
        char *end = nullptr;
        const long fd = strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd < 0 || fd == own) continue;
        if (tcp_peer(static_cast<int>(fd)) == rhost) matches.push_back(static_cast<int>(fd));
    }
    closedir(dir);
    // Two connections to the same peer: we cannot tell which one is the person's.
    if (matches.size() == 1) found.fd_.reset(fcntl(matches.front(), F_DUPFD_CLOEXEC, 3));
    return found;
}

ClientWatch::ClientWatch(const ClientSocket &client, std::function<bool()> on_gone)
    : on_gone_(std::move(on_gone)) {
    if (!client) return;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    stop_read_.reset(fds[0]);
    stop_write_.reset(fds[1]);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);  // the new thread inherits this mask
    try {
        thread_ = std::thread(&ClientWatch::run, this, client.fd());
    } catch (const std::system_error &) {
        // No thread: the poll runs to its deadline, as it would without a client socket.
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

ClientWatch::~ClientWatch() {
    if (!thread_.joinable()) return;
    const char byte = 0;
    while (write(stop_write_.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
}

void ClientWatch::run(int fd) {
    // Only the hang-up is asked for: data the client sends meanwhile (a keep-alive) is
    // sshd's to read later, and must not wake this loop.
    pollfd fds[2] = {{fd, POLLRDHUP, 0}, {stop_read_.get(), POLLIN, 0}};
    for (;;) {
        const int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || fds[1].revents != 0) return;
        if ((fds[0].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) break;
    }
    gone_.store(true);
    while (!on_gone_()) {
        pollfd stop = {stop_read_.get(), POLLIN, 0};
        if (poll(&stop, 1, kRetryMilliseconds) != 0 && errno != EINTR) return;
    }
}

}  // namespace aadcred_pam
