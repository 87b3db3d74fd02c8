/*
 * aadcred — the C++ API: a header-only wrapper over the C ABI of <aadcred/aadcred.h>.
 *
 * Why header-only over C (libssh's reason): C++ is hard to keep binary compatible, C is
 * easy. Everything here is inline and compiled into the application; libaadcred.so exports
 * only the aadcred_* C functions. The classes mirror ADAL for Python name for name
 * (AuthenticationContext, TokenCache, AdalError, set_logging_options...).
 *
 * Errors: every failing call throws aadcred::AdalError, built from aadcred_error_last().
 * The one exception is AuthenticationContext::acquire_token, which returns std::nullopt on
 * a cache miss as ADAL returns None.
 *
 * The classes live in the inline namespace aadcred::v0: callers write aadcred::Token, while
 * the mangled names stay distinct from anything else called aadcred::... in a program.
 */
#ifndef AADCRED_AADCRED_HPP
#define AADCRED_AADCRED_HPP

#include <aadcred/aadcred.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace aadcred {
inline namespace v0 {

/** @return the version string of the library actually loaded ("0.1.0"). */
inline std::string_view version() noexcept {
    return aadcred_version();
}

/**
 * ADAL's AdalError: a failed call, with what the authority said. Derives from
 * std::exception; what() is ADAL's message text.
 */
class AdalError : public std::exception {
  public:
    /**
     * An error made by the wrapper itself (no C call behind it).
     * @param code the aadcred_error_code (negative)
     * @param klass what kind of failure
     * @param message the text what() returns
     */
    AdalError(int code, aadcred_error_class klass, std::string message)
        : code_(code), klass_(klass), message_(std::move(message)) {}

    /**
     * The error a C call just reported: copies this thread's aadcred_error_last().
     * @param code what the call returned
     */
    static AdalError last(int code) {
        const aadcred_error *e = aadcred_error_last();
        if (e == nullptr) {
            return AdalError(code, AADCRED_ERROR_CLASS_INTERNAL,
                             "aadcred call failed with code " + std::to_string(code));
        }
        AdalError error(code, e->klass, e->message != nullptr ? e->message : "");
        error.error_ = copy(e->error);
        error.error_description_ = copy(e->error_description);
        error.correlation_id_ = copy(e->correlation_id);
        error.error_response_ = copy(e->error_response);
        return error;
    }

    /** @return ADAL's message text. */
    const char *what() const noexcept override { return message_.c_str(); }
    /** @return ADAL's message text. */
    const std::string &message() const noexcept { return message_; }
    /** @return the OAuth `error` (e.g. "authorization_declined"), a code of the library's
     *          (AADCRED_ERROR_TLS_UNTRUSTED_CA), or empty; see aadcred_error. */
    const std::string &error() const noexcept { return error_; }
    /** @return the OAuth `error_description`, or empty. */
    const std::string &error_description() const noexcept { return error_description_; }
    /** @return the correlation id of the failed request, or empty. */
    const std::string &correlation_id() const noexcept { return correlation_id_; }
    /** @return the raw JSON body the server sent with the error (ADAL's error_response). */
    const std::string &error_response() const noexcept { return error_response_; }
    /** @return what kind of failure this was. */
    aadcred_error_class klass() const noexcept { return klass_; }
    /** @return the aadcred_error_code the call returned (AADCRED_ECANCELLED...). */
    int code() const noexcept { return code_; }

    /** @return the error as SPEC §3's JSON object (error, error_description, error_codes,
     *          correlation_id, error_response, message). Throws AdalError. */
    std::string to_json() const;

  private:
    static std::string copy(const char *text) { return text != nullptr ? text : ""; }

    int code_;
    aadcred_error_class klass_;
    std::string message_;
    std::string error_;
    std::string error_description_;
    std::string correlation_id_;
    std::string error_response_;
};

/** Details of the wrapper; not part of the API. */
namespace detail {

/** Throws AdalError::last(rc) when a C call failed. */
inline void check(int rc) {
    if (rc < 0) throw AdalError::last(rc);
}

/** Releases each C handle with its NULL-safe _free function. */
struct Free {
    void operator()(char *s) const noexcept { aadcred_string_free(s); }
    void operator()(aadcred_token *t) const noexcept { aadcred_token_free(t); }
    void operator()(aadcred_token_cache *c) const noexcept { aadcred_token_cache_free(c); }
    void operator()(aadcred_context *c) const noexcept { aadcred_context_free(c); }
    void operator()(aadcred_provider *p) const noexcept { aadcred_provider_free(p); }
    void operator()(aadcred_key_cache *c) const noexcept { aadcred_key_cache_free(c); }
    void operator()(aadcred_identity *i) const noexcept { aadcred_identity_free(i); }
};

/** Copies a string the library returned, then wipes and frees it. */
inline std::string take_string(char *text) {
    std::unique_ptr<char, Free> owned(text);
    return text != nullptr ? std::string(text) : std::string();
}

/** A view of a C string; empty for NULL. */
inline std::string_view view(const char *text) noexcept {
    return text != nullptr ? std::string_view(text) : std::string_view();
}

/** NULL for an empty string (the C ABI's "not given"). */
inline const char *or_null(const std::string &text) noexcept {
    return text.empty() ? nullptr : text.c_str();
}

}  // namespace detail

inline std::string AdalError::to_json() const {
    aadcred_error view{klass_,
                       message_.c_str(),
                       detail::or_null(error_),
                       detail::or_null(error_description_),
                       detail::or_null(correlation_id_),
                       detail::or_null(error_response_)};
    char *json = nullptr;
    detail::check(aadcred_error_to_json(&json, &view));
    return detail::take_string(json);
}

/**
 * A string from the library that holds secrets (a token's JSON, a cache, a device code).
 * It keeps the library's own buffer, which aadcred_string_free wipes when this object is
 * destroyed, and hands out views of it: a std::string copy would outlive the wipe.
 * Move-only.
 */
class SecretString {
  public:
    /** Adopts a string returned by the C ABI. @param owned the string, or NULL for "" */
    explicit SecretString(char *owned) noexcept
        : text_(owned), size_(owned != nullptr ? std::strlen(owned) : 0) {}
    /** Takes over the buffer. @param other left empty */
    SecretString(SecretString &&other) noexcept
        : text_(std::move(other.text_)), size_(std::exchange(other.size_, 0)) {}
    /** Wipes the current text and takes over the buffer. @param other left empty
     *  @return this string */
    SecretString &operator=(SecretString &&other) noexcept {
        text_ = std::move(other.text_);
        size_ = std::exchange(other.size_, 0);
        return *this;
    }

    /** @return the NUL-terminated text, valid while this object lives. */
    const char *c_str() const noexcept { return text_ ? text_.get() : ""; }
    /** @return the text, valid while this object lives. */
    std::string_view view() const noexcept { return std::string_view(c_str(), size_); }
    /** @return view(). */
    operator std::string_view() const noexcept { return view(); }
    /** @return the length in bytes. */
    std::size_t size() const noexcept { return size_; }
    /** @return true for "". */
    bool empty() const noexcept { return size_ == 0; }

  private:
    std::unique_ptr<char, detail::Free> text_;
    std::size_t size_;
};

/**
 * A token result: ADAL's token dict. Move-only; its secrets are wiped when it is destroyed.
 * The string views point into the token and are valid while it lives.
 */
class Token {
  public:
    /** Adopts a handle returned by the C ABI. */
    explicit Token(aadcred_token *handle) noexcept : handle_(handle) {}

    /** @return the access token. */
    std::string_view access_token() const noexcept {
        return detail::view(aadcred_token_access_token(handle_.get()));
    }
    /** @return the refresh token, or empty when none was issued. */
    std::string_view refresh_token() const noexcept {
        return detail::view(aadcred_token_refresh_token(handle_.get()));
    }
    /** @return `tokenType`, usually "Bearer". */
    std::string_view token_type() const noexcept {
        return detail::view(aadcred_token_token_type(handle_.get()));
    }
    /** @return `userId` (upn, else email, else sub), or empty. */
    std::string_view user_id() const noexcept {
        return detail::view(aadcred_token_user_id(handle_.get()));
    }
    /** @return `resource`, or empty. */
    std::string_view resource() const noexcept {
        return detail::view(aadcred_token_resource(handle_.get()));
    }
    /** @return `tenantId`, or empty. */
    std::string_view tenant_id() const noexcept {
        return detail::view(aadcred_token_tenant_id(handle_.get()));
    }
    /** @return `expiresOn` as ADAL writes it ("YYYY-MM-DD HH:MM:SS.ffffff", local time). */
    std::string_view expires_on() const noexcept {
        return detail::view(aadcred_token_expires_on(handle_.get()));
    }
    /** @return the expiry (UTC), or nullopt when unknown. */
    std::optional<std::chrono::sys_seconds> expires_at() const noexcept {
        std::int64_t at = aadcred_token_expires_at(handle_.get());
        if (at == 0) return std::nullopt;
        return std::chrono::sys_seconds(std::chrono::seconds(at));
    }
    /** @return the raw id_token, or empty. */
    std::string_view id_token() const noexcept {
        return detail::view(aadcred_token_id_token(handle_.get()));
    }
    /** @return ADAL's JSON dict of the token; it holds the secrets. Throws AdalError. */
    SecretString to_json() const {
        char *json = nullptr;
        detail::check(aadcred_token_to_json(&json, handle_.get()));
        return SecretString(json);
    }
    /** @return the C handle, owned by this object. */
    const aadcred_token *handle() const noexcept { return handle_.get(); }
    /**
     * `userId` when the token has one, which user_id() cannot tell from an empty one.
     * @return the user id (possibly empty), or nullopt when the token has no string userId
     */
    std::optional<std::string_view> user_id_if_any() const noexcept {
        const char *user_id = aadcred_token_user_id(handle_.get());
        if (user_id == nullptr) return std::nullopt;
        return std::string_view(user_id);
    }

  private:
    std::unique_ptr<aadcred_token, detail::Free> handle_;
};

class CredentialProvider;

/** The user code info of a device code sign-in (ADAL's acquire_user_code result). */
class UserCodeInfo {
  public:
    /** Adopts a handle returned by the C ABI. */
    explicit UserCodeInfo(aadcred_user_code *handle) noexcept : handle_(handle, Deleter{true}) {}

    /**
     * Reads user code info saved with to_json(), or ADAL for Python's snake_case dict.
     * @param json the JSON object
     * @return the user code info; throws AdalError for missing or bad fields
     */
    static UserCodeInfo from_json(const std::string &json) {
        aadcred_user_code *code = nullptr;
        detail::check(aadcred_user_code_from_json(&code, json.c_str()));
        return UserCodeInfo(code);
    }

    /** @return the code the person types in. */
    std::string_view user_code() const noexcept {
        return detail::view(aadcred_user_code_user_code(handle_.get()));
    }
    /** @return the device code (a secret: it redeems the sign-in). */
    std::string_view device_code() const noexcept {
        return detail::view(aadcred_user_code_device_code(handle_.get()));
    }
    /** @return where the person signs in. */
    std::string_view verification_url() const noexcept {
        return detail::view(aadcred_user_code_verification_url(handle_.get()));
    }
    /** @return the URL with the code in it (verification_uri_complete), or empty. */
    std::string_view verification_url_complete() const noexcept {
        return detail::view(aadcred_user_code_verification_url_complete(handle_.get()));
    }
    /** @return the authority's instructions for the person. */
    std::string_view message() const noexcept {
        return detail::view(aadcred_user_code_message(handle_.get()));
    }
    /** @return the correlation id the authority echoed, or empty. */
    std::string_view correlation_id() const noexcept {
        return detail::view(aadcred_user_code_correlation_id(handle_.get()));
    }
    /** @return seconds the code stays valid. */
    int expires_in() const noexcept { return aadcred_user_code_expires_in(handle_.get()); }
    /** @return seconds between polls. */
    int interval() const noexcept { return aadcred_user_code_interval(handle_.get()); }
    /** @return SPEC §3's camelCase JSON (holds the device code). Throws AdalError. */
    SecretString to_json() const {
        char *json = nullptr;
        detail::check(aadcred_user_code_to_json(&json, handle_.get()));
        return SecretString(json);
    }
    /** @return the C handle. */
    const aadcred_user_code *handle() const noexcept { return handle_.get(); }

  private:
    friend class CredentialProvider;

    // Owning for results; borrowing for the code lent to a prompt callback.
    struct Deleter {
        bool owns;
        void operator()(const aadcred_user_code *code) const noexcept {
            if (owns) aadcred_user_code_free(const_cast<aadcred_user_code *>(code));
        }
    };

    UserCodeInfo(const aadcred_user_code *borrowed, bool owns) noexcept
        : handle_(borrowed, Deleter{owns}) {}

    std::unique_ptr<const aadcred_user_code, Deleter> handle_;
};

/** ADAL's TokenCache: token entries and their serialize() JSON. Move-only. */
class TokenCache {
  public:
    /** An empty cache. Throws AdalError. */
    TokenCache() : TokenCache(std::string()) {}
    /**
     * ADAL's TokenCache(state).
     * @param state ADAL TokenCache.serialize() output, or empty
     */
    explicit TokenCache(const std::string &state) {
        aadcred_token_cache *cache = nullptr;
        detail::check(aadcred_token_cache_new(&cache, state.c_str()));
        handle_.reset(cache);
    }

    /** @return ADAL's serialize(): the JSON array, as ADAL writes it (holds secrets). */
    SecretString serialize() const {
        char *json = nullptr;
        detail::check(aadcred_token_cache_serialize(&json, handle_.get()));
        return SecretString(json);
    }
    /** ADAL's deserialize(): replaces the content. @param state a JSON array of entries */
    void deserialize(const std::string &state) {
        detail::check(aadcred_token_cache_deserialize(handle_.get(), state.c_str()));
    }
    /** @return true when the cache changed since it was created or loaded. */
    bool has_state_changed() const {
        int rc = aadcred_token_cache_has_state_changed(handle_.get());
        detail::check(rc);
        return rc != 0;
    }
    /** @return the number of entries. */
    std::size_t count() const {
        int rc = aadcred_token_cache_count(handle_.get());
        detail::check(rc);
        return static_cast<std::size_t>(rc);
    }

    /* --- ADAL's read_items / add / remove --- */

    /**
     * ADAL's read_items(): every entry, in insertion order.
     * @return a JSON array of ADAL entry objects (holds secrets); each entry carries its
     *         key (`_authority`, `resource`, `_clientId`, `userId`)
     */
    SecretString read_items() const {
        char *json = nullptr;
        detail::check(aadcred_token_cache_read_items(&json, handle_.get()));
        return SecretString(json);
    }
    /** @return the entry at `index` of read_items(); throws AdalError (ENOTFOUND). */
    Token item(std::size_t index) const {
        aadcred_token *token = nullptr;
        detail::check(aadcred_token_cache_get_item(&token, handle_.get(), index));
        return Token(token);
    }
    /**
     * ADAL's add(): replaces entries with the same key, appends the others, and sets
     * has_state_changed. @param entries_json a JSON array of entries, or one entry object
     */
    void add(const std::string &entries_json) {
        detail::check(aadcred_token_cache_add(handle_.get(), entries_json.c_str()));
    }
    /** add() for one token result. */
    void add(const Token &token) {
        detail::check(aadcred_token_cache_add_token(handle_.get(), token.handle()));
    }
    /**
     * ADAL's remove(): drops the entries with these keys; has_state_changed is set only
     * when something was removed. @param entries_json a JSON array, or one entry object
     */
    void remove(const std::string &entries_json) {
        detail::check(aadcred_token_cache_remove(handle_.get(), entries_json.c_str()));
    }
    /** @return the C handle, owned by this object. */
    aadcred_token_cache *handle() const noexcept { return handle_.get(); }

  private:
    std::unique_ptr<aadcred_token_cache, detail::Free> handle_;
};

/** Which protocol the authority speaks. */
/**
 * An authority's issuer metadata and signing keys, kept between verifications (see
 * aadcred_key_cache). Thread-safe; move-only; must outlive the verifications using it.
 */
class KeyCache {
  public:
    /** An empty cache. Throws AdalError. */
    KeyCache() {
        aadcred_key_cache *cache = nullptr;
        detail::check(aadcred_key_cache_new(&cache));
        handle_.reset(cache);
    }

    /** @return the C handle, owned by this object. */
    aadcred_key_cache *handle() const noexcept { return handle_.get(); }

  private:
    std::unique_ptr<aadcred_key_cache, detail::Free> handle_;
};

/** What AuthenticationContext::verify_id_token accepts (aadcred_identity_options). */
struct IdentityOptions {
    std::string client_id;               ///< the `aud` required; must not be empty
    std::string allowed_tenants;         ///< comma-separated `tid`s; empty: any tenant
    std::chrono::seconds clock_skew{0};  ///< for `exp` and `nbf`; 0: 300 s; at most 3600 s
    KeyCache *key_cache = nullptr;       ///< keys kept between calls (must outlive the call)
    std::string key_cache_dir;           ///< absolute directory shared by processes, or empty
};

/** The claims of a verified id_token. Move-only. */
class Identity {
  public:
    /** Adopts a handle returned by the C ABI. */
    explicit Identity(aadcred_identity *handle) noexcept : handle_(handle) {}

    /**
     * A claim, e.g. "upn", "preferred_username", "tid", "oid": strings as they are,
     * integers in decimal, booleans as "true"/"false". Throws AdalError when the library
     * refused the claim (a string holding a NUL or another control character).
     * @param name the claim's name
     * @return the claim's text, valid while this object lives; nullopt when absent or an
     *         array or object
     */
    std::optional<std::string_view> claim(const std::string &name) const {
        const char *value = aadcred_identity_claim(handle_.get(), name.c_str());
        if (value != nullptr) return std::string_view(value);
        if (aadcred_error_last() != nullptr) throw AdalError::last(AADCRED_ERROR);
        return std::nullopt;
    }
    /** @return every claim as the authority sent them, a JSON object. Throws AdalError. */
    std::string to_json() const {
        char *json = nullptr;
        detail::check(aadcred_identity_to_json(&json, handle_.get()));
        return detail::take_string(json);
    }
    /** @return the C handle, owned by this object. */
    const aadcred_identity *handle() const noexcept { return handle_.get(); }

  private:
    std::unique_ptr<aadcred_identity, detail::Free> handle_;
};

enum class Api {
    v1 = AADCRED_API_V1,     ///< AAD v1: resource=
    v2 = AADCRED_API_V2,     ///< AAD v2: scopes, RFC 8628 names
    oidc = AADCRED_API_OIDC  ///< any OpenID Connect provider
};

/** ADAL's AuthenticationContext options. */
struct ContextOptions {
    bool validate_authority = true;   ///< static list, then instance discovery
    TokenCache *cache = nullptr;      ///< shared cache (must outlive the context), or private
    std::string api_version;          ///< appended as ?api-version= to the token endpoint
    std::chrono::seconds timeout{0};  ///< per request; 0: 30 s
    bool enable_pii = false;          ///< personal data in this context's log lines
    std::string ca_file;              ///< PEM CA bundle; empty: the system's
    std::string proxy;                ///< proxy URL; empty: curl's environment default
    Api api = Api::v1;                ///< the protocol
    std::string instance_discovery;   ///< who answers instance discovery; empty: Azure's
};

/** ADAL's AuthenticationContext. Move-only. */
class AuthenticationContext {
  public:
    /**
     * Parses the authority with ADAL's rules; throws AdalError (code AADCRED_EINVALID)
     * with ADAL's texts ("The authority url must be an https endpoint.", ...).
     * @param authority e.g. "https://login.microsoftonline.com/contoso.onmicrosoft.com"
     * @param options see ContextOptions
     */
    explicit AuthenticationContext(const std::string &authority,
                                   const ContextOptions &options = ContextOptions()) {
        aadcred_context_options c = AADCRED_CONTEXT_OPTIONS_INIT;
        c.validate_authority = options.validate_authority ? 1 : 0;
        c.cache = options.cache != nullptr ? options.cache->handle() : nullptr;
        c.api_version = detail::or_null(options.api_version);
        c.timeout = static_cast<int>(options.timeout.count());
        c.enable_pii = options.enable_pii ? 1 : 0;
        c.ca_file = detail::or_null(options.ca_file);
        c.instance_discovery = detail::or_null(options.instance_discovery);
        c.proxy = detail::or_null(options.proxy);
        c.api = static_cast<aadcred_api>(options.api);
        aadcred_context *context = nullptr;
        detail::check(aadcred_context_new(&context, authority.c_str(), &c));
        handle_.reset(context);
    }

    /** Sets the correlation id sent with the next requests; empty: a new one each time. */
    void set_correlation_id(const std::string &correlation_id) {
        detail::check(
            aadcred_context_set_correlation_id(handle_.get(), detail::or_null(correlation_id)));
    }

    /**
     * ADAL's acquire_user_code: starts a device code sign-in.
     * @param resource v1 resource URI (v2/oidc: space-separated scopes)
     * @param client_id the public client
     * @param language empty, or a language code for the message
     */
    UserCodeInfo acquire_user_code(const std::string &resource, const std::string &client_id,
                                   const std::string &language = std::string()) {
        aadcred_user_code *code = nullptr;
        detail::check(aadcred_context_acquire_user_code(
            &code, handle_.get(), resource.c_str(), client_id.c_str(), detail::or_null(language)));
        return UserCodeInfo(code);
    }

    /**
     * ADAL's acquire_token_with_device_code: polls until the person signs in, declines,
     * the code expires or the request is cancelled (AdalError code AADCRED_ECANCELLED).
     */
    Token acquire_token_with_device_code(const std::string &resource,
                                         const UserCodeInfo &user_code_info,
                                         const std::string &client_id) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_device_code(
            &token, handle_.get(), resource.c_str(), user_code_info.handle(), client_id.c_str()));
        return Token(token);
    }

    /** ADAL's cancel_request_to_get_token_with_device_code; callable from any thread. */
    void cancel_request_to_get_token_with_device_code(const UserCodeInfo &user_code_info) {
        detail::check(aadcred_context_cancel_request_to_get_token_with_device_code(
            handle_.get(), user_code_info.handle()));
    }

    /**
     * ADAL's acquire_token: from the cache, refreshing when needed.
     * @param user_id empty to match any user (fails as ambiguous when several match)
     * @return the token, or nullopt when nothing usable is cached (ADAL returns None)
     */
    std::optional<Token> acquire_token(const std::string &resource, const std::string &user_id,
                                       const std::string &client_id) {
        aadcred_token *token = nullptr;
        int rc = aadcred_context_acquire_token(&token, handle_.get(), resource.c_str(),
                                               detail::or_null(user_id), client_id.c_str());
        if (rc == AADCRED_ENOTFOUND) return std::nullopt;
        detail::check(rc);
        return Token(token);
    }

    /**
     * ADAL's acquire_token_with_refresh_token (the result is not cached, as in ADAL).
     * @param client_secret empty for public clients
     */
    Token acquire_token_with_refresh_token(const std::string &refresh_token,
                                           const std::string &client_id,
                                           const std::string &resource,
                                           const std::string &client_secret = std::string()) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_refresh_token(
            &token, handle_.get(), refresh_token.c_str(), client_id.c_str(), resource.c_str(),
            detail::or_null(client_secret)));
        return Token(token);
    }

    // --- Username and password (ADAL §2.3, §2.5) ---------------------------------------

    /**
     * ADAL's acquire_token_with_username_password: cache first, then ADFS password grant,
     * or user realm discovery and the managed password grant or federated WS-Trust + SAML
     * bearer grant. The token is cached.
     */
    Token acquire_token_with_username_password(const std::string &resource,
                                               const std::string &username,
                                               const std::string &password,
                                               const std::string &client_id) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_username_password(
            &token, handle_.get(), resource.c_str(), username.c_str(), password.c_str(),
            client_id.c_str()));
        return Token(token);
    }

    // --- Confidential clients and the authorization code (ADAL §2.3, §2.4) -------------

    /**
     * ADAL's acquire_token_with_client_credentials: an application token for a client
     * secret; the cache is consulted first and receives the token.
     */
    Token acquire_token_with_client_credentials(const std::string &resource,
                                                const std::string &client_id,
                                                const std::string &client_secret) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_client_credentials(
            &token, handle_.get(), resource.c_str(), client_id.c_str(), client_secret.c_str()));
        return Token(token);
    }

    /**
     * ADAL's acquire_token_with_client_certificate: an RS256 client assertion signed with
     * `certificate` (the RSA private key PEM); not cached, as in ADAL.
     * @param thumbprint the certificate's SHA-1 thumbprint (hex; ' ' and ':' ignored)
     * @param public_certificate empty, or the certificate PEM to send as "x5c"
     */
    Token acquire_token_with_client_certificate(
        const std::string &resource, const std::string &client_id, const std::string &certificate,
        const std::string &thumbprint, const std::string &public_certificate = std::string()) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_client_certificate(
            &token, handle_.get(), resource.c_str(), client_id.c_str(), certificate.c_str(),
            thumbprint.c_str(), detail::or_null(public_certificate)));
        return Token(token);
    }

    /**
     * ADAL's acquire_token_with_authorization_code; the token is cached.
     * @param client_secret empty for public clients
     * @param code_verifier empty, or the PKCE verifier (RFC 7636)
     */
    Token acquire_token_with_authorization_code(const std::string &authorization_code,
                                                const std::string &redirect_uri,
                                                const std::string &resource,
                                                const std::string &client_id,
                                                const std::string &client_secret = std::string(),
                                                const std::string &code_verifier = std::string()) {
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_authorization_code(
            &token, handle_.get(), authorization_code.c_str(), redirect_uri.c_str(),
            resource.c_str(), client_id.c_str(), detail::or_null(client_secret),
            detail::or_null(code_verifier)));
        return Token(token);
    }
    // --- end of confidential clients and the authorization code ------------------------

    /**
     * Verifies the id_token that came with `token` against this context's authority
     * (signature, issuer, audience, lifetime, tenant: see aadcred_context_verify_id_token);
     * it is never merely decoded. Throws AdalError: AADCRED_ERROR when the token is
     * refused or has no id_token, AADCRED_EUNREACHABLE when the keys could not be fetched,
     * AADCRED_EINVALID for bad options.
     * @param token a token result holding an id_token
     * @param options client_id is required
     * @return the verified claims
     */
    Identity verify_id_token(const Token &token, const IdentityOptions &options) const {
        aadcred_identity_options c = AADCRED_IDENTITY_OPTIONS_INIT;
        c.client_id = options.client_id.c_str();
        c.allowed_tenants = detail::or_null(options.allowed_tenants);
        // Clamped, not wrapped: a huge skew must reach the library's range check.
        c.clock_skew = static_cast<int>(std::clamp<long long>(options.clock_skew.count(),
                                                              std::numeric_limits<int>::min(),
                                                              std::numeric_limits<int>::max()));
        c.key_cache = options.key_cache != nullptr ? options.key_cache->handle() : nullptr;
        c.key_cache_dir = detail::or_null(options.key_cache_dir);
        aadcred_identity *identity = nullptr;
        detail::check(
            aadcred_context_verify_id_token(&identity, handle_.get(), token.handle(), &c));
        return Identity(identity);
    }

    /** @return the C handle, owned by this object. */
    aadcred_context *handle() const noexcept { return handle_.get(); }

    /** What the device code poll accepts besides the code (aadcred_device_flow_options). */
    struct DeviceFlowOptions {
        /** Polling gives up then unless the code expires first (the earlier wins), as an
         *  expired code does; nullopt: the code's own expiry. */
        std::optional<std::chrono::sys_seconds> deadline;
    };

    /**
     * acquire_token_with_device_code, also ended by the caller's deadline (AdalError code
     * AADCRED_ERROR, klass AADCRED_ERROR_CLASS_TIMEOUT); cancelled as the other is, with
     * cancel_request_to_get_token_with_device_code from any thread.
     * @param resource v1 resource URI (v2/oidc: the scopes), as given to acquire_user_code
     * @param user_code_info the code from acquire_user_code
     * @param client_id the public client
     * @param options see DeviceFlowOptions
     * @return the token, added to the context's cache
     */
    Token acquire_token_with_device_code(const std::string &resource,
                                         const UserCodeInfo &user_code_info,
                                         const std::string &client_id,
                                         const DeviceFlowOptions &options) {
        aadcred_device_flow_options c = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
        // A deadline at or before the epoch is long past, not "none" (0) nor refused (< 0).
        if (options.deadline)
            c.deadline = std::max<std::int64_t>(1, options.deadline->time_since_epoch().count());
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_device_code_ex(
            &token, handle_.get(), resource.c_str(), user_code_info.handle(), client_id.c_str(),
            &c));
        return Token(token);
    }

    /** How acquire_token_with_browser reaches the person. */
    struct BrowserOptions {
        /** How long the person has once the browser is open. */
        std::chrono::seconds timeout{300};
        /** Opens the URL and returns true when a browser started; empty: the library's
         *  launcher ($BROWSER, then xdg-open). Must not throw. */
        std::function<bool(const std::string &url)> open_url;
        /** The account to preselect; empty: none. */
        std::string login_hint;
    };

    /**
     * The browser sign-in (<aadcred/browser.h>): PKCE, a loopback redirect on 127.0.0.1,
     * the state checked, the code redeemed and cached. Throws AdalError: code
     * AADCRED_EINTERACTION_REQUIRED when no browser could be started (fall back to the
     * device code), AADCRED_ECANCELLED after cancel_browser_sign_in, AADCRED_ERROR when
     * the sign-in failed in the browser or did not complete in time.
     * @param resource v1 resource URI (v2/oidc: the scopes)
     * @param client_id the public client
     * @param options see BrowserOptions
     * @return the token, added to the context's cache
     */
    Token acquire_token_with_browser(const std::string &resource, const std::string &client_id,
                                     const BrowserOptions &options) {
        aadcred_browser_options c = AADCRED_BROWSER_OPTIONS_INIT;
        c.timeout = static_cast<int>(std::clamp<std::chrono::seconds::rep>(
            options.timeout.count(), 1, std::numeric_limits<int>::max()));
        if (options.open_url) {
            c.open_url = [](const char *url, void *data) noexcept -> int {
                try {
                    const auto &open = *static_cast<const BrowserOptions *>(data);
                    return open.open_url(url) ? 0 : -1;
                } catch (...) {
                    return -1;
                }
            };
            c.user_data = const_cast<BrowserOptions *>(&options);
        }
        if (!options.login_hint.empty()) c.login_hint = options.login_hint.c_str();
        aadcred_token *token = nullptr;
        detail::check(aadcred_context_acquire_token_with_browser(
            &token, handle_.get(), resource.c_str(), client_id.c_str(), &c));
        return Token(token);
    }

    /**
     * acquire_token_with_browser with the default BrowserOptions.
     * @param resource v1 resource URI (v2/oidc: the scopes)
     * @param client_id the public client
     * @return the token, added to the context's cache
     */
    Token acquire_token_with_browser(const std::string &resource, const std::string &client_id) {
        return acquire_token_with_browser(resource, client_id, BrowserOptions{});
    }

    /** Ends every browser sign-in of this context in progress now; any thread. */
    void cancel_browser_sign_in() {
        detail::check(aadcred_context_cancel_browser_sign_in(handle_.get()));
    }

  private:
    std::unique_ptr<aadcred_context, detail::Free> handle_;
};

/** @return whether the library's launcher can start a browser here (aadcred_browser_available). */
inline bool browser_available() noexcept {
    return aadcred_browser_available() != 0;
}

/** ADAL's log levels. */
enum class LogLevel {
    error = AADCRED_LOG_ERROR,
    warning = AADCRED_LOG_WARNING,
    info = AADCRED_LOG_INFO,
    verbose = AADCRED_LOG_VERBOSE
};

/** Receives each log line (`<correlation-id> - <Component>:<message>`); must not throw
 *  back into aadcred (exceptions are swallowed) nor call aadcred. */
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

/** ADAL's logging options. */
struct LoggingOptions {
    LogLevel level = LogLevel::error;  ///< lines above this level are dropped
    LogSink sink;                      ///< empty: stderr
    bool enable_pii = false;           ///< log personal data (tokens never are)
};

namespace detail {

/** Keeps the std::function sink alive for the C callback, per program (inline variable). */
struct LogSinkHolder {
    std::mutex mutex;
    std::shared_ptr<const LogSink> sink;
};
inline LogSinkHolder log_sink_holder;

/** The C callback for a std::function sink; a copy of the shared_ptr keeps the sink
 *  alive while another thread replaces it. */
inline void log_trampoline(aadcred_log_level level, const char *line, void *) noexcept {
    std::shared_ptr<const LogSink> sink;
    {
        std::lock_guard lock(log_sink_holder.mutex);
        sink = log_sink_holder.sink;
    }
    if (!sink || !*sink) return;
    try {
        (*sink)(static_cast<LogLevel>(level), view(line));
    } catch (...) {
        // A sink's exception must not unwind through the library's C frames.
    }
}

}  // namespace detail

/** ADAL's set_logging_options (process-wide). Throws AdalError. */
inline void set_logging_options(const LoggingOptions &options) {
    auto sink = options.sink ? std::make_shared<const LogSink>(options.sink) : nullptr;
    aadcred_logging_options c = AADCRED_LOGGING_OPTIONS_INIT;
    c.level = static_cast<aadcred_log_level>(options.level);
    c.callback = sink ? &detail::log_trampoline : nullptr;
    c.enable_pii = options.enable_pii ? 1 : 0;
    {
        std::lock_guard lock(detail::log_sink_holder.mutex);
        detail::log_sink_holder.sink = std::move(sink);
    }
    detail::check(aadcred_set_logging_options(&c));
}

/** ADAL's get_logging_options. Throws AdalError. */
inline LoggingOptions get_logging_options() {
    aadcred_logging_options c = AADCRED_LOGGING_OPTIONS_INIT;
    detail::check(aadcred_get_logging_options(&c));
    LoggingOptions options;
    options.level = static_cast<LogLevel>(c.level);
    options.enable_pii = c.enable_pii != 0;
    if (c.callback == &detail::log_trampoline) {
        std::lock_guard lock(detail::log_sink_holder.mutex);
        if (detail::log_sink_holder.sink) options.sink = *detail::log_sink_holder.sink;
    } else if (c.callback != nullptr) {
        // Set through the C ABI: call it the same way.
        aadcred_log_cb callback = c.callback;
        void *payload = c.payload;
        options.sink = [callback, payload](LogLevel level, std::string_view line) {
            callback(static_cast<aadcred_log_level>(level), std::string(line).c_str(), payload);
        };
    }
    return options;
}

/** Why the prompt is called. */
enum class PromptEvent {
    show = AADCRED_PROMPT_SHOW,       ///< show the code; valid until the done call
    done = AADCRED_PROMPT_DONE,       ///< polling ended; clear any countdown
    browser = AADCRED_PROMPT_BROWSER  ///< the browser is opened; the code is empty
};

/** How a needed sign-in happens (aadcred_sign_in_flow). */
enum class SignInFlow {
    device = AADCRED_FLOW_DEVICE,    ///< the device code
    browser = AADCRED_FLOW_BROWSER,  ///< the browser on this machine
    automatic = AADCRED_FLOW_AUTO    ///< the browser when one can start, else the device code
};

/** Shows a device code to the person. Return false (on show) to cancel the sign-in. */
using Prompt = std::function<bool(PromptEvent event, const UserCodeInfo &code)>;

/**
 * The credential provider the front ends share: cache hit → silent refresh → device code
 * flow (when allowed) → store. Move-only; one get_token at a time, cancel from any thread.
 */
class CredentialProvider {
  public:
    /** One credential request (aadcred_request). */
    struct Request {
        std::string authority;                   ///< authority URL; see aadcred_request
        std::string client_id;                   ///< public client id; see aadcred_request
        std::string resource;                    ///< v1 resource URI
        std::string scopes;                      ///< v2/oidc scopes, space-separated
        std::string user_id;                     ///< the account wanted; empty: the only one
        Api api = Api::v1;                       ///< the protocol
        std::string ca_file;                     ///< PEM CA bundle; empty: the system's
        bool validate_authority = true;          ///< ADAL's validate_authority
        std::chrono::seconds timeout{0};         ///< per request; 0: the default
        std::string store;                       ///< "auto", "secret-service", ...; empty: auto
        bool allow_prompt = false;               ///< may a device code flow run
        std::chrono::seconds min_validity{300};  ///< cached token must last this long
        std::string proxy;                       ///< proxy URL; empty: curl's environment default
        SignInFlow flow = SignInFlow::device;    ///< how a needed sign-in happens
        std::string claims;                      ///< a claims challenge; empty: none
        bool hot_cache = true;  ///< may a warm call answer from the hot cache (no refresh token)
    };

    /** Copies the request; throws AdalError (AADCRED_EINVALID) for a bad one. */
    explicit CredentialProvider(const Request &request) : state_(std::make_unique<State>()) {
        aadcred_request c = AADCRED_REQUEST_INIT;
        c.authority = request.authority.c_str();
        c.client_id = request.client_id.c_str();
        c.resource = detail::or_null(request.resource);
        c.scopes = detail::or_null(request.scopes);
        c.user_id = detail::or_null(request.user_id);
        c.api = static_cast<aadcred_api>(request.api);
        c.ca_file = detail::or_null(request.ca_file);
        c.validate_authority = request.validate_authority ? 1 : 0;
        c.timeout = static_cast<int>(request.timeout.count());
        c.store = detail::or_null(request.store);
        c.allow_prompt = request.allow_prompt ? 1 : 0;
        c.min_validity = static_cast<int>(request.min_validity.count());
        c.prompt = request.allow_prompt ? &CredentialProvider::prompt_trampoline : nullptr;
        c.prompt_payload = state_.get();
        c.proxy = detail::or_null(request.proxy);
        c.flow = static_cast<aadcred_sign_in_flow>(request.flow);
        c.claims = detail::or_null(request.claims);
        c.hot_cache = request.hot_cache ? 1 : 0;
        aadcred_provider *provider = nullptr;
        detail::check(aadcred_provider_new(&provider, &c));
        handle_.reset(provider);
        allow_prompt_ = request.allow_prompt;
    }

    /**
     * Gets a token. An exception thrown by `prompt` cancels the sign-in and is rethrown.
     * @param prompt shows the device code; required when allow_prompt is set
     * @return the token; throws AdalError (AADCRED_EINTERACTION_REQUIRED when a sign-in
     *         is needed but not allowed, AADCRED_ECANCELLED, ...)
     */
    Token get_token(Prompt prompt = Prompt()) {
        if (allow_prompt_ && !prompt) {
            throw AdalError(AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID,
                            "CredentialProvider::get_token: allow_prompt needs a prompt");
        }
        state_->prompt = std::move(prompt);
        state_->error = nullptr;
        aadcred_token *token = nullptr;
        int rc = aadcred_provider_get_token(&token, handle_.get());
        Token result(token);  // owns the token (or nothing) before anything can throw
        state_->prompt = nullptr;
        if (state_->error) std::rethrow_exception(std::exchange(state_->error, nullptr));
        detail::check(rc);
        return result;
    }

    /** Cancels a running get_token from another thread. */
    void cancel() { detail::check(aadcred_provider_cancel(handle_.get())); }

    /**
     * For PromptEvent::browser: why the sign-in went on in the browser.
     * @return the note (aadcred_provider_sign_in_note), or empty when the person chose it
     */
    std::string_view sign_in_note() const noexcept {
        return detail::view(aadcred_provider_sign_in_note(handle_.get()));
    }

    /** git erase: forgets the cached access token if it equals `access_token`. */
    void forget_access_token(const std::string &access_token) {
        detail::check(aadcred_provider_forget_access_token(handle_.get(), access_token.c_str()));
    }

    /**
     * Removes tokens from the store.
     * @param user_id whose tokens (ignored when `all`)
     * @param all remove every aadcred token of the store
     * @return how many entries were removed
     */
    int logout(const std::string &user_id, bool all = false) {
        int rc = aadcred_provider_logout(handle_.get(), detail::or_null(user_id), all ? 1 : 0);
        detail::check(rc);
        return rc;
    }

    /** @return the accounts in the store as a JSON array, never a secret. */
    std::string list_json() {
        char *json = nullptr;
        detail::check(aadcred_provider_list_json(&json, handle_.get()));
        return detail::take_string(json);
    }

    /* --- Store hand-off --- */

    /** Saves a token obtained elsewhere in the store, under the account lock. */
    void store_token(const Token &token) {
        detail::check(aadcred_provider_store_token(handle_.get(), token.handle()));
    }

    /** @return every entry of the store as ADAL TokenCache JSON (holds secrets). */
    SecretString export_json() {
        char *json = nullptr;
        detail::check(aadcred_provider_export_json(&json, handle_.get()));
        return SecretString(json);
    }

    /** Adds ADAL TokenCache JSON to the store (replacing by key); @return entries stored. */
    int import_json(const std::string &adal_cache_json) {
        int rc = aadcred_provider_import_json(handle_.get(), adal_cache_json.c_str());
        detail::check(rc);
        return rc;
    }

    /** @return the store used after "auto" was resolved, or empty before it was opened. */
    std::string_view store_name() const noexcept {
        return detail::view(aadcred_provider_store_name(handle_.get()));
    }

    /** @return the C handle, owned by this object. */
    aadcred_provider *handle() const noexcept { return handle_.get(); }

  private:
    // Heap-allocated so the C payload pointer survives moves of this object.
    struct State {
        Prompt prompt;
        std::exception_ptr error;
    };

    static int prompt_trampoline(aadcred_prompt_event event, const aadcred_user_code *code,
                                 void *payload) noexcept {
        auto *state = static_cast<State *>(payload);
        if (!state->prompt) return 1;
        try {
            const UserCodeInfo borrowed(code, false);
            bool go_on = state->prompt(static_cast<PromptEvent>(event), borrowed);
            return go_on ? 0 : 1;
        } catch (...) {
            // Unwinding through the library's C frames is undefined: cancel instead, and
            // get_token rethrows once the library has returned.
            if (!state->error) state->error = std::current_exception();
            return 1;
        }
    }

    std::unique_ptr<State> state_;
    bool allow_prompt_ = false;
    std::unique_ptr<aadcred_provider, detail::Free> handle_;  // freed before state_
};

/**
 * The device code in a desktop notification (<aadcred/notification.h>), for a person with
 * no terminal: shown by show(), withdrawn by close() or when the object goes.
 */
class DesktopNotification {
  public:
    /** Nothing shown. */
    DesktopNotification() noexcept = default;

    /**
     * Shows `code` with an action that opens the sign-in page.
     * @param code the user code info (a prompt callback's)
     * @param app_name who asks, as the notification names it; empty: "aadcred"
     * @return the notification; not shown() when there is no session bus or notification
     *         service. Throws AdalError for anything else.
     */
    static DesktopNotification show(const UserCodeInfo &code, const std::string &app_name = {}) {
        aadcred_notification *shown = nullptr;
        const int rc = aadcred_notification_show(&shown, code.handle(), detail::or_null(app_name));
        if (rc == AADCRED_ENOTFOUND) return DesktopNotification();
        detail::check(rc);
        return DesktopNotification(shown);
    }

    /** @return whether a notification is on screen (shown and not closed). */
    bool shown() const noexcept { return handle_ != nullptr; }

    /** Withdraws the notification; nothing happens when none is shown. */
    void close() noexcept { handle_.reset(); }

    /** @return the C handle, owned by this object, or NULL. */
    aadcred_notification *handle() const noexcept { return handle_.get(); }

  private:
    struct Deleter {
        void operator()(aadcred_notification *n) const noexcept { aadcred_notification_free(n); }
    };

    explicit DesktopNotification(aadcred_notification *handle) noexcept : handle_(handle) {}

    std::unique_ptr<aadcred_notification, Deleter> handle_;
};

}  // namespace v0
}  // namespace aadcred

#endif /* AADCRED_AADCRED_HPP */
