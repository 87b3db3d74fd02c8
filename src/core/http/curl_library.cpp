#include "core/http/curl_library.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "core/adal_error.hpp"

namespace aadcred {
namespace {

// The soname libcurl4 (and libcurl3-gnutls, libcurl4-nss) installs on Debian and others.
constexpr const char *kSoname = "libcurl.so.4";

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
    CurlLibrary api{};
    std::string error;  // empty: loaded
};

Loaded load() {
    Loaded loaded;
    // RTLD_LOCAL: curl's symbols stay out of the host's global namespace, so a host that
    // links its own libcurl (or another version of it) is not disturbed.
    void *library = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char *why = dlerror();
        loaded.error = std::string("cannot load ") + kSoname + ": " + (why ? why : "unknown");
        return loaded;
    }
    std::string missing;
    CurlLibrary &api = loaded.api;
    resolve(library, "curl_global_init", api.global_init, missing);
    resolve(library, "curl_easy_init", api.easy_init, missing);
    resolve(library, "curl_easy_setopt", api.easy_setopt, missing);
    resolve(library, "curl_easy_perform", api.easy_perform, missing);
    resolve(library, "curl_easy_getinfo", api.easy_getinfo, missing);
    resolve(library, "curl_easy_reset", api.easy_reset, missing);
    resolve(library, "curl_easy_cleanup", api.easy_cleanup, missing);
    resolve(library, "curl_easy_strerror", api.easy_strerror, missing);
    resolve(library, "curl_slist_append", api.slist_append, missing);
    resolve(library, "curl_slist_free_all", api.slist_free_all, missing);
    resolve(library, "curl_url", api.url, missing);
    resolve(library, "curl_url_set", api.url_set, missing);
    resolve(library, "curl_url_get", api.url_get, missing);
    resolve(library, "curl_url_cleanup", api.url_cleanup, missing);
    resolve(library, "curl_free", api.free, missing);
    resolve(library, "curl_version_info", api.version_info, missing);
    if (!missing.empty()) loaded.error = std::string(kSoname) + " lacks " + missing;
    return loaded;
}

}  // namespace

const CurlLibrary &curl_library() {
    static std::once_flag once;
    static Loaded loaded;
    std::call_once(once, [] { loaded = load(); });
    if (!loaded.error.empty())
        throw AdalError(ErrorClass::network,
                        "libcurl is needed to reach the authority: " + loaded.error);
    return loaded.api;
}

}  // namespace aadcred
