#include "core/wstrust/wstrust_response.hpp"

#include <optional>

#include "core/adal_error.hpp"
#include "core/wstrust/xml_document.hpp"

namespace aadcred {

namespace {

constexpr std::string_view kSaml1 = "urn:oasis:names:tc:SAML:1.0:assertion";
constexpr std::string_view kSaml11Profile =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1";
constexpr std::string_view kSaml2 = "urn:oasis:names:tc:SAML:2.0:assertion";
constexpr std::string_view kSaml2Profile =
    "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0";

// Python's \w on str: letters, digits, '_' and (approximately) any non-ASCII character.
bool is_word(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || u == '_' || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
           (u >= 'A' && u <= 'Z');
}

// At `at` (just after '<' or "</"): matches (?:\w+:)?tag, returns the index after tag.
std::optional<std::size_t> match_name(std::string_view text, std::size_t at, std::string_view tag) {
    std::size_t word = at;
    while (word < text.size() && is_word(text[word])) ++word;
    if (word > at && word < text.size() && text[word] == ':' &&
        text.substr(word + 1, tag.size()) == tag)
        return word + 1 + tag.size();
    if (text.substr(at, tag.size()) == tag) return at + tag.size();
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> raw_element_content(std::string_view text, std::string_view tag) {
    // <(?:\w+:)?tag(?:[^>]*)>(.*)</(?:\w+:)?tag with DOTALL: the first opening tag, then
    // greedily up to the last closing tag after it.
    for (std::size_t open = text.find('<'); open != std::string_view::npos;
         open = text.find('<', open + 1)) {
        const auto name_end = match_name(text, open + 1, tag);
        if (!name_end) continue;
        const std::size_t gt = text.find('>', *name_end);
        if (gt == std::string_view::npos) return std::nullopt;
        const std::size_t start = gt + 1;
        for (std::size_t close = text.rfind("</");
             close != std::string_view::npos && close >= start;
             close = close == 0 ? std::string_view::npos : text.rfind("</", close - 1)) {
            if (match_name(text, close + 2, tag)) return text.substr(start, close - start);
        }
        // No closing tag after this opening one: a later opening tag cannot have one either.
        return std::nullopt;
    }
    return std::nullopt;
}

WsTrustToken parse_rstr(std::string_view body, WsTrustVersion version, const Logger &log) {
    if (body.empty()) throw AdalError(ErrorClass::protocol, "Received empty RSTR response body.");
    std::optional<xml::Document> parsed;
    try {
        parsed.emplace(xml::Document::parse(body));
    } catch (const xml::XmlError &e) {
        log.info(std::string("RSTR refused: ") + e.what());
        throw AdalError(ErrorClass::protocol, "Failed to parse RSTR in to DOM");
    }
    const xml::Document &doc = *parsed;

    // SOAP 1.2 §5.4: Reason/Text is the human text, Code/Subcode/Value the WS-Trust
    // fault code ("a:RequestFailed"; ADAL keeps what follows the first ':').
    std::string fault_message;
    const auto reasons = doc.find("s:Body/s:Fault/s:Reason/s:Text");
    if (!reasons.empty()) fault_message = xml::text(reasons.front());
    const auto subcodes = doc.find("s:Body/s:Fault/s:Code/s:Subcode/s:Value");
    if (subcodes.size() > 1)
        throw AdalError(ErrorClass::protocol,
                        "Found too many fault code values: " + std::to_string(subcodes.size()));
    std::string error_code;
    if (!subcodes.empty()) {
        const std::string value = xml::text(subcodes.front());
        const auto colon = value.find(':');
        error_code = colon == std::string::npos
                         ? value
                         : value.substr(colon + 1, value.find(':', colon + 1) - colon - 1);
    }
    if (!fault_message.empty()) {
        throw AdalError(ErrorClass::server,
                        "Server returned error in RSTR - ErrorCode: " +
                            (error_code.empty() ? std::string("NONE") : error_code) +
                            " : FaultMessage: " + fault_message);
    }

    // ADAL's _parse_token_by_re: each RequestSecurityTokenResponse (the pattern also
    // matches ...Collection) with both a TokenType and a RequestedSecurityToken.
    std::string_view rest = body;
    while (const auto rstr = raw_element_content(rest, "RequestSecurityTokenResponse")) {
        const auto type = raw_element_content(*rstr, "TokenType");
        const auto token = raw_element_content(*rstr, "RequestedSecurityToken");
        if (type && token) {
            log.info("Found token of type: " + std::string(*type));
            return WsTrustToken{SecretString(*token), std::string(*type)};
        }
        rest = rest.substr(static_cast<std::size_t>(rstr->data() + rstr->size() - rest.data()));
    }
    // ADAL's DOM fallback would re-serialize the token (breaking its signature); only
    // its errors are kept.
    const char *type_path = version == WsTrustVersion::v2005
                                ? "s:Body/t:RequestSecurityTokenResponse/t:TokenType"
                                : "s:Body/wst:RequestSecurityTokenResponseCollection/"
                                  "wst:RequestSecurityTokenResponse/wst:TokenType";
    if (doc.find(type_path).empty())
        throw AdalError(ErrorClass::protocol, "No TokenType nodes found in RSTR");
    throw AdalError(ErrorClass::protocol, "Unable to find any tokens in RSTR.");
}

std::string_view saml_grant_type(std::string_view token_type) {
    if (token_type == kSaml1 || token_type == kSaml11Profile)
        return "urn:ietf:params:oauth:grant-type:saml1_1-bearer";
    if (token_type == kSaml2 || token_type == kSaml2Profile)
        return "urn:ietf:params:oauth:grant-type:saml2-bearer";
    throw AdalError(ErrorClass::protocol,
                    "RSTR returned unknown token type: " + std::string(token_type));
}

}  // namespace aadcred
