#pragma once
// libcurl, loaded when the first request must go on the wire (issue 12): a warm token
// served from the store maps no libcurl (nor the TLS stack it brings) into the process,
// which for pam_aadcred means sshd, and for the git helper every fetch. systemd's
// dlopen pattern: the functions this library calls, resolved once from libcurl.so.4,
// behind one table. The compile-time headers still come from libcurl4-openssl-dev.

#include <curl/curl.h>

namespace aadcred {

/// The libcurl functions the transport uses, named as in curl.h without the curl_ prefix.
struct CurlLibrary {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)();
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    void (*easy_reset)(CURL *handle);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    curl_slist *(*slist_append)(curl_slist *list, const char *text);
    void (*slist_free_all)(curl_slist *list);
    CURLU *(*url)();
    CURLUcode (*url_set)(CURLU *url, CURLUPart part, const char *content, unsigned int flags);
    CURLUcode (*url_get)(const CURLU *url, CURLUPart part, char **content, unsigned int flags);
    void (*url_cleanup)(CURLU *url);
    void (*free)(void *pointer);
    curl_version_info_data *(*version_info)(CURLversion which);
};

/// libcurl, loaded on the first call (thread-safe; never unloaded: a PAM module cannot
/// know whether its host loaded curl too). Throws AdalError(network) naming the library
/// and dlerror() when it cannot be loaded or lacks a function.
const CurlLibrary &curl_library();

}  // namespace aadcred
