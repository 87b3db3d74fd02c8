#!/usr/bin/python3
"""Local stand-in for Azure AD (Microsoft Entra ID) for aadcred's tests and demo.

Prints `READY https://HOST:PORT` on stdout once it accepts connections, then serves until
SIGTERM or SIGINT. See README.md in this folder for endpoints and the control API.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aad_server import Authority, Handler, open_log  # noqa: E402
from directory import DEFAULT_USER, get_user  # noqa: E402
from tls_server import TLSThreadingHTTPServer, host_for_url, serve_until_signal, \
    server_context  # noqa: E402


def _positive(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def _seconds(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Local Azure AD stand-in (HTTPS).")
    ap.add_argument("--cert", required=True, help="server certificate (PEM)")
    ap.add_argument("--key", required=True, help="server private key (PEM)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--auto-approve-after", type=_seconds, default=None, metavar="SECONDS",
                    help="approve every new code as --user this long after it is issued")
    ap.add_argument("--user", default=DEFAULT_USER, help="default approving user (UPN)")
    ap.add_argument("--interval", type=_positive, default=5)
    ap.add_argument("--expires-in", type=_positive, default=900)
    ap.add_argument("--access-token-lifetime", type=_positive, default=3599)
    ap.add_argument("--log", default=None, help="request log file (default: stderr)")
    args = ap.parse_args(argv)
    user = get_user(args.user)
    if user is None:
        ap.error("--user must be a UPN such as alice@contoso.com")
    args.user = user["upn"]
    return args


def main(argv=None):
    args = parse_args(argv)
    authority = Authority(args, open_log(args.log))
    server = TLSThreadingHTTPServer((args.host, args.port), Handler,
                                    server_context(args.cert, args.key))
    server.authority = authority
    authority.default_host = "%s:%d" % (host_for_url(args.host), server.server_address[1])
    return serve_until_signal(server)


if __name__ == "__main__":
    sys.exit(main())
