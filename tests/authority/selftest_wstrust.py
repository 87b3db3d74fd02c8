"""Self-checks of the username/password endpoints (wstrust_endpoints.py): user realm,
MEX, WS-Trust 1.3/2005 with the password check, and the password and SAML grants."""
import base64
import re

CID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
RES = "https://management.core.windows.net/"
PASSWORD = "p&ss<word>"
SOAP = "application/soap+xml; charset=utf-8"
ACTION = {"13": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue",
          "2005": "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue"}


def _rst(user, password):
    esc = password.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope' "
            "xmlns:wsa='http://www.w3.org/2005/08/addressing'><s:Header><wsse:Security "
            "xmlns:wsse='http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-"
            "secext-1.0.xsd'><wsse:UsernameToken><wsse:Username>%s</wsse:Username>"
            "<wsse:Password>%s</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header>"
            "<s:Body><wst:RequestSecurityToken xmlns:wst='x'><wsp:AppliesTo "
            "xmlns:wsp='http://schemas.xmlsoap.org/ws/2004/09/policy'><wsa:EndpointReference>"
            "<wsa:Address>urn:federation:MicrosoftOnline</wsa:Address></wsa:EndpointReference>"
            "</wsp:AppliesTo></wst:RequestSecurityToken></s:Body></s:Envelope>"
            % (user, esc)).encode()


def _post_rst(cl, version, user, password):
    return cl.request("POST", "/adfs/services/trust/%s/usernamemixed" % version,
                      _rst(user, password), {"Content-Type": SOAP, "SOAPAction": ACTION[version]})


def _token(raw):
    return re.search(rb"RequestedSecurityToken>(.*)</(?:\w+:)?RequestedSecurityToken", raw,
                     re.S).group(1)


def t_wstrust(c, cl):
    cl.control("reset", {})
    r = cl.get("/common/UserRealm/alice%40contoso.com?api-version=1.0")
    c.check("user realm: contoso is managed", (r.json or {}).get("account_type") == "Managed")
    r = cl.get("/common/UserRealm/fred%40fabrikam.com?api-version=1.0")
    j = r.json or {}
    c.check("user realm: fabrikam is federated",
            j.get("account_type") == "Federated" and j.get("federation_protocol") == "WSTrust"
            and j.get("federation_metadata_url", "").endswith("/adfs/services/trust/mex")
            and j.get("federation_active_auth_url", "").endswith("/trust/13/usernamemixed"))
    r = cl.get("/adfs/services/trust/mex")
    c.check("MEX offers 1.3 and 2005", r.status == 200 and b"/trust/13/usernamemixed" in r.raw
            and b"/trust/2005/usernamemixed" in r.raw)

    r = _post_rst(cl, "13", "fred@fabrikam.com", "wrong")
    c.check("WS-Trust: wrong password is a SOAP fault (500)",
            r.status == 500 and b"a:RequestFailed" in r.raw and b"MSIS3127" in r.raw)
    r = _post_rst(cl, "2005", "fred@fabrikam.com", PASSWORD)
    c.check("WS-Trust 2005 issues SAML 2.0", r.status == 200 and
            b"SAML:2.0:assertion" in r.raw)
    r = _post_rst(cl, "13", "fred@fabrikam.com", PASSWORD)
    c.check("WS-Trust 1.3 issues SAML 1.1", r.status == 200 and b"SAML:1.0:assertion" in r.raw)
    assertion = _token(r.raw)
    grant = "urn:ietf:params:oauth:grant-type:saml1_1-bearer"
    form = {"grant_type": grant, "scope": "openid", "client_id": CID, "resource": RES,
            "assertion": base64.b64encode(assertion).decode()}
    r = cl.form("/contoso/oauth2/token", form)
    c.check("SAML 1.1 grant issues a token", r.status == 200 and "access_token" in (r.json or {}))
    form["assertion"] = base64.b64encode(assertion.replace(b"  ", b" ") + b" ").decode()
    r = cl.form("/contoso/oauth2/token", form)
    c.check("altered assertion refused", r.status == 400)
    form["assertion"] = base64.b64encode(assertion).decode()
    form["grant_type"] = "urn:ietf:params:oauth:grant-type:saml2-bearer"
    r = cl.form("/contoso/oauth2/token", form)
    c.check("SAML 1.1 assertion under the SAML 2 grant refused", r.status == 400)

    pw = {"grant_type": "password", "scope": "openid", "client_id": CID, "resource": RES,
          "password": PASSWORD, "username": "alice@contoso.com"}
    r = cl.form("/contoso/oauth2/token", pw)
    c.check("password grant for a managed user", r.status == 200)
    r = cl.form("/contoso/oauth2/token", dict(pw, password="nope"))
    c.check("wrong password: invalid_grant 50126", r.status == 400 and
            (r.json or {}).get("error_codes") == [50126])
    r = cl.form("/contoso/oauth2/token", dict(pw, username="fred@fabrikam.com"))
    c.check("federated user cannot use the password grant on AAD", r.status == 400)
    r = cl.form("/adfs/oauth2/token", dict(pw, username="fred@fabrikam.com"))
    c.check("ADFS takes the password grant", r.status == 200)

    cl.control("behaviour", {"wstrust_version": "2005", "wstrust_fault_status": 200,
                             "mex_broken": True})
    r = cl.get("/common/UserRealm/fred%40fabrikam.com?api-version=1.0")
    c.check("behaviour: active auth URL follows wstrust_version",
            (r.json or {}).get("federation_active_auth_url", "").endswith("/2005/usernamemixed"))
    c.check("behaviour: mex_broken", cl.get("/adfs/services/trust/mex").status == 500)
    r = _post_rst(cl, "2005", "fred@fabrikam.com", "wrong")
    c.check("behaviour: fault status", r.status == 200 and b"s:Fault" in r.raw)
    r = cl.control("behaviour", {"wstrust_version": "14"})
    c.check("behaviour: bad wstrust_version refused", "error" in (r or {}) or r is None)
    cl.control("reset", {})
