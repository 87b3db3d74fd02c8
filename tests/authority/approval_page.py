"""GET/POST /device: the page a person uses to approve a code (the README demo).

Deliberately plain: one form, no scripts. Everything echoed back is HTML-escaped, because
the user code and user name come straight from the request.
"""
import html

from directory import BUILTIN_USERS, get_user

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aadcred test authority - sign in</title>
<style>body{{font-family:sans-serif;max-width:32em;margin:3em auto}}
input,select,button{{font-size:1.1em;margin:.3em 0}}.msg{{padding:.5em;background:#eef}}</style>
</head><body>
<h1>Enter code</h1>
<p>Local test stand-in for Azure AD. Enter the code shown by the application.</p>
{message}
<form method="post" action="/device">
<label>Code<br><input name="user_code" value="{code}" autocomplete="off" autofocus
 maxlength="16" required></label><br>
<label>Sign in as<br><select name="user">{options}</select></label><br>
<button name="action" value="approve">Approve</button>
<button name="action" value="decline">Decline</button>
</form></body></html>
"""


def _options(selected):
    users = list(BUILTIN_USERS)
    if selected and selected not in users:
        users.append(selected)
    return "".join('<option value="{0}"{1}>{0}</option>'.format(
        html.escape(u), " selected" if u == selected else "") for u in users)


def _render(h, status, default_user, message="", code=""):
    msg = '<p class="msg">%s</p>' % html.escape(message) if message else ""
    h.send_html(status, _PAGE.format(message=msg, code=html.escape(code),
                                     options=_options(default_user)))


def handle(h, a):
    default_user = a.current_behaviour()["user"]
    if h.command in ("GET", "HEAD"):
        _render(h, 200, default_user, code=h.query.get("code", ""))
        return
    if h.command != "POST":
        h.send_json(405, {"error": "invalid_request", "error_description": "Method not allowed."})
        return
    code = h.form.get("user_code", "")
    action = h.form.get("action", "approve")
    user = get_user(h.form.get("user") or default_user)
    if action not in ("approve", "decline") or user is None:
        _render(h, 400, default_user, "Unknown action or user.", code)
        return
    ok, message, info = a.codes.act(code, action, user["upn"])
    if not ok:
        _render(h, 400, user["upn"], "That code cannot be used: %s." % message, code)
    elif action == "approve":
        _render(h, 200, user["upn"], "Signed in as %s. You can close this window and return "
                                     "to the application." % user["upn"])
    else:
        _render(h, 200, user["upn"], "Sign-in declined.")
