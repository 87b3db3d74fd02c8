#include "core/http/curl_library.hpp"

#include <mutex>
#include <string>

#include "core/adal_error.hpp"
#include "util/dynamic_library.hpp"

namespace aadcred {
namespace {

struct Loaded {
    CurlLibrary api{};
    std::string error;  // empty: loaded
};

Loaded load() {
    // The soname libcurl4 installs (the -gnutls and -nss builds install other names).
    DynamicLibrary library("libcurl.so.4");
    Loaded loaded;
    CurlLibrary &api = loaded.api;
    library.resolve("curl_global_init", api.global_init);
    library.resolve("curl_easy_init", api.easy_init);
    library.resolve("curl_easy_setopt", api.easy_setopt);
    library.resolve("curl_easy_perform", api.easy_perform);
    library.resolve("curl_easy_getinfo", api.easy_getinfo);
    library.resolve("curl_easy_reset", api.easy_reset);
    library.resolve("curl_easy_cleanup", api.easy_cleanup);
    library.resolve("curl_easy_strerror", api.easy_strerror);
    library.resolve("curl_slist_append", api.slist_append);
    library.resolve("curl_slist_free_all", api.slist_free_all);
    library.resolve("curl_url", api.url);
    library.resolve("curl_url_set", api.url_set);
    library.resolve("curl_url_get", api.url_get);
    library.resolve("curl_url_cleanup", api.url_cleanup);
    library.resolve("curl_free", api.free);
    library.resolve("curl_version_info", api.version_info);
    loaded.error = library.error();
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
