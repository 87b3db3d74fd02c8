#include "core/wstrust/xml_library.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "core/adal_error.hpp"

namespace aadcred::xml {
namespace {

constexpr const char *kSoname = "libxml2.so.2";

template <typename Function>
void resolve(void *library, const char *name, Function &slot, std::string &missing) {
    void *symbol = dlsym(library, name);
    if (symbol == nullptr) {
        if (!missing.empty()) missing += ", ";
        missing += name;
        return;
    }
    slot = reinterpret_cast<Function>(symbol);
}

struct Loaded {
    XmlLibrary api{};
    std::string error;  // empty: loaded
};

Loaded load() {
    Loaded loaded;
    void *library = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char *why = dlerror();
        loaded.error = std::string("cannot load ") + kSoname + ": " + (why ? why : "unknown");
        return loaded;
    }
    std::string missing;
    XmlLibrary &api = loaded.api;
    int (*mem_get)(xmlFreeFunc *, xmlMallocFunc *, xmlReallocFunc *, xmlStrdupFunc *) = nullptr;
    resolve(library, "xmlInitParser", api.InitParser, missing);
    resolve(library, "xmlReadMemory", api.ReadMemory, missing);
    resolve(library, "xmlFreeDoc", api.FreeDoc, missing);
    resolve(library, "xmlDocGetRootElement", api.DocGetRootElement, missing);
    resolve(library, "xmlXPathNewContext", api.XPathNewContext, missing);
    resolve(library, "xmlXPathFreeContext", api.XPathFreeContext, missing);
    resolve(library, "xmlXPathRegisterNs", api.XPathRegisterNs, missing);
    resolve(library, "xmlXPathEvalExpression", api.XPathEvalExpression, missing);
    resolve(library, "xmlXPathFreeObject", api.XPathFreeObject, missing);
    resolve(library, "xmlNodeGetContent", api.NodeGetContent, missing);
    resolve(library, "xmlGetNoNsProp", api.GetNoNsProp, missing);
    resolve(library, "xmlGetNsProp", api.GetNsProp, missing);
    resolve(library, "xmlMemGet", mem_get, missing);
    if (!missing.empty()) {
        loaded.error = std::string(kSoname) + " lacks " + missing;
        return loaded;
    }
    api.InitParser();
    if (mem_get(&api.Free, nullptr, nullptr, nullptr) != 0 || api.Free == nullptr)
        loaded.error = std::string(kSoname) + " reports no deallocator";
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
