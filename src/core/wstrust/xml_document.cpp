#include "core/wstrust/xml_document.hpp"

#include "core/wstrust/xml_library.hpp"

#include <array>
#include <climits>
#include <mutex>
#include <utility>

namespace aadcred::xml {

namespace {

// The prefixes ADAL's XPath expressions use (adal/constants.py XmlNamespaces), so the
// expressions read the same here.
constexpr std::array<std::pair<const char *, const char *>, 15> kNamespaces = {{
    {"wsdl", "http://schemas.xmlsoap.org/wsdl/"},
    {"sp", "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702"},
    {"sp2005", "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy"},
    {"wsu", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"},
    {"wsa10", "http://www.w3.org/2005/08/addressing"},
    {"http", "http://schemas.microsoft.com/ws/06/2004/policy/http"},
    {"soap12", "http://schemas.xmlsoap.org/wsdl/soap12/"},
    {"wsp", "http://schemas.xmlsoap.org/ws/2004/09/policy"},
    {"s", "http://www.w3.org/2003/05/soap-envelope"},
    {"wsa", "http://www.w3.org/2005/08/addressing"},
    {"wst", "http://docs.oasis-open.org/ws-sx/ws-trust/200512"},
    {"trust", "http://docs.oasis-open.org/ws-sx/ws-trust/200512"},
    {"t", "http://schemas.xmlsoap.org/ws/2005/02/trust"},
    {"saml1", "urn:oasis:names:tc:SAML:1.0:assertion"},
    {"saml2", "urn:oasis:names:tc:SAML:2.0:assertion"},
}};

struct XPathContextFree {
    void operator()(xmlXPathContext *context) const noexcept {
        xml_library().XPathFreeContext(context);
    }
};
struct XPathObjectFree {
    void operator()(xmlXPathObject *object) const noexcept {
        xml_library().XPathFreeObject(object);
    }
};
struct XmlCharFree {
    void operator()(xmlChar *text) const noexcept { xml_library().Free(text); }
};

std::string take(xmlChar *raw) {
    const std::unique_ptr<xmlChar, XmlCharFree> owned(raw);
    return owned ? std::string(reinterpret_cast<const char *>(owned.get())) : std::string();
}

}  // namespace

void Document::Free::operator()(_xmlDoc *doc) const noexcept {
    xml_library().FreeDoc(doc);
}

Document Document::parse(std::string_view text) {
    xml_library();  // loads libxml2 and initialises its parser, once
    if (text.size() > kMaxDocumentBytes || text.size() > static_cast<std::size_t>(INT_MAX))
        throw XmlError("XML document too large");
    // Refused before parsing too, so libxml2 never even reads an entity declaration
    // (attribute values would still be expanded without XML_PARSE_NOENT).
    if (text.find("<!DOCTYPE") != std::string_view::npos)
        throw XmlError("XML document type declarations are not allowed");
    // NONET: never fetch anything; NOERROR/NOWARNING: libxml2 would print to stderr.
    // Deliberately without NOENT, DTDLOAD, DTDATTR and HUGE.
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlDoc *raw = xml_library().ReadMemory(text.data(), static_cast<int>(text.size()), "noname.xml",
                                           nullptr, options);
    if (raw == nullptr) throw XmlError("XML document is not well-formed");
    Document doc(raw);
    // A DTD is the only way to declare entities; SOAP 1.2 §5 forbids one in an
    // envelope, and no MEX document needs one.
    if (raw->intSubset != nullptr || raw->extSubset != nullptr)
        throw XmlError("XML document type declarations are not allowed");
    if (xml_library().DocGetRootElement(raw) == nullptr)
        throw XmlError("XML document has no element");
    return doc;
}

Node Document::root() const {
    return xml_library().DocGetRootElement(doc_.get());
}

std::vector<Node> Document::find(const std::string &xpath, Node context) const {
    const std::unique_ptr<xmlXPathContext, XPathContextFree> ctx(
        xml_library().XPathNewContext(doc_.get()));
    if (!ctx) throw XmlError("out of memory");
    for (const auto &[prefix, uri] : kNamespaces)
        xml_library().XPathRegisterNs(ctx.get(), reinterpret_cast<const xmlChar *>(prefix),
                                      reinterpret_cast<const xmlChar *>(uri));
    ctx->node = context != nullptr ? context : root();
    const std::unique_ptr<xmlXPathObject, XPathObjectFree> result(xml_library().XPathEvalExpression(
        reinterpret_cast<const xmlChar *>(xpath.c_str()), ctx.get()));
    if (!result) throw XmlError("bad XPath expression: " + xpath);
    std::vector<Node> nodes;
    if (result->type != XPATH_NODESET || result->nodesetval == nullptr) return nodes;
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        Node node = result->nodesetval->nodeTab[i];
        if (node != nullptr && node->type == XML_ELEMENT_NODE) nodes.push_back(node);
    }
    return nodes;
}

std::string text(Node node) {
    return node != nullptr ? take(xml_library().NodeGetContent(node)) : std::string();
}

std::string attribute(Node node, const char *name) {
    if (node == nullptr) return {};
    return take(xml_library().GetNoNsProp(node, reinterpret_cast<const xmlChar *>(name)));
}

std::string attribute_ns(Node node, const char *name, const char *ns_uri) {
    if (node == nullptr) return {};
    return take(xml_library().GetNsProp(node, reinterpret_cast<const xmlChar *>(name),
                                        reinterpret_cast<const xmlChar *>(ns_uri)));
}

Node parent(Node node) {
    if (node == nullptr || node->parent == nullptr || node->parent->type != XML_ELEMENT_NODE)
        return nullptr;
    return node->parent;
}

}  // namespace aadcred::xml
