"""HTTPS plumbing shared by authority.py and git_server.py.

Why not just wrap the listening socket: then the TLS handshake runs inside accept() on the
serving thread, so one client that connects and never speaks (or that refuses our CA,
which is exactly what some tests do) stalls every other client. Here each accepted socket
is wrapped on its own worker thread instead.
"""
import ipaddress
import signal
import socket
import ssl
import sys
import threading
from http.server import ThreadingHTTPServer

# Idle keep-alive connections and silent clients are dropped after this many seconds,
# so a test that leaks a connection cannot pin a worker thread forever.
SOCKET_TIMEOUT = 30


def server_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    return ctx


def client_context(cafile):
    """Trust exactly `cafile`; never the environment's SSL_CERT_FILE and friends."""
    # With cafile given, create_default_context loads only that file (no system store).
    return ssl.create_default_context(cafile=cafile)


def host_for_url(host):
    """Bracket IPv6 literals so they can be put in a URL."""
    try:
        if ipaddress.ip_address(host).version == 6:
            return "[%s]" % host
    except ValueError:
        pass
    return host


class TLSThreadingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a stuck request must not keep the process alive at shutdown

    def __init__(self, address, handler, ssl_context):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.ssl_context = ssl_context
        super().__init__(address, handler)

    def finish_request(self, request, client_address):
        # Runs on the per-connection thread (see module docstring).
        request.settimeout(SOCKET_TIMEOUT)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return  # failed handshake: the client refused us or spoke plain HTTP
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # Clients that hang up mid-response are normal in fault tests; anything else is shown.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def base_url(self):
        host, port = self.server_address[0], self.server_address[1]
        return "https://%s:%d" % (host_for_url(host), port)


def serve_until_signal(server):
    """Print the READY line, serve until SIGTERM/SIGINT, then shut down cleanly.

    serve_forever runs on a helper thread because server.shutdown() blocks until the loop
    has stopped, which would deadlock if called from a signal handler on the loop's thread.
    """
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    loop = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    loop.start()
    sys.stdout.write("READY %s\n" % server.base_url())
    sys.stdout.flush()
    while not stop.wait(0.5):
        if not loop.is_alive():
            break
    server.shutdown()
    server.server_close()
    return 0
