"""Username/password sign-in: user realm discovery, an ADFS-like federation server (MEX and
WS-Trust 1.3 / 2005 usernamemixed) and the password and SAML bearer grants.

Users: `*@contoso.com` (and any domain but the two below) are managed, `*@fabrikam.com`
are federated, `*@unknown.example` get account_type Unknown. Every user's password is
PASSWORD. The federation server issues unsigned SAML assertions; the token endpoint
accepts only assertions it issued, byte for byte.
"""
import base64
import datetime
import threading
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import aad_endpoints
import aad_errors
import wstrust_data
from directory import get_user, tenant_id

PASSWORD = "p&ss<word>"
FEDERATED_DOMAIN = "fabrikam.com"
UNKNOWN_DOMAIN = "unknown.example"
SAML1_GRANT = "urn:ietf:params:oauth:grant-type:saml1_1-bearer"
SAML2_GRANT = "urn:ietf:params:oauth:grant-type:saml2-bearer"
GRANTS = ("password", SAML1_GRANT, SAML2_GRANT)
WSSE = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}"
ADDRESS = "{http://www.w3.org/2005/08/addressing}Address"
MAX_ASSERTIONS = 10000

_lock = threading.Lock()
_assertions = {}  # assertion id -> {"xml", "upn", "saml"}


def _domain(upn):
    return upn.rsplit("@", 1)[-1].lower() if "@" in upn else ""


def _fed_base(h):
    return "https://%s" % h.public_host()


def handle(h, a, segments):
    """Routes the requests this module owns; False for everything else."""
    method = "GET" if h.command == "HEAD" else h.command
    if len(segments) == 3 and segments[:2] == ["common", "UserRealm"] and method == "GET":
        user_realm(h, a, urllib.parse.unquote(segments[2]))
        return True
    if segments == ["adfs", "services", "trust", "mex"] and method == "GET":
        mex(h, a)
        return True
    if (len(segments) == 5 and segments[:3] == ["adfs", "services", "trust"]
            and segments[3] in ("13", "2005") and segments[4] == "usernamemixed"
            and method == "POST"):
        usernamemixed(h, a, segments[3])
        return True
    return False


def user_realm(h, a, upn):
    # AAD's shape: account_type and federation_protocol capitalised, the client lower()s.
    domain = _domain(upn)
    body = {"ver": "1.0", "NameSpaceType": "Managed", "account_type": "Managed",
            "domain_name": domain, "cloud_instance_name": "microsoftonline.com",
            "cloud_audience_urn": "urn:federation:MicrosoftOnline"}
    if domain == FEDERATED_DOMAIN:
        version = a.current_behaviour()["wstrust_version"]
        base = _fed_base(h)
        body.update({
            "NameSpaceType": "Federated", "account_type": "Federated",
            "federation_protocol": "WSTrust",
            "federation_metadata_url": base + "/adfs/services/trust/mex",
            "federation_active_auth_url": "%s/adfs/services/trust/%s/usernamemixed"
                                          % (base, version),
        })
    elif domain == UNKNOWN_DOMAIN:
        body.update({"NameSpaceType": "Unknown", "account_type": "Unknown"})
    h.send_json(200, body)


def mex(h, a):
    behaviour = a.current_behaviour()
    if behaviour["mex_broken"]:
        h.send_raw(500, b"MEX is down", "text/plain; charset=utf-8")
        return
    versions = ["13", "2005"] if behaviour["wstrust_version"] == "13" else ["2005"]
    doc = wstrust_data.mex(_fed_base(h), versions)
    h.send_raw(200, doc.encode("utf-8"), "application/soap+xml; charset=utf-8")


def _fault(h, a, subcode, text):
    status = a.current_behaviour()["wstrust_fault_status"]
    h.send_raw(status, wstrust_data.fault(subcode, text).encode("utf-8"),
               "application/soap+xml; charset=utf-8")


def _utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def usernamemixed(h, a, version):
    expected_action = wstrust_data.ACTION_13 if version == "13" else wstrust_data.ACTION_2005
    if h.headers.get("SOAPAction", "") != expected_action:
        _fault(h, a, "InvalidRequest", "MSIS7065: The SOAP action does not match the endpoint.")
        return
    try:
        root = ET.fromstring(h.body)
    except ET.ParseError:
        _fault(h, a, "InvalidRequest", "MSIS7065: The request is not well-formed.")
        return
    username = root.findtext(".//%sUsername" % WSSE) or ""
    password = root.findtext(".//%sPassword" % WSSE) or ""
    address = root.find(".//{http://schemas.xmlsoap.org/ws/2004/09/policy}AppliesTo//" + ADDRESS)
    audience = address.text if address is not None and address.text else ""
    user = get_user(username)
    if user is None or _domain(username) != FEDERATED_DOMAIN or password != PASSWORD:
        _fault(h, a, "RequestFailed", "MSIS3127: The specified request failed.")
        return
    saml = "1.1" if version == "13" else "2.0"
    now = datetime.datetime.now(datetime.timezone.utc)
    created, expires = _utc(now), _utc(now + datetime.timedelta(hours=1))
    assertion_id = "_" + str(uuid.uuid4())
    token = wstrust_data.assertion(saml, assertion_id, _fed_base(h) + "/adfs/services/trust",
                                   user["upn"], audience, created, expires)
    with _lock:
        if len(_assertions) >= MAX_ASSERTIONS:
            _assertions.clear()
        _assertions[assertion_id] = {"xml": token, "upn": user["upn"], "saml": saml}
    token_type = wstrust_data.SAML1 if saml == "1.1" else wstrust_data.SAML2
    body = wstrust_data.rstr(version, token, token_type, audience, created, expires)
    h.send_raw(200, body.encode("utf-8"), "application/soap+xml; charset=utf-8")


def _grant_error(h, code, text):
    status, body = aad_errors.body("invalid_grant", h.correlation_id(), code=code, text=text,
                                   wire_error="invalid_grant")
    h.send_json(status, body)


def token(h, a, tenant, api, grant_type):
    """The password grant (managed users, ADFS) and the SAML bearer grants."""
    if not aad_endpoints._require(h, "client_id", "resource"):
        return
    if grant_type == "password":
        if not aad_endpoints._require(h, "username", "password"):
            return
        user = get_user(h.form["username"])
        if user is None or h.form["password"] != PASSWORD or (
                tenant.lower() != "adfs" and _domain(user["upn"]) == FEDERATED_DOMAIN):
            _grant_error(h, 50126, "Error validating credentials due to invalid username or "
                                   "password.")
            return
        upn = user["upn"]
    else:
        if not aad_endpoints._require(h, "assertion"):
            return
        try:
            xml = base64.b64decode(h.form["assertion"], validate=True).decode("utf-8")
            node = ET.fromstring(xml)
        except (ValueError, ET.ParseError):
            _grant_error(h, 50107, "The requested federation realm object does not exist.")
            return
        assertion_id = node.get("AssertionID") or node.get("ID") or ""
        with _lock:
            issued = _assertions.get(assertion_id)
        wanted = SAML1_GRANT if issued and issued["saml"] == "1.1" else SAML2_GRANT
        if issued is None or issued["xml"] != xml or grant_type != wanted:
            _grant_error(h, 50008, "SAML token is invalid.")
            return
        upn = issued["upn"]
    grant = {"api": "v1", "client_id": h.form["client_id"], "upn": upn, "tenant": tenant,
             "tid": tenant_id(tenant), "resource": h.form["resource"], "scope": None}
    aad_endpoints._issue(h, a, grant)
