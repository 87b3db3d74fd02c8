#include "core/wstrust/wstrust_request.hpp"

#include <ctime>
#include <string>

#include "core/adal_error.hpp"
#include "core/http/authority_requests.hpp"
#include "util/uuid.hpp"

namespace aadcred {

namespace {

// Reserves room for everything, so appending never reallocates and leaves a stray copy
// of the password in freed memory.
class SecretBuilder {
  public:
    explicit SecretBuilder(std::size_t capacity) { text_.reserve(capacity); }
    SecretBuilder &operator<<(std::string_view part) {
        if (text_.size() + part.size() > text_.capacity()) throw std::length_error("RST too large");
        text_.append(part);
        return *this;
    }
    SecretString take() {
        SecretString out(std::move(text_));
        secure_wipe(text_);
        return out;
    }
    ~SecretBuilder() { secure_wipe(text_); }
    SecretBuilder(const SecretBuilder &) = delete;
    SecretBuilder &operator=(const SecretBuilder &) = delete;

  private:
    std::string text_;
};

constexpr std::size_t kMaxRstBytes = 64u << 10;

}  // namespace

std::string_view rst_soap_action(WsTrustVersion version) {
    return version == WsTrustVersion::v2005
               ? "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue"
               : "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue";
}

SecretString escape_password(const SecretString &password) {
    SecretBuilder out(password.size() * 6 + 1);
    for (char c : password.reveal()) {
        switch (c) {
            case '&':
                out << "&amp;";
                break;
            case '"':
                out << "&quot;";
                break;
            case '\'':
                out << "&apos;";
                break;
            case '<':
                out << "&lt;";
                break;
            case '>':
                out << "&gt;";
                break;
            default:
                out << std::string_view(&c, 1);
        }
    }
    return out.take();
}

std::string wsu_time(std::chrono::system_clock::time_point when) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch());
    const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms.count() % 1000));
    return std::string(buffer) + millis;
}

SecretString build_rst(std::string_view endpoint_url, WsTrustVersion version,
                       std::string_view applies_to, std::string_view username,
                       const SecretString &password, std::chrono::system_clock::time_point now,
                       std::string_view message_id) {
    const bool v2005 = version == WsTrustVersion::v2005;
    const std::string_view trust_ns = v2005 ? "http://schemas.xmlsoap.org/ws/2005/02/trust"
                                            : "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
    const std::string_view key_type =
        v2005 ? "http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey"
              : "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer";
    const std::string_view request_type =
        v2005 ? "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue"
              : "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue";
    const SecretString escaped = escape_password(password);
    const std::size_t size = 2048 + endpoint_url.size() + applies_to.size() + username.size() +
                             escaped.size() + message_id.size();
    if (size > kMaxRstBytes)
        throw AdalError(ErrorClass::invalid, "The WS-Trust request is too large");
    SecretBuilder rst(size);
    // ADAL's template, quotes and element order included (wsa:messageID sic).
    rst << "<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope' "
           "xmlns:wsa='http://www.w3.org/2005/08/addressing' "
           "xmlns:wsu='http://docs.oasis-open.org/wss/2004/01/"
           "oasis-200401-wss-wssecurity-utility-1.0.xsd'>"
        << "<s:Header>"
        << "<wsa:Action s:mustUnderstand='1'>" << rst_soap_action(version) << "</wsa:Action>"
        << "<wsa:messageID>urn:uuid:" << message_id << "</wsa:messageID>"
        << "<wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</"
           "wsa:Address></wsa:ReplyTo>"
        << "<wsa:To s:mustUnderstand='1'>" << endpoint_url << "</wsa:To>"
        << "<wsse:Security s:mustUnderstand='1' "
           "xmlns:wsse='http://docs.oasis-open.org/wss/2004/01/"
           "oasis-200401-wss-wssecurity-secext-1.0.xsd'>"
        << "<wsu:Timestamp wsu:Id='_0'>"
        << "<wsu:Created>" << wsu_time(now) << "</wsu:Created>"
        << "<wsu:Expires>" << wsu_time(now + std::chrono::minutes(10)) << "</wsu:Expires>"
        << "</wsu:Timestamp>"
        << "<wsse:UsernameToken wsu:Id='ADALUsernameToken'>"
        << "<wsse:Username>" << username << "</wsse:Username>"
        << "<wsse:Password>" << escaped.reveal() << "</wsse:Password>"
        << "</wsse:UsernameToken>"
        << "</wsse:Security>"
        << "</s:Header>"
        << "<s:Body>"
        << "<wst:RequestSecurityToken xmlns:wst='" << trust_ns << "'>"
        << "<wsp:AppliesTo xmlns:wsp='http://schemas.xmlsoap.org/ws/2004/09/policy'>"
        << "<wsa:EndpointReference><wsa:Address>" << applies_to
        << "</wsa:Address></wsa:EndpointReference>"
        << "</wsp:AppliesTo>"
        << "<wst:KeyType>" << key_type << "</wst:KeyType>"
        << "<wst:RequestType>" << request_type << "</wst:RequestType>"
        << "</wst:RequestSecurityToken>"
        << "</s:Body>"
        << "</s:Envelope>";
    return rst.take();
}

WsTrustToken request_wstrust_token(HttpTransport &transport, const Logger &log,
                                   const std::string &endpoint_url, WsTrustVersion version,
                                   std::string_view applies_to, std::string_view username,
                                   const SecretString &password) {
    if (version == WsTrustVersion::undefined)
        throw AdalError(ErrorClass::invalid,
                        "Unsupported wstrust endpoint version. Current support version is "
                        "wstrust2005 or wstrust13.");
    HttpRequest request =
        make_request(HttpRequest::Method::post, endpoint_url, log.correlation_id());
    request.headers.emplace_back("Content-type", "application/soap+xml; charset=utf-8");
    request.headers.emplace_back("SOAPAction", std::string(rst_soap_action(version)));
    request.body = build_rst(endpoint_url, version, applies_to, username, password,
                             std::chrono::system_clock::now(), uuid4());
    // Never the envelope itself: it holds the password.
    log.verbose("Sending RST to: " + log.pii(endpoint_url));
    const HttpResponse response = transport.send(request);
    log_returned_correlation_id(log, "WS-Trust RST", response);
    if (!is_http_success(response.status)) throw http_error("WS-Trust RST", response);
    return parse_rstr(response.body.reveal(), version, log);
}

}  // namespace aadcred
