// The client watcher: the module finds the connection the person came in on among its
// descriptors, and hears when the peer hangs up (client_watch.hpp). A real loopback TCP
// connection; the peer lives in a child process, as the client lives outside sshd.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

// client_watch.hpp first: <thread> must come before cmocka's fail() macro.
#include "client_watch.hpp"
// clang-format off
#include "../common/cmocka_cpp.hpp"
// clang-format on

namespace {

using aadcred_pam::ClientSocket;
using aadcred_pam::ClientWatch;
using aadcred_pam::UniqueFd;

struct Connection {
    UniqueFd ours;     ///< our end, connected to 127.0.0.1
    UniqueFd to_peer;  ///< closing (or writing to) it tells the peer to hang up
    pid_t peer = -1;
};

// Connects to a listener whose accepted end is held only by a child, which closes it
// when told (a byte or EOF on its pipe).
Connection connect_to_peer() {
    Connection c;
    const UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    assert_int_equal(bind(listener.get(), reinterpret_cast<sockaddr *>(&address), size), 0);
    assert_int_equal(listen(listener.get(), 1), 0);
    assert_int_equal(getsockname(listener.get(), reinterpret_cast<sockaddr *>(&address), &size), 0);
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    c.peer = fork();
    assert_true(c.peer >= 0);
    if (c.peer == 0) {
        close(pipe_fds[1]);
        const int accepted = accept(listener.get(), nullptr, nullptr);
        char byte;
        while (read(pipe_fds[0], &byte, 1) < 0) {
        }
        close(accepted);
        _exit(0);
    }
    close(pipe_fds[0]);
    c.to_peer.reset(pipe_fds[1]);
    c.ours.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    assert_int_equal(connect(c.ours.get(), reinterpret_cast<sockaddr *>(&address), size), 0);
    return c;
}

void finish(Connection &c) {
    c.to_peer.reset();
    int status = 0;
    waitpid(c.peer, &status, 0);
}

bool wait_for(const std::atomic<int> &value, int at_least) {
    for (int i = 0; i < 1000; ++i) {  // at most 10 s; it takes milliseconds
        if (value.load() >= at_least) return true;
        const timespec pause{0, 10 * 1000 * 1000};
        nanosleep(&pause, nullptr);
    }
    return false;
}

void finds_the_one_connection_to_the_remote_host(void **) {
    Connection c = connect_to_peer();
    assert_true(static_cast<bool>(ClientSocket::find("127.0.0.1")));
    assert_false(static_cast<bool>(ClientSocket::find("192.0.2.7")));
    assert_false(static_cast<bool>(ClientSocket::find("")));
    assert_false(static_cast<bool>(ClientSocket::find(nullptr)));
    // A second connection to the same host: which one is the person's? Neither.
    Connection other = connect_to_peer();
    assert_false(static_cast<bool>(ClientSocket::find("127.0.0.1")));
    finish(other);
    finish(c);
}

void hears_the_hang_up_and_retries_until_done(void **) {
    Connection c = connect_to_peer();
    const ClientSocket client = ClientSocket::find("127.0.0.1");
    assert_true(static_cast<bool>(client));
    std::atomic<int> calls{0};
    {
        // The first call is "too early" (the poll has not registered yet): called again.
        const ClientWatch watch(client, [&] { return ++calls >= 2; });
        assert_false(watch.gone());
        finish(c);  // the peer closes its end: FIN
        assert_true(wait_for(calls, 2));
        assert_true(watch.gone());
    }
    assert_int_equal(calls.load(), 2);
}

void stays_quiet_while_the_client_is_there(void **) {
    Connection c = connect_to_peer();
    const ClientSocket client = ClientSocket::find("127.0.0.1");
    std::atomic<int> calls{0};
    {
        const ClientWatch watch(client, [&] { return ++calls > 0; });
    }  // joined without a hang-up
    assert_int_equal(calls.load(), 0);
    finish(c);
    const ClientWatch none(ClientSocket{}, [&] { return ++calls > 0; });  // no socket: no thread
    assert_false(none.gone());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_the_one_connection_to_the_remote_host),
        cmocka_unit_test(hears_the_hang_up_and_retries_until_done),
        cmocka_unit_test(stays_quiet_while_the_client_is_there),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
