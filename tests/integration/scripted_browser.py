#!/usr/bin/python3
"""A stand-in for the person's web browser, run as $BROWSER by the browser sign-in tests.

Like xdg-open it returns at once and the "browser" carries on in the background: it opens
the authorization URL (with the test's CA, SCRIPTED_BROWSER_CA), takes the authority's
302 without following it, then follows it to the loopback redirect as a browser would,
and appends what it did to SCRIPTED_BROWSER_LOG as one JSON line (the URL opened, the
redirect, the page the app answered with).

SCRIPTED_BROWSER_MODE changes what it brings back, for the refusal tests:
  follow        the authority's redirect as it is (the default)
  wrong-state   the code with another state (a forged or crossed reply)
  inject-code   a code minted for another PKCE challenge (a stolen code), right state
  never         opens nothing and never comes back
  fail          exits 1 without opening anything (no browser here)
"""
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _log(record):
    with open(os.environ["SCRIPTED_BROWSER_LOG"], "a") as f:
        f.write(json.dumps(record) + "\n")


def _authority_redirect(url, context):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect(),
                                         urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(url, timeout=30) as resp:
            return None, resp.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.headers.get("Location"), e.read().decode()


def _minted_code(url, context, client_id, redirect_uri):
    base = url.split("/", 3)
    control = "%s//%s/_control/auth_codes" % (base[0], base[2])
    body = json.dumps({"client_id": client_id, "redirect_uri": redirect_uri,
                       "code_challenge": "x" * 43, "code_challenge_method": "S256"}).encode()
    req = urllib.request.Request(control, data=body, headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open(req, timeout=30) as resp:
        return json.loads(resp.read().decode())["code"]


def browse(url, mode):
    context = ssl.create_default_context(cafile=os.environ["SCRIPTED_BROWSER_CA"])
    record = {"opened": url, "mode": mode}
    location, body = _authority_redirect(url, context)
    record["redirect"] = location
    if location is None:
        record["page"] = body
        _log(record)
        return
    if mode in ("wrong-state", "inject-code"):
        target, _, query = location.partition("?")
        fields = dict(urllib.parse.parse_qsl(query))
        if mode == "wrong-state":
            fields["state"] = "not-the-state-that-was-sent"
        else:
            asked = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            fields["code"] = _minted_code(url, context, asked["client_id"], asked["redirect_uri"])
        location = target + "?" + urllib.parse.urlencode(fields)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(location, timeout=30) as resp:
            record["answer"] = [resp.status, resp.read().decode()]
    except urllib.error.HTTPError as e:
        with e:
            record["answer"] = [e.code, e.read().decode()]
    except OSError as e:
        record["answer"] = [0, str(e)]
    _log(record)


def main():
    mode = os.environ.get("SCRIPTED_BROWSER_MODE", "follow")
    if mode == "fail":
        _log({"opened": sys.argv[1], "mode": mode})
        return 1
    if os.fork() != 0:
        return 0  # like xdg-open: the launcher returns, the browser goes on
    os.setsid()
    if mode == "never":
        _log({"opened": sys.argv[1], "mode": mode})
        os._exit(0)
    try:
        browse(sys.argv[1], mode)
    finally:
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
