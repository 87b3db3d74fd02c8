#pragma once
// libxml2, loaded when a WS-Trust (federated) sign-in needs it (issue 12), as libcurl is
// (core/http/curl_library.hpp): the device code, the browser and every warm token map no
// libxml2. The functions xml_document.cpp calls, resolved once from libxml2.so.2.

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

namespace aadcred::xml {

/// The libxml2 functions the XML reader uses, named as in libxml2 without the xml prefix.
struct XmlLibrary {
    void (*InitParser)();
    xmlDoc *(*ReadMemory)(const char *buffer, int size, const char *url, const char *encoding,
                          int options);
    void (*FreeDoc)(xmlDoc *doc);
    xmlNode *(*DocGetRootElement)(const xmlDoc *doc);
    xmlXPathContext *(*XPathNewContext)(xmlDoc *doc);
    void (*XPathFreeContext)(xmlXPathContext *context);
    int (*XPathRegisterNs)(xmlXPathContext *context, const xmlChar *prefix, const xmlChar *uri);
    xmlXPathObject *(*XPathEvalExpression)(const xmlChar *expression, xmlXPathContext *context);
    void (*XPathFreeObject)(xmlXPathObject *object);
    xmlChar *(*NodeGetContent)(const xmlNode *node);
    xmlChar *(*GetNoNsProp)(const xmlNode *node, const xmlChar *name);
    xmlChar *(*GetNsProp)(const xmlNode *node, const xmlChar *name, const xmlChar *ns);
    /// libxml2's deallocator (xmlFree is a macro or a variable, depending on the build:
    /// this is what xmlMemGet reports).
    xmlFreeFunc Free;
};

/// libxml2, loaded and its parser initialised on the first call (thread-safe; never
/// unloaded). Throws AdalError(internal) naming the library and dlerror() when it cannot
/// be loaded or lacks a function.
const XmlLibrary &xml_library();

}  // namespace aadcred::xml
