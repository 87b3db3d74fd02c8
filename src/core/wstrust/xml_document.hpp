#pragma once
// libxml2 behind RAII for documents that come from the network (MEX, WS-Trust RSTR).
// Hardened: no network access (XML_PARSE_NONET), no entity substitution (XML_PARSE_NOENT
// stays off), and any document type declaration is refused outright, so neither XXE
// (external entities) nor "billion laughs" (internal entity expansion) can happen.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct _xmlDoc;
struct _xmlNode;

namespace aadcred::xml {

using Node = _xmlNode *;

/// Largest document accepted; the transport caps replies at 1 MiB already.
inline constexpr std::size_t kMaxDocumentBytes = 1u << 20;

/// Malformed, oversized or DTD-carrying input.
class XmlError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Document {
  public:
    /// Throws XmlError when `text` is not one well-formed document, is larger than
    /// kMaxDocumentBytes, or has a <!DOCTYPE>.
    static Document parse(std::string_view text);

    /// The document element.
    Node root() const;

    /// The element nodes `xpath` selects, evaluated at `context` (the document element
    /// when null). Prefixes: ADAL's map (wsdl, sp, sp2005, wsu, wsa10, http, soap12, wsp,
    /// s, wsa, wst, trust, t) plus saml1/saml2. Throws XmlError for a bad expression.
    std::vector<Node> find(const std::string &xpath, Node context = nullptr) const;

  private:
    struct Free {
        void operator()(_xmlDoc *doc) const noexcept;
    };
    explicit Document(_xmlDoc *doc) : doc_(doc) {}
    std::unique_ptr<_xmlDoc, Free> doc_;
};

/// The text content of a node (all descendant text, entities as written).
std::string text(Node node);

/// An attribute without namespace, or "" when absent.
std::string attribute(Node node, const char *name);

/// An attribute in namespace `ns_uri`, or "" when absent.
std::string attribute_ns(Node node, const char *name, const char *ns_uri);

/// The parent element, or nullptr.
Node parent(Node node);

}  // namespace aadcred::xml
