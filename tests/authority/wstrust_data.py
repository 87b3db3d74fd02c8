"""XML the federated (ADFS-like) part of the authority sends: the MEX document, RSTRs with
SAML 1.1 / 2.0 assertions, and SOAP faults. Kept apart from the endpoint logic so the
shapes can be read (and changed) in one place."""
from xml.sax.saxutils import escape

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
ACTION_13 = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue"
ACTION_2005 = "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue"
SAML1 = "urn:oasis:names:tc:SAML:1.0:assertion"
SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"

_POLICY_13 = (
    '<wsp:Policy wsu:Id="UserNameBinding_13_policy"><wsp:ExactlyOne><wsp:All>'
    '<sp:TransportBinding><wsp:Policy><sp:TransportToken><wsp:Policy><sp:HttpsToken/>'
    '</wsp:Policy></sp:TransportToken></wsp:Policy></sp:TransportBinding>'
    '<sp:SignedEncryptedSupportingTokens><wsp:Policy><sp:UsernameToken><wsp:Policy>'
    '<sp:WssUsernameToken10/></wsp:Policy></sp:UsernameToken></wsp:Policy>'
    '</sp:SignedEncryptedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>')
_POLICY_2005 = (
    '<wsp:Policy wsu:Id="UserNameBinding_2005_policy"><wsp:ExactlyOne><wsp:All>'
    '<sp2005:TransportBinding><wsp:Policy><sp2005:TransportToken><wsp:Policy>'
    '<sp2005:HttpsToken/></wsp:Policy></sp2005:TransportToken></wsp:Policy>'
    '</sp2005:TransportBinding>'
    '<sp2005:SignedSupportingTokens><wsp:Policy><sp2005:UsernameToken><wsp:Policy>'
    '<sp2005:WssUsernameToken10/></wsp:Policy></sp2005:UsernameToken></wsp:Policy>'
    '</sp2005:SignedSupportingTokens></wsp:All></wsp:ExactlyOne></wsp:Policy>')


def _binding(name, action):
    return ('<wsdl:binding name="%s" type="tns:IWSTrust"><wsp:PolicyReference URI="#%s_policy"/>'
            '<soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>'
            '<wsdl:operation name="Issue"><soap12:operation soapAction="%s" style="document"/>'
            '</wsdl:operation></wsdl:binding>' % (name, name, action))


def _port(name, url):
    return ('<wsdl:port name="%s_port" binding="tns:%s"><soap12:address location="%s"/>'
            '<wsa10:EndpointReference><wsa10:Address>%s</wsa10:Address>'
            '</wsa10:EndpointReference></wsdl:port>' % (name, name, escape(url), escape(url)))


def mex(base, versions):
    """A MEX document offering usernamemixed endpoints for `versions` ("13", "2005")."""
    parts = {"policies": "", "bindings": "", "ports": ""}
    for version in versions:
        name = "UserNameBinding_" + version
        parts["policies"] += _POLICY_13 if version == "13" else _POLICY_2005
        parts["bindings"] += _binding(name, ACTION_13 if version == "13" else ACTION_2005)
        parts["ports"] += _port(name, "%s/adfs/services/trust/%s/usernamemixed" % (base, version))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<wsdl:definitions name="SecurityTokenService" '
        'targetNamespace="http://schemas.microsoft.com/ws/2008/06/identity/securitytokenservice" '
        'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" '
        'xmlns:tns="http://schemas.microsoft.com/ws/2008/06/identity/securitytokenservice" '
        'xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:wsu="%s" '
        'xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" '
        'xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" '
        'xmlns:sp2005="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy" '
        'xmlns:wsa10="http://www.w3.org/2005/08/addressing">'
        '%s%s<wsdl:service name="SecurityTokenService">%s</wsdl:service></wsdl:definitions>'
        % (WSU, parts["policies"], parts["bindings"], parts["ports"]))


def assertion(version, assertion_id, issuer, upn, audience, now, expires):
    """An unsigned SAML assertion. The redundant xmlns on the inner element makes any
    re-serialisation by the client visible: the token endpoint compares bytes."""
    if version == "1.1":
        return (
            '<saml:Assertion MajorVersion="1" MinorVersion="1" AssertionID="%s" Issuer="%s" '
            'IssueInstant="%s" xmlns:saml="%s"><saml:Conditions NotBefore="%s" '
            'NotOnOrAfter="%s"><saml:AudienceRestrictionCondition><saml:Audience>%s'
            '</saml:Audience></saml:AudienceRestrictionCondition></saml:Conditions>'
            '<saml:AttributeStatement xmlns:saml="%s"><saml:Subject><saml:NameIdentifier>%s'
            '</saml:NameIdentifier><saml:SubjectConfirmation><saml:ConfirmationMethod>'
            'urn:oasis:names:tc:SAML:1.0:cm:bearer</saml:ConfirmationMethod>'
            '</saml:SubjectConfirmation></saml:Subject><saml:Attribute AttributeName="UPN" '
            'AttributeNamespace="http://schemas.xmlsoap.org/claims"><saml:AttributeValue>%s'
            '</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>'
            % (assertion_id, escape(issuer), now, SAML1, now, expires, escape(audience), SAML1,
               escape(upn), escape(upn)))
    return (
        '<Assertion ID="%s" IssueInstant="%s" Version="2.0" xmlns="%s"><Issuer>%s</Issuer>'
        '<Subject xmlns="%s"><NameID>%s</NameID><SubjectConfirmation '
        'Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/></Subject><Conditions NotBefore="%s" '
        'NotOnOrAfter="%s"><AudienceRestriction><Audience>%s</Audience></AudienceRestriction>'
        '</Conditions></Assertion>'
        % (assertion_id, now, SAML2, escape(issuer), SAML2, escape(upn), now, expires,
           escape(audience)))


def rstr(version, token, token_type, audience, now, expires):
    if version == "13":
        return (
            '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:u="%s"><s:Header>'
            '<a:Action s:mustUnderstand="1">'
            'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal</a:Action>'
            '</s:Header><s:Body><trust:RequestSecurityTokenResponseCollection '
            'xmlns:trust="http://docs.oasis-open.org/ws-sx/ws-trust/200512">'
            '<trust:RequestSecurityTokenResponse><trust:Lifetime><u:Created>%s</u:Created>'
            '<u:Expires>%s</u:Expires></trust:Lifetime><wsp:AppliesTo '
            'xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><wsa:EndpointReference '
            'xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>%s</wsa:Address>'
            '</wsa:EndpointReference></wsp:AppliesTo><trust:RequestedSecurityToken>%s'
            '</trust:RequestedSecurityToken><trust:TokenType>%s</trust:TokenType>'
            '<trust:RequestType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue'
            '</trust:RequestType><trust:KeyType>'
            'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer</trust:KeyType>'
            '</trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection>'
            '</s:Body></s:Envelope>' % (WSU, now, expires, escape(audience), token, token_type))
    return (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:u="%s"><s:Header>'
        '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/02/trust/RSTR/Issue'
        '</a:Action></s:Header><s:Body><t:RequestSecurityTokenResponse '
        'xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:Lifetime><u:Created>%s'
        '</u:Created><u:Expires>%s</u:Expires></t:Lifetime><t:RequestedSecurityToken>%s'
        '</t:RequestedSecurityToken><t:TokenType>%s</t:TokenType><t:RequestType>'
        'http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType><t:KeyType>'
        'http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</t:KeyType>'
        '</t:RequestSecurityTokenResponse></s:Body></s:Envelope>'
        % (WSU, now, expires, token, token_type))


def fault(subcode, text):
    """A SOAP 1.2 fault as ADFS sends it for bad credentials (no timestamps: stable)."""
    return (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action '
        's:mustUnderstand="1">http://www.w3.org/2005/08/addressing/soap/fault</a:Action>'
        '</s:Header><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode>'
        '<s:Value xmlns:a="http://docs.oasis-open.org/ws-sx/ws-trust/200512">a:%s</s:Value>'
        '</s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">%s</s:Text></s:Reason>'
        '</s:Fault></s:Body></s:Envelope>' % (subcode, escape(text)))
