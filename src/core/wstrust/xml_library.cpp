#include "core/wstrust/xml_library.hpp"

#include <mutex>
#include <string>

#include "core/adal_error.hpp"
#include "util/dynamic_library.hpp"

namespace aadcred::xml {
namespace {

struct Loaded {
    XmlLibrary api{};
    std::string error;  // empty: loaded
};

Loaded load() {
    DynamicLibrary library("libxml2.so.2");
    Loaded loaded;
    XmlLibrary &api = loaded.api;
    int (*mem_get)(xmlFreeFunc *, xmlMallocFunc *, xmlReallocFunc *, xmlStrdupFunc *) = nullptr;
    library.resolve("xmlInitParser", api.InitParser);
    library.resolve("xmlReadMemory", api.ReadMemory);
    library.resolve("xmlFreeDoc", api.FreeDoc);
    library.resolve("xmlDocGetRootElement", api.DocGetRootElement);
    library.resolve("xmlXPathNewContext", api.XPathNewContext);
    library.resolve("xmlXPathFreeContext", api.XPathFreeContext);
    library.resolve("xmlXPathRegisterNs", api.XPathRegisterNs);
    library.resolve("xmlXPathEvalExpression", api.XPathEvalExpression);
    library.resolve("xmlXPathFreeObject", api.XPathFreeObject);
    library.resolve("xmlNodeGetContent", api.NodeGetContent);
    library.resolve("xmlGetNoNsProp", api.GetNoNsProp);
    library.resolve("xmlGetNsProp", api.GetNsProp);
    library.resolve("xmlMemGet", mem_get);
    loaded.error = library.error();
    if (!loaded.error.empty()) return loaded;
    api.InitParser();
    if (mem_get(&api.Free, nullptr, nullptr, nullptr) != 0 || api.Free == nullptr)
        loaded.error = "libxml2.so.2 reports no deallocator";
    return loaded;
}

}  // namespace

const XmlLibrary &xml_library() {
    static std::once_flag once;
    static Loaded loaded;
    std::call_once(once, [] { loaded = load(); });
    if (!loaded.error.empty())
        throw AdalError(ErrorClass::internal,
                        "libxml2 is needed for a federated (WS-Trust) sign-in: " + loaded.error);
    return loaded.api;
}

}  // namespace aadcred::xml
