// The libcurl transport. One easy handle per transport, reused across send() calls so a
// device code poll keeps its TLS connection (curl_easy_reset keeps the connection cache).
// TLS verification is always on; only https leaves the machine; replies are capped.

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/adal_error.hpp"
#include "core/http/ca_file.hpp"
#include "core/http/curl_library.hpp"
#include "core/http/http_transport.hpp"
#include "util/environment.hpp"
#include "util/text.hpp"

namespace aadcred {

namespace {

// Variables libcurl reads during curl_global_init with plain getenv: SSLKEYLOGFILE makes it
// create (0666, as whoever we run as) and append TLS secrets to any file named;
// CURL_SSL_BACKEND picks the TLS library of a multi-backend build.
constexpr const char *kInitVariables[] = {"SSLKEYLOGFILE", "CURL_SSL_BACKEND"};

// curl_global_init is not thread-safe before 7.84 and must run once; never
// curl_global_cleanup: a PAM module cannot know whether its host still uses curl.
//
// In a privileged process (pam_aadcred inside su, sudo, chsh) the caller chose the
// environment, so those variables are removed for good rather than hidden around the call
// and put back: curl is not the only library that honours SSLKEYLOGFILE (a host's own TLS
// stack, another module initialised later), and a setuid program has no business passing
// a caller's key log request on to anything it runs as root. An unprivileged process keeps
// them: a user asking curl to log their own keys is debugging, not an attack.
void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (running_privileged())
            for (const char *name : kInitVariables) ::unsetenv(name);
        curl_library().global_init(CURL_GLOBAL_DEFAULT);
    });
}

struct EasyDeleter {
    void operator()(CURL *handle) const noexcept { curl_library().easy_cleanup(handle); }
};
struct SlistDeleter {
    void operator()(curl_slist *list) const noexcept { curl_library().slist_free_all(list); }
};
struct UrlDeleter {
    void operator()(CURLU *url) const noexcept { curl_library().url_cleanup(url); }
};
struct CurlStringDeleter {
    void operator()(char *text) const noexcept { curl_library().free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach.
bool is_loopback(std::string_view host) {
    const std::string h = ascii_lower(host);
    if (h == "localhost" || h == "::1" || h == "[::1]") return true;
    if (h.rfind("127.", 0) != 0) return false;
    return std::all_of(h.begin(), h.end(),
                       [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

struct UrlParts {
    std::string scheme;
    std::string host;
    std::string display;  // scheme://host/path, without the query, for messages
};

UrlParts parse_url(const std::string &url) {
    std::unique_ptr<CURLU, UrlDeleter> handle(curl_library().url());
    if (!handle) throw AdalError(ErrorClass::internal, "Out of memory");
    if (curl_library().url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        throw AdalError(ErrorClass::invalid, "Invalid URL: " + url);
    auto part = [&](CURLUPart which) {
        char *raw = nullptr;
        if (curl_library().url_get(handle.get(), which, &raw, 0) != CURLUE_OK) return std::string();
        CurlString owned(raw);
        return std::string(owned.get());
    };
    UrlParts parts{ascii_lower(part(CURLUPART_SCHEME)), part(CURLUPART_HOST), {}};
    parts.display = parts.scheme + "://" + parts.host;
    const std::string port = part(CURLUPART_PORT);
    if (!port.empty()) parts.display += ":" + port;
    parts.display += part(CURLUPART_PATH);
    return parts;
}

// Appends to a buffer that may hold tokens: on growth the old block is wiped before it
// is freed, so no copy of a token is left behind in the heap.
void append_wiping(std::string &buffer, const char *data, std::size_t size) {
    if (buffer.size() + size > buffer.capacity()) {
        std::string bigger;
        bigger.reserve(std::max(buffer.capacity() * 2, buffer.size() + size));
        bigger.append(buffer);
        secure_wipe(buffer);
        buffer = std::move(bigger);
    }
    buffer.append(data, size);
}

struct ReplyState {
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t header_bytes = 0;
    std::size_t max_body = 0;
    std::size_t max_headers = 0;
    bool body_too_large = false;
    bool headers_too_large = false;

    ~ReplyState() { secure_wipe(body); }
};

std::size_t on_body(char *data, std::size_t size, std::size_t count, void *user) {
    auto *state = static_cast<ReplyState *>(user);
    const std::size_t n = size * count;
    if (state->body.size() + n > state->max_body) {
        state->body_too_large = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    append_wiping(state->body, data, n);
    return n;
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::size_t on_header(char *data, std::size_t size, std::size_t count, void *user) {
    auto *state = static_cast<ReplyState *>(user);
    const std::size_t n = size * count;
    state->header_bytes += n;
    if (state->header_bytes > state->max_headers) {
        state->headers_too_large = true;
        return 0;
    }
    const std::string_view line(data, n);
    // A new status line starts a new header block (100 Continue, proxy CONNECT reply).
    if (line.rfind("HTTP/", 0) == 0) {
        state->headers.clear();
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string name = ascii_lower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    auto same = [&](const auto &h) { return h.first == name; };
    auto it = std::find_if(state->headers.begin(), state->headers.end(), same);
    if (it != state->headers.end() && name == "www-authenticate")
        it->second.append(", ").append(value);  // a list of challenges (RFC 9110 §11.6.1)
    else if (it != state->headers.end())
        it->second = std::move(value);  // the last value wins
    else
        state->headers.emplace_back(std::move(name), std::move(value));
    return n;
}

bool is_tls_error(CURLcode code) {
    switch (code) {
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return true;
        default:
            return false;
    }
}

// libcurl's TLS library: CURLINFO_SSL_VERIFYRESULT is that library's own verdict code.
bool tls_backend_is_openssl() {
    const curl_version_info_data *info = curl_library().version_info(CURLVERSION_NOW);
    if (info == nullptr || info->ssl_version == nullptr) return false;
    // A multi-backend build lists the backends not in use in parentheses.
    const std::string_view version(info->ssl_version);
    for (std::string_view name : {"OpenSSL/", "LibreSSL/", "BoringSSL", "quictls/"}) {
        if (version.starts_with(name)) return true;
    }
    return false;
}

// True when certificate verification failed because no trusted CA signed the chain (a
// private or self-signed CA the trust store does not hold), rather than a wrong host
// name, an expired certificate or a broken handshake: the one case a CA file cures.
// Only OpenSSL's codes are known; with another TLS library the error carries no code.
bool untrusted_issuer(CURL *handle, CURLcode code) {
    if (code != CURLE_PEER_FAILED_VERIFICATION || !tls_backend_is_openssl()) return false;
    long verdict = X509_V_OK;
    if (curl_library().easy_getinfo(handle, CURLINFO_SSL_VERIFYRESULT, &verdict) != CURLE_OK)
        return false;
    switch (verdict) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return true;
        default:
            return false;
    }
}

// The system store when no CA file is named. libcurl is built (Debian's libcurl4 is) with
// both a CA bundle and a CA directory and hands OpenSSL both; OpenSSL 3.0 then parses the
// whole bundle, ~140 certificates, for every process's first connection: about 20 ms
// here, as much as the rest of a silent refresh's own work. The directory alone holds the
// same certificates (update-ca-certificates writes the bundle and the hashed names from
// one list) and OpenSSL reads from it only the file of the issuer a server names. Used
// only with OpenSSL and a directory of hashed names; should it still lack an issuer the
// bundle has, the request is verified again with libcurl's defaults (CurlTransport::send)
// and the directory is not tried again in this process. Verification itself is the same.
std::atomic<bool> ca_directory_failed{false};

const std::string *system_ca_directory() {
    static const std::optional<std::string> directory = []() -> std::optional<std::string> {
        if (!tls_backend_is_openssl()) return std::nullopt;
        const curl_version_info_data *info = curl_library().version_info(CURLVERSION_NOW);
        if (info == nullptr || info->age < CURLVERSION_NINTH || info->capath == nullptr)
            return std::nullopt;
        std::string path(info->capath);
        if (!is_hashed_ca_directory(path)) return std::nullopt;
        return path;
    }();
    if (!directory || ca_directory_failed.load()) return nullptr;
    return &*directory;
}

class CurlTransport final : public HttpTransport {
  public:
    explicit CurlTransport(TransportOptions options)
        : options_(std::move(options)), privileged_(running_privileged()) {
        global_init_once();
        easy_.reset(curl_library().easy_init());
        if (!easy_) throw AdalError(ErrorClass::internal, "curl_easy_init failed");
        if (options_.ca_file.empty()) ca_directory_ = system_ca_directory();
    }

    HttpResponse send(const HttpRequest &request) override;

  private:
    void configure(const HttpRequest &request, const UrlParts &url, curl_slist *headers,
                   ReplyState &state);
    [[noreturn]] void fail(CURLcode code, const UrlParts &url, const ReplyState &state) const;

    TransportOptions options_;
    bool privileged_;  // the caller's environment must not steer curl (see configure)
    /// The system CA directory instead of libcurl's defaults (system_ca_directory), or null.
    const std::string *ca_directory_ = nullptr;
    std::unique_ptr<CURL, EasyDeleter> easy_;
    char error_buffer_[CURL_ERROR_SIZE] = {};
};

void CurlTransport::configure(const HttpRequest &request, const UrlParts &url, curl_slist *headers,
                              ReplyState &state) {
    CURL *h = easy_.get();
    // curl_easy_reset forgets the options but keeps live connections, TLS sessions and
    // the DNS cache, which is what lets a poll reuse its connection.
    curl_library().easy_reset(h);
    error_buffer_[0] = '\0';
    curl_library().easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer_);
    curl_library().easy_setopt(h, CURLOPT_URL, request.url.c_str());
    const char *protocols = url.scheme == "http" ? "http" : "https";
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_library().easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
#else
    curl_library().easy_setopt(h, CURLOPT_PROTOCOLS,
                               url.scheme == "http" ? long{CURLPROTO_HTTP} : long{CURLPROTO_HTTPS});
    (void)protocols;
#endif
    curl_library().easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // an authority never redirects us
    curl_library().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);        // no SIGALRM in sshd or a GUI host
    curl_library().easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_library().easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) {
        // Only the given bundle: a test CA must not be mixed with the system store.
        curl_library().easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
        curl_library().easy_setopt(h, CURLOPT_CAPATH, static_cast<const char *>(nullptr));
    } else if (ca_directory_ != nullptr) {
        curl_library().easy_setopt(h, CURLOPT_CAINFO, static_cast<const char *>(nullptr));
        curl_library().easy_setopt(h, CURLOPT_CAPATH, ca_directory_->c_str());
    }
    // curl takes http_proxy, https_proxy, all_proxy and no_proxy from the environment
    // unless told otherwise. A privileged process tells it: the proxy given, or none ("");
    // and an empty no-proxy list, so a caller's no_proxy=* cannot bypass a configured proxy.
    if (!options_.proxy.empty())
        curl_library().easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    else if (privileged_)
        curl_library().easy_setopt(h, CURLOPT_PROXY, "");
    if (privileged_) curl_library().easy_setopt(h, CURLOPT_NOPROXY, "");
    curl_library().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                               static_cast<long>(options_.connect_timeout.count()));
    curl_library().easy_setopt(h, CURLOPT_TIMEOUT_MS,
                               static_cast<long>(options_.total_timeout.count()));
    // Refuses an announced oversized body before reading it; the write callback catches
    // the rest (chunked replies have no Content-Length).
    curl_library().easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                               static_cast<curl_off_t>(options_.max_body_bytes));
    curl_library().easy_setopt(h, CURLOPT_USERAGENT, "aadcred");
    curl_library().easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_library().easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_library().easy_setopt(h, CURLOPT_WRITEDATA, &state);
    curl_library().easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_library().easy_setopt(h, CURLOPT_HEADERDATA, &state);
    if (request.method == HttpRequest::Method::post) {
        curl_library().easy_setopt(h, CURLOPT_POST, 1L);
        curl_library().easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                   static_cast<curl_off_t>(request.body.size()));
        curl_library().easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    } else {
        curl_library().easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
}

void CurlTransport::fail(CURLcode code, const UrlParts &url, const ReplyState &state) const {
    if (state.body_too_large || code == CURLE_FILESIZE_EXCEEDED)
        throw AdalError(ErrorClass::protocol, "Server response too large: more than " +
                                                  std::to_string(options_.max_body_bytes) +
                                                  " bytes from " + url.display);
    if (state.headers_too_large)
        throw AdalError(ErrorClass::protocol, "Server response headers too large: more than " +
                                                  std::to_string(options_.max_header_bytes) +
                                                  " bytes from " + url.display);
    std::string detail =
        error_buffer_[0] != '\0' ? error_buffer_ : curl_library().easy_strerror(code);
    if (code == CURLE_SSL_CACERT_BADFILE)
        throw AdalError(ErrorClass::invalid,
                        "Cannot use CA file '" + options_.ca_file + "': " + detail);
    if (is_tls_error(code)) {
        AdalError error(ErrorClass::network,
                        "TLS error talking to " + url.host + " (" + url.display + "): " + detail);
        // A code front ends can tell people what to do by (which setting names the CA);
        // the message stays the same either way.
        if (untrusted_issuer(easy_.get(), code)) error.with_error(kErrorTlsUntrustedCa);
        throw error;
    }
    if (code == CURLE_OPERATION_TIMEDOUT)
        throw AdalError(ErrorClass::network, "Request to " + url.display + " timed out: " + detail);
    throw AdalError(ErrorClass::network, "Network error talking to " + url.display + ": " + detail);
}

HttpResponse CurlTransport::send(const HttpRequest &request) {
    const UrlParts url = parse_url(request.url);
    const bool plain_ok =
        url.scheme == "http" && options_.allow_loopback_http && is_loopback(url.host);
    if (url.scheme != "https" && !plain_ok)
        throw AdalError(ErrorClass::invalid,
                        "Refusing to connect to " + url.display + ": only https is allowed");

    // Before every request, not once: the file may be replaced between polls, and curl's
    // own open would block for ever on a FIFO.
    if (!options_.ca_file.empty()) check_ca_file(options_.ca_file);

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    for (const auto &[name, value] : request.headers) {
        // A CR or LF in a header would let a value inject new header lines.
        if ((name + value).find_first_of("\r\n") != std::string::npos)
            throw AdalError(ErrorClass::invalid, "Invalid HTTP header " + name);
        const std::string line = name + ": " + value;
        // curl_slist_append returns the head (the same one after the first append) or
        // NULL, leaving the list untouched and still owned by `headers`.
        curl_slist *head = curl_library().slist_append(headers.get(), line.c_str());
        if (head == nullptr) throw AdalError(ErrorClass::internal, "Out of memory");
        if (!headers) headers.reset(head);
    }

    std::optional<ReplyState> state;
    CURLcode code = CURLE_OK;
    for (;;) {
        state.emplace();  // a retry starts from an empty reply; the old one is wiped
        state->max_body = options_.max_body_bytes;
        state->max_headers = options_.max_header_bytes;
        configure(request, url, headers.get(), *state);
        code = curl_library().easy_perform(easy_.get());
        // The handshake failed before anything was sent: verify once more against
        // libcurl's own bundle and directory (see system_ca_directory).
        if (ca_directory_ == nullptr || !untrusted_issuer(easy_.get(), code)) break;
        ca_directory_failed.store(true);
        ca_directory_ = nullptr;
    }
    if (code != CURLE_OK) fail(code, url, *state);

    HttpResponse response;
    curl_library().easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &response.status);
    response.headers = std::move(state->headers);
    response.body = SecretString(std::move(state->body));
    return response;
}

}  // namespace

std::unique_ptr<HttpTransport> make_curl_transport(const TransportOptions &options) {
    return std::make_unique<CurlTransport>(options);
}

}  // namespace aadcred
