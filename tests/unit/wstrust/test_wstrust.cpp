// Username/password building blocks (reference §2.3, §2.5): what ADAL would send and
// accept, byte for byte where it matters, and hostile XML refused.
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "core/adal_error.hpp"
#include "core/oauth2/user_realm.hpp"
#include "core/oauth2/username_password_flow.hpp"
#include "core/wstrust/mex.hpp"
#include "core/wstrust/wstrust_request.hpp"
#include "core/wstrust/wstrust_response.hpp"
#include "util/log.hpp"

// clang-format off
#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()
// clang-format on

using namespace aadcred;

namespace {

const Logger &log() {
    static const Logger logger("test", "cid");
    return logger;
}

std::string data(const char *name) {
    std::ifstream in(std::string(WSTRUST_DATA_DIR) + "/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    assert_false(text.str().empty());
    return text.str();
}

// The AdalError message `call` throws ("" when it does not throw).
std::string error_of(const std::function<void()> &call) {
    try {
        call();
    } catch (const AdalError &e) {
        return e.message();
    }
    return {};
}

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

const std::string kRstrFault =
    "<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'><s:Body><s:Fault>"
    "<s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value "
    "xmlns:a='http://docs.oasis-open.org/ws-sx/ws-trust/200512'>a:FailedAuthentication"
    "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang='en-US'>ID3242: bad "
    "credentials</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";

// A SAML 1.1 assertion with a redundant namespace declaration and odd spacing: a DOM
// round trip would change these bytes (and break a real signature).
const std::string kSaml11 =
    "\n  <saml:Assertion  MajorVersion=\"1\" xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\">"
    "<saml:Subject xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\">x&amp;y</saml:Subject>"
    "</saml:Assertion>\n";

std::string rstr13(const std::string &type, const std::string &token) {
    return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
           "<trust:RequestSecurityTokenResponseCollection "
           "xmlns:trust=\"http://docs.oasis-open.org/ws-sx/ws-trust/200512\">"
           "<trust:RequestSecurityTokenResponse><trust:RequestedSecurityToken>" +
           token + "</trust:RequestedSecurityToken><trust:TokenType>" + type +
           "</trust:TokenType></trust:RequestSecurityTokenResponse>"
           "</trust:RequestSecurityTokenResponseCollection></s:Body></s:Envelope>";
}

// --- user realm ------------------------------------------------------------------------

void user_realm_url_quotes_like_adal(void **) {
    assert_string_equal(
        user_realm_url("https://login.example.com:8443/contoso", "a b+c~(x)!'*@d.com").c_str(),
        "https://login.example.com:8443/common/UserRealm/a%20b%2Bc~(x)!'*%40d.com?api-version=1.0");
}

void user_realm_managed_and_federated(void **) {
    const UserRealm managed = parse_user_realm(R"({"account_type":"Managed","ver":"1.0"})");
    assert_string_equal(managed.account_type.c_str(), "managed");
    const UserRealm federated = parse_user_realm(
        R"({"account_type":"Federated","federation_protocol":"WSTrust",)"
        R"("federation_metadata_url":"https://sts/mex","federation_active_auth_url":null})");
    assert_string_equal(federated.account_type.c_str(), "federated");
    assert_string_equal(federated.federation_protocol.c_str(), "wstrust");
    assert_string_equal(federated.federation_metadata_url.c_str(), "https://sts/mex");
    assert_true(federated.federation_active_auth_url.empty());
    assert_string_equal(federated.cloud_audience_urn.c_str(), "urn:federation:MicrosoftOnline");
}

void user_realm_errors_use_adal_texts(void **) {
    assert_string_equal(error_of([] { parse_user_realm(R"({"account_type":"Guest"})"); }).c_str(),
                        "Cannot parse account_type: False");
    assert_string_equal(error_of([] { parse_user_realm(R"({"account_type":""})"); }).c_str(),
                        "Cannot parse account_type: False");
    assert_string_equal(
        error_of([] {
            parse_user_realm(R"({"account_type":"federated","federation_protocol":"ws"})");
        }).c_str(),
        "Cannot parse federation protocol: False");
    assert_true(contains(error_of([] { parse_user_realm(R"({"ver":"1.0"})"); }), "account_type"));
    assert_false(error_of([] { parse_user_realm("<html>"); }).empty());
}

// --- MEX -------------------------------------------------------------------------------

void mex_prefers_wstrust_13(void **) {
    const MexPolicy policy = parse_mex(data("mex_both.xml"), log());
    assert_int_equal(static_cast<int>(policy.version), static_cast<int>(WsTrustVersion::v13));
    assert_string_equal(policy.url.c_str(),
                        "https://sts.fabrikam.test/adfs/services/trust/13/usernamemixed");
}

void mex_2005_only(void **) {
    const MexPolicy policy = parse_mex(data("mex_2005_only.xml"), log());
    assert_int_equal(static_cast<int>(policy.version), static_cast<int>(WsTrustVersion::v2005));
    assert_string_equal(policy.url.c_str(),
                        "https://sts.fabrikam.test/adfs/services/trust/2005/usernamemixed");
}

void mex_skips_plain_http_ports(void **) {
    const MexPolicy policy = parse_mex(data("mex_13_insecure.xml"), log());
    assert_int_equal(static_cast<int>(policy.version), static_cast<int>(WsTrustVersion::v2005));
}

void mex_without_username_policy(void **) {
    assert_string_equal(
        error_of([] { parse_mex(data("mex_no_username_policy.xml"), log()); }).c_str(),
        "No matching policies.");
}

void mex_refuses_xxe(void **) {
    const std::string message = error_of([] { parse_mex(data("mex_xxe.xml"), log()); });
    assert_true(contains(message, "Failed to parse mex response"));
    assert_true(contains(message, "type declarations are not allowed"));
}

void version_from_active_auth_url(void **) {
    assert_int_equal(static_cast<int>(wstrust_version_from_url(
                         "https://s/adfs/services/trust/2005/usernamemixed")),
                     static_cast<int>(WsTrustVersion::v2005));
    assert_int_equal(static_cast<int>(wstrust_version_from_url(
                         "https://s/adfs/services/trust/13/usernamemixed")),
                     static_cast<int>(WsTrustVersion::v13));
    assert_int_equal(static_cast<int>(wstrust_version_from_url("https://s/adfs/ls")),
                     static_cast<int>(WsTrustVersion::undefined));
}

// --- RST -------------------------------------------------------------------------------

void rst_escapes_password_not_username(void **) {
    const auto now =
        std::chrono::system_clock::from_time_t(1'700'000'000) + std::chrono::milliseconds(7);
    const SecretString rst = build_rst("https://sts/13/usernamemixed", WsTrustVersion::v13,
                                       "urn:federation:MicrosoftOnline", "fred@fabrikam.com",
                                       SecretString(std::string("p&ss<w>\"'")), now, "m-1");
    const std::string &text = rst.reveal();
    assert_true(contains(text, "<wsse:Password>p&amp;ss&lt;w&gt;&quot;&apos;</wsse:Password>"));
    assert_true(contains(text, "<wsse:Username>fred@fabrikam.com</wsse:Username>"));
    assert_true(contains(text, "<wsu:Created>2023-11-14T22:13:20.007Z</wsu:Created>"));
    assert_true(contains(text, "<wsu:Expires>2023-11-14T22:23:20.007Z</wsu:Expires>"));
    assert_true(contains(text, "<wsa:Address>urn:federation:MicrosoftOnline</wsa:Address>"));
    assert_true(contains(
        text,
        "<wst:KeyType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer</wst:KeyType>"));
    assert_true(contains(text, "<wsa:messageID>urn:uuid:m-1</wsa:messageID>"));
    assert_true(
        contains(text, "<wsa:To s:mustUnderstand='1'>https://sts/13/usernamemixed</wsa:To>"));
}

void rst_2005_uses_noproofkey(void **) {
    const SecretString rst =
        build_rst("https://sts/2005/usernamemixed", WsTrustVersion::v2005, "urn:a", "u",
                  SecretString(std::string("p")), std::chrono::system_clock::now(), "m");
    assert_true(contains(
        rst.reveal(),
        "<wst:KeyType>http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey</wst:KeyType>"));
    assert_true(contains(rst.reveal(), "xmlns:wst='http://schemas.xmlsoap.org/ws/2005/02/trust'"));
    assert_string_equal(std::string(rst_soap_action(WsTrustVersion::v2005)).c_str(),
                        "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue");
}

// --- RSTR ------------------------------------------------------------------------------

void rstr_fault_uses_adal_text(void **) {
    assert_string_equal(
        error_of([] { parse_rstr(kRstrFault, WsTrustVersion::v13, log()); }).c_str(),
        "Server returned error in RSTR - ErrorCode: FailedAuthentication : "
        "FaultMessage: ID3242: bad credentials");
    std::string no_code = kRstrFault;
    no_code.erase(no_code.find("<s:Subcode>"),
                  no_code.find("</s:Code>") - no_code.find("<s:Subcode>"));
    assert_string_equal(error_of([&] { parse_rstr(no_code, WsTrustVersion::v13, log()); }).c_str(),
                        "Server returned error in RSTR - ErrorCode: NONE : FaultMessage: ID3242: "
                        "bad credentials");
}

void rstr_token_bytes_are_preserved(void **) {
    const WsTrustToken token = parse_rstr(rstr13("urn:oasis:names:tc:SAML:1.0:assertion", kSaml11),
                                          WsTrustVersion::v13, log());
    assert_string_equal(token.token.reveal().c_str(), kSaml11.c_str());
    assert_string_equal(std::string(saml_grant_type(token.token_type)).c_str(),
                        "urn:ietf:params:oauth:grant-type:saml1_1-bearer");
}

void rstr_token_types(void **) {
    assert_string_equal(
        std::string(saml_grant_type("urn:oasis:names:tc:SAML:2.0:assertion")).c_str(),
        "urn:ietf:params:oauth:grant-type:saml2-bearer");
    assert_string_equal(
        std::string(saml_grant_type(
                        "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1"))
            .c_str(),
        "urn:ietf:params:oauth:grant-type:saml1_1-bearer");
    assert_string_equal(error_of([] { saml_grant_type("urn:x:jwt"); }).c_str(),
                        "RSTR returned unknown token type: urn:x:jwt");
}

void rstr_errors(void **) {
    assert_string_equal(error_of([] { parse_rstr("", WsTrustVersion::v13, log()); }).c_str(),
                        "Received empty RSTR response body.");
    assert_string_equal(
        error_of([] { parse_rstr("<a><b></a>", WsTrustVersion::v13, log()); }).c_str(),
        "Failed to parse RSTR in to DOM");
    const std::string no_token =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>";
    assert_string_equal(error_of([&] { parse_rstr(no_token, WsTrustVersion::v13, log()); }).c_str(),
                        "No TokenType nodes found in RSTR");
}

void rstr_refuses_xxe_and_entity_bombs(void **) {
    const std::string xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
        rstr13("urn:oasis:names:tc:SAML:1.0:assertion", "<a>&x;</a>");
    assert_string_equal(error_of([&] { parse_rstr(xxe, WsTrustVersion::v13, log()); }).c_str(),
                        "Failed to parse RSTR in to DOM");
    const std::string bomb =
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<r>&b;</r>";
    assert_string_equal(error_of([&] { parse_rstr(bomb, WsTrustVersion::v13, log()); }).c_str(),
                        "Failed to parse RSTR in to DOM");
}

void raw_content_matches_adal_regex(void **) {
    assert_string_equal(
        std::string(
            *raw_element_content("<ns0:foo> what <bar> ever </bar> content </ns0:foo>", "foo"))
            .c_str(),
        " what <bar> ever </bar> content ");
    assert_false(raw_element_content("<foo>never closed", "foo").has_value());
}

// --- grant bodies ----------------------------------------------------------------------

void grant_bodies_match_adal(void **) {
    assert_string_equal(password_grant_body("cid", "https://r/", "alice@contoso.com",
                                            SecretString(std::string("p&w")))
                            .reveal()
                            .c_str(),
                        "grant_type=password&scope=openid&client_id=cid&resource=https%3A%2F%2Fr%2F"
                        "&password=p%26w&username=alice%40contoso.com");
    assert_string_equal(saml_grant_body("urn:ietf:params:oauth:grant-type:saml2-bearer", "cid", "r",
                                        SecretString(std::string("<a/>")))
                            .reveal()
                            .c_str(),
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer"
                        "&scope=openid&client_id=cid&resource=r&assertion=PGEvPg%3D%3D");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(user_realm_url_quotes_like_adal),
        cmocka_unit_test(user_realm_managed_and_federated),
        cmocka_unit_test(user_realm_errors_use_adal_texts),
        cmocka_unit_test(mex_prefers_wstrust_13),
        cmocka_unit_test(mex_2005_only),
        cmocka_unit_test(mex_skips_plain_http_ports),
        cmocka_unit_test(mex_without_username_policy),
        cmocka_unit_test(mex_refuses_xxe),
        cmocka_unit_test(version_from_active_auth_url),
        cmocka_unit_test(rst_escapes_password_not_username),
        cmocka_unit_test(rst_2005_uses_noproofkey),
        cmocka_unit_test(rstr_fault_uses_adal_text),
        cmocka_unit_test(rstr_token_bytes_are_preserved),
        cmocka_unit_test(rstr_token_types),
        cmocka_unit_test(rstr_errors),
        cmocka_unit_test(rstr_refuses_xxe_and_entity_bombs),
        cmocka_unit_test(raw_content_matches_adal_regex),
        cmocka_unit_test(grant_bodies_match_adal),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
