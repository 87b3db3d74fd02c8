/*
 * aadcred — Azure AD (Microsoft Entra ID) sign-in for Linux credential frameworks.
 *
 * The C ABI of libaadcred. It mirrors ADAL for Python (AuthenticationContext,
 * TokenCache, logging options, AdalError) and adds the credential provider that the
 * git helper, the PAM module and the aadcred tool share.
 *
 * Conventions (libgit2's):
 *  - every function is `aadcred_<noun>_<verb>`; an out parameter comes first and is named
 *    `out`; what comes back through `out` belongs to the caller and is released with the
 *    NULL-safe `_free` function of its type, which wipes secrets before freeing;
 *  - functions return `int`: 0 on success, a negative `aadcred_error_code` on failure;
 *    details (message, OAuth error, description, correlation id, raw server reply) are in
 *    the thread-local `aadcred_error_last()`;
 *  - options structs start with `unsigned int version`, are initialised with their
 *    `_INIT` macro or, where a macro cannot be used, their `_init` function
 *    (aadcred_context_options_init, aadcred_request_init, ...), and only ever grow at
 *    the end;
 *  - strings are UTF-8 and NUL-terminated; no function keeps a pointer to a string it
 *    was given after it returns, unless documented.
 */
#ifndef AADCRED_AADCRED_H
#define AADCRED_AADCRED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define AADCRED_EXTERN __attribute__((visibility("default")))
#else
#define AADCRED_EXTERN
#endif

/* AADCRED_VERSION, AADCRED_VERSION_MAJOR, _MINOR and _PATCH: the version of these
 * headers, generated from the build's project version. */
#include <aadcred/version.h>

/**
 * The version of the library actually loaded, which may differ from AADCRED_VERSION, the
 * version of the headers a program was compiled with.
 * @return a static string such as "0.1.0"
 */
AADCRED_EXTERN const char *aadcred_version(void);

/* ------------------------------------------------------------------------------------ */
/* Errors                                                                                */
/* ------------------------------------------------------------------------------------ */

/** Return codes. A server's OAuth error is data in aadcred_error, not a new code. */
typedef enum {
    AADCRED_OK = 0,
    /** Authentication failed: the authority refused, or its reply was unusable. */
    AADCRED_ERROR = -1,
    /** A caller error: NULL or malformed argument, bad options, bad configuration. */
    AADCRED_EINVALID = -2,
    /** Nothing matched: acquire_token found no usable token in the cache. */
    AADCRED_ENOTFOUND = -3,
    /** A device code sign-in is needed but the caller did not allow prompting. */
    AADCRED_EINTERACTION_REQUIRED = -4,
    /** The request was cancelled (cancel_request..., or aadcred_provider_cancel). */
    AADCRED_ECANCELLED = -5,
    /** The authority could not be reached (DNS, connect, TLS, timeout, 5xx past retries). */
    AADCRED_EUNREACHABLE = -6,
    /** The token store failed: no Secret Service, locked collection without a prompt. */
    AADCRED_ESTORE = -7,
} aadcred_error_code;

/**
 * What kind of failure the last error was, for callers that map errors to exit codes.
 * AADCRED_ENOTFOUND and AADCRED_EINTERACTION_REQUIRED report AADCRED_ERROR_CLASS_NONE:
 * their return codes already say what happened.
 */
typedef enum {
    AADCRED_ERROR_CLASS_NONE = 0,
    AADCRED_ERROR_CLASS_SERVER,     /**< the authority answered with an OAuth error */
    AADCRED_ERROR_CLASS_PROTOCOL,   /**< the authority's reply was malformed or oversized */
    AADCRED_ERROR_CLASS_NETWORK,    /**< connect, TLS, DNS, timeout */
    AADCRED_ERROR_CLASS_STORE,      /**< token store */
    AADCRED_ERROR_CLASS_INVALID,    /**< caller or configuration error */
    AADCRED_ERROR_CLASS_CANCELLED,  /**< cancelled */
    AADCRED_ERROR_CLASS_TIMEOUT,    /**< the device code deadline passed */
    AADCRED_ERROR_CLASS_INTERNAL,   /**< out of memory or a bug */
} aadcred_error_class;

/** The last error of this thread. All strings may be NULL. */
typedef struct {
    aadcred_error_class klass;
    /** ADAL's message text, e.g. "Get Token request returned http error: 400 and ..." */
    const char *message;
    /** The OAuth `error` field (e.g. "authorization_declined"), or NULL. */
    const char *error;
    /** The OAuth `error_description`, or NULL. */
    const char *error_description;
    /** The correlation id of the request (client-request-id), or NULL. */
    const char *correlation_id;
    /** The raw JSON body the server sent with the error, or NULL. */
    const char *error_response;
} aadcred_error;

/**
 * @return the last error raised on this thread, or NULL when the last call succeeded.
 *         The pointer stays valid until the next aadcred call on this thread, except that
 *         aadcred_error_to_json, aadcred_string_free, the token and user code accessors,
 *         aadcred_provider_store_name and the _free functions leave it untouched.
 */
AADCRED_EXTERN const aadcred_error *aadcred_error_last(void);

/**
 * The error as the JSON object of SPEC §3: `{"error", "error_description", "error_codes",
 * "correlation_id", "error_response", "message"}`. `error_response` is the server's JSON
 * embedded as JSON, null when there was none, or a JSON string when the body was not JSON.
 * @param out receives a string to release with aadcred_string_free
 * @param error the error, usually aadcred_error_last()
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_error_to_json(char **out, const aadcred_error *error);

/**
 * Frees a string returned by the library, wiping it first.
 * @param string a string from an aadcred function, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_string_free(char *string);

/* ------------------------------------------------------------------------------------ */
/* Logging (ADAL's set_logging_options / get_logging_options)                            */
/* ------------------------------------------------------------------------------------ */

/** ADAL's log levels. */
typedef enum {
    AADCRED_LOG_ERROR = 0,
    AADCRED_LOG_WARNING = 1,
    AADCRED_LOG_INFO = 2,
    AADCRED_LOG_VERBOSE = 3,
} aadcred_log_level;

/**
 * Receives each log line, shaped `<correlation-id> - <Component>:<message>`.
 * Called on the thread that logs; must not call back into aadcred.
 */
typedef void (*aadcred_log_cb)(aadcred_log_level level, const char *line, void *payload);

typedef struct {
    unsigned int version;
    /** Lines above this level are dropped. Default: AADCRED_LOG_ERROR (ADAL's default). */
    aadcred_log_level level;
    /** The sink; NULL writes to stderr. */
    aadcred_log_cb callback;
    void *payload;
    /** Non-zero logs personal data and token ids; tokens themselves are never logged. */
    int enable_pii;
} aadcred_logging_options;

#define AADCRED_LOGGING_OPTIONS_VERSION 1
#define AADCRED_LOGGING_OPTIONS_INIT \
    { AADCRED_LOGGING_OPTIONS_VERSION, AADCRED_LOG_ERROR, NULL, NULL, 0 }

/**
 * Fills `out` as AADCRED_LOGGING_OPTIONS_INIT does, for callers that cannot use a macro
 * (language bindings, programs that load the library with dlopen).
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_LOGGING_OPTIONS_VERSION, or the older version that the caller's
 *        struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_logging_options_init(aadcred_logging_options *out, unsigned int version);

/**
 * Sets the process-wide logging options (ADAL's set_logging_options).
 * @param options the options; NULL restores the defaults, as ADAL's set_logging_options()
 *        without arguments does
 * @return 0, or AADCRED_EINVALID for an unknown version or level
 */
AADCRED_EXTERN int aadcred_set_logging_options(const aadcred_logging_options *options);

/**
 * Reads the process-wide logging options (ADAL's get_logging_options).
 * @param out initialised with AADCRED_LOGGING_OPTIONS_INIT: its version says which fields
 *        the caller's struct has
 * @return 0, or AADCRED_EINVALID when out is NULL or its version unknown
 */
AADCRED_EXTERN int aadcred_get_logging_options(aadcred_logging_options *out);

/* ------------------------------------------------------------------------------------ */
/* Tokens and user codes                                                                 */
/* ------------------------------------------------------------------------------------ */

/** A token result: ADAL's token dict (SPEC §3). Owns secrets; free with aadcred_token_free. */
typedef struct aadcred_token aadcred_token;

/**
 * The access token.
 * @param token the token
 * @return the access token (never NULL for a valid token), or NULL when token is NULL;
 *         valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_access_token(const aadcred_token *token);
/**
 * The refresh token.
 * @param token the token
 * @return the refresh token, or NULL when the authority issued none; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_refresh_token(const aadcred_token *token);
/**
 * ADAL's `tokenType`.
 * @param token the token
 * @return the token type, usually "Bearer"; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_token_type(const aadcred_token *token);
/**
 * ADAL's `userId`: the upn, else the email, else the sub claim of the id_token.
 * @param token the token
 * @return the user id, or NULL; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_user_id(const aadcred_token *token);
/**
 * ADAL's `resource`.
 * @param token the token
 * @return the resource the token is for, or NULL; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_resource(const aadcred_token *token);
/**
 * ADAL's `tenantId`.
 * @param token the token
 * @return the tenant id, or NULL; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_tenant_id(const aadcred_token *token);
/**
 * ADAL's `expiresOn`, in ADAL's text form ("YYYY-MM-DD HH:MM:SS.ffffff", local time).
 * @param token the token
 * @return the expiry text, or NULL; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_expires_on(const aadcred_token *token);
/**
 * The expiry as a number.
 * @param token the token
 * @return seconds since the epoch (UTC), or 0 when unknown
 */
AADCRED_EXTERN int64_t aadcred_token_expires_at(const aadcred_token *token);
/**
 * The raw id_token as the authority sent it (not part of ADAL's dict).
 * @param token the token
 * @return the id_token, or NULL when there was none; valid while the token lives
 */
AADCRED_EXTERN const char *aadcred_token_id_token(const aadcred_token *token);

/**
 * The token as ADAL's JSON dict (camelCase keys, ADAL's types).
 * @param out receives a string (it holds the tokens) to release with aadcred_string_free
 * @param token the token
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_token_to_json(char **out, const aadcred_token *token);

/**
 * Frees a token, wiping its secrets.
 * @param token the token, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_token_free(aadcred_token *token);

/** The user code info of a device code sign-in (acquire_user_code's result). */
typedef struct aadcred_user_code aadcred_user_code;

/**
 * The code the person types at the verification URL.
 * @param code the user code info
 * @return the user code, or NULL when code is NULL; valid while code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_user_code(const aadcred_user_code *code);
/**
 * The device code the poller redeems; a secret, never to be shown.
 * @param code the user code info
 * @return the device code, or NULL when code is NULL; valid while code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_device_code(const aadcred_user_code *code);
/**
 * Where the person enters the code.
 * @param code the user code info
 * @return the verification URL, or NULL when code is NULL; valid while code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_verification_url(const aadcred_user_code *code);
/**
 * The authority's message for the person (code and URL in its words).
 * @param code the user code info
 * @return the message, or NULL when code is NULL; valid while code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_message(const aadcred_user_code *code);
/**
 * The correlation id the authority echoed.
 * @param code the user code info
 * @return the correlation id, or NULL; valid while code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_correlation_id(const aadcred_user_code *code);
/**
 * How long the code is valid.
 * @param code the user code info
 * @return seconds from the authority's reply, or 0 when code is NULL
 */
AADCRED_EXTERN int aadcred_user_code_expires_in(const aadcred_user_code *code);
/**
 * How often to poll.
 * @param code the user code info
 * @return seconds between polls from the authority's reply, or 0 when code is NULL
 */
AADCRED_EXTERN int aadcred_user_code_interval(const aadcred_user_code *code);

/**
 * The user code info as JSON with the keys of SPEC §3 (`userCode`, `deviceCode`,
 * `verificationUrl`, `expiresIn`, `interval`, `message`, `correlationId`).
 * @param out receives a string (it holds the device code) to release with
 *        aadcred_string_free
 * @param code the user code info
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_user_code_to_json(char **out, const aadcred_user_code *code);

/**
 * Reads user code info from JSON: the camelCase keys above or ADAL for Python's
 * snake_case keys (`user_code`, `device_code`, `verification_url`/`verification_uri`, ...).
 * @param out receives the user code info, to release with aadcred_user_code_free
 * @param json the JSON object
 * @return 0, or AADCRED_EINVALID when json is not such an object
 */
AADCRED_EXTERN int aadcred_user_code_from_json(aadcred_user_code **out, const char *json);

/**
 * Frees user code info, wiping the device code.
 * @param code the user code info, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_user_code_free(aadcred_user_code *code);

/* ------------------------------------------------------------------------------------ */
/* TokenCache (ADAL's in-memory cache and its serialize() JSON)                          */
/* ------------------------------------------------------------------------------------ */

typedef struct aadcred_token_cache aadcred_token_cache;

/**
 * Creates a cache, optionally from ADAL's serialized JSON (a JSON array of entries).
 * @param out receives the cache, to release with aadcred_token_cache_free
 * @param state NULL or ADAL TokenCache.serialize() output
 * @return 0, or AADCRED_EINVALID when state is not such JSON
 */
AADCRED_EXTERN int aadcred_token_cache_new(aadcred_token_cache **out, const char *state);
/**
 * ADAL's TokenCache.serialize(): the JSON array, byte for byte as ADAL writes it.
 * @param out receives a string (it holds tokens) to release with aadcred_string_free
 * @param cache the cache
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_token_cache_serialize(char **out, const aadcred_token_cache *cache);
/**
 * ADAL's TokenCache.deserialize(): replaces the content; has_state_changed is untouched.
 * @param cache the cache
 * @param state ADAL TokenCache.serialize() output
 * @return 0, or AADCRED_EINVALID when state is not such JSON (the cache is unchanged)
 */
AADCRED_EXTERN int aadcred_token_cache_deserialize(aadcred_token_cache *cache, const char *state);
/**
 * ADAL's has_state_changed.
 * @param cache the cache
 * @return 1 when the cache changed since it was created or loaded, 0 if not, <0 on error
 */
AADCRED_EXTERN int aadcred_token_cache_has_state_changed(const aadcred_token_cache *cache);
/**
 * The number of entries.
 * @param cache the cache
 * @return the number of entries, or a negative error code
 */
AADCRED_EXTERN int aadcred_token_cache_count(const aadcred_token_cache *cache);
/**
 * Frees a cache, wiping its tokens.
 * @param cache the cache, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_token_cache_free(aadcred_token_cache *cache);

/* --- TokenCache: ADAL's read_items / add / remove ----------------------------------- */

/**
 * ADAL's read_items(): every entry, in insertion order, as a compact JSON array of ADAL
 * entry objects. ADAL yields (TokenCacheKey, entry) pairs; the key is the entry's own
 * `_authority`, `resource`, `_clientId` and `userId`, so only the entries are returned.
 * @param out receives a string (it holds tokens) to release with aadcred_string_free
 * @param cache the cache
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_token_cache_read_items(char **out, const aadcred_token_cache *cache);
/**
 * One entry of read_items() as a token handle, for iterating without JSON:
 * `for (i = 0; i < aadcred_token_cache_count(c); i++) aadcred_token_cache_get_item(&t, c, i)`.
 * @param out receives a copy of the entry, to release with aadcred_token_free
 * @param cache the cache
 * @param index the entry's position, from 0
 * @return 0, or AADCRED_ENOTFOUND when index >= aadcred_token_cache_count()
 */
AADCRED_EXTERN int aadcred_token_cache_get_item(aadcred_token **out,
                                                const aadcred_token_cache *cache, size_t index);
/**
 * ADAL's add(entries): each entry replaces the one with the same key (authority,
 * resource, client id, user id; compared without case, unlike ADAL) or is appended.
 * Sets has_state_changed, even for an empty list, as ADAL does.
 * @param cache the cache
 * @param entries_json a JSON array of ADAL entry objects, or a single entry object; it is
 *        parsed completely first, so an invalid element changes nothing (AADCRED_EINVALID)
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_token_cache_add(aadcred_token_cache *cache, const char *entries_json);
/**
 * add() for one token result (e.g. from aadcred_context_acquire_token_with_device_code).
 * @param cache the cache
 * @param token the token; copied
 * @return 0, or AADCRED_EINVALID when the token lacks the entry's key fields
 */
AADCRED_EXTERN int aadcred_token_cache_add_token(aadcred_token_cache *cache,
                                                 const aadcred_token *token);
/**
 * ADAL's remove(entries): drops the entries with these keys (only the four key fields of
 * each entry matter); keys not present are ignored. has_state_changed is set only when
 * something was removed, as in ADAL.
 * @param cache the cache
 * @param entries_json a JSON array of entry objects, or a single entry object
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_token_cache_remove(aadcred_token_cache *cache, const char *entries_json);

/* ------------------------------------------------------------------------------------ */
/* AuthenticationContext                                                                 */
/* ------------------------------------------------------------------------------------ */

/** Which protocol the authority speaks (SPEC §3 "Authorities and protocols"). */
typedef enum {
    AADCRED_API_V1 = 0,   /**< AAD v1: /oauth2/devicecode, /oauth2/token, resource= */
    AADCRED_API_V2 = 1,   /**< AAD v2: /oauth2/v2.0/..., scopes, RFC 8628 names */
    AADCRED_API_OIDC = 2, /**< any OpenID Connect provider, endpoints from discovery */
} aadcred_api;

typedef struct aadcred_context aadcred_context;

typedef struct {
    unsigned int version;
    /** ADAL's validate_authority: static list, then instance discovery. Default 1. */
    int validate_authority;
    /** A cache to use (borrowed, must outlive the context); NULL gives a private one. */
    aadcred_token_cache *cache;
    /** ADAL's api_version: appended as ?api-version= to the token endpoint; NULL: none. */
    const char *api_version;
    /** Seconds for each request's total time; 0: 30 s. Connect timeout is min(10, this). */
    int timeout;
    /** ADAL's enable_pii for this context's log lines. */
    int enable_pii;
    /** PEM CA bundle to verify the authority with; NULL: the system's. Never disables TLS. */
    const char *ca_file;
    /** Proxy URL for every request (curl syntax), or NULL for curl's environment default. */
    const char *proxy;
    /** The protocol. */
    aadcred_api api;
    /**
     * Since version 2. The host that answers instance discovery when validate_authority
     * meets an authority outside the static list, as an https URL such as
     * "https://login.microsoftonline.us" (sovereign and private clouds, the test
     * authority); NULL: login.microsoftonline.com (the AADCRED_INSTANCE_DISCOVERY_URL
     * environment variable, read through the caller's environment, still overrides that
     * default). Read only when version is 2 or more.
     */
    const char *instance_discovery;
} aadcred_context_options;

#define AADCRED_CONTEXT_OPTIONS_VERSION 2
#define AADCRED_CONTEXT_OPTIONS_INIT \
    { AADCRED_CONTEXT_OPTIONS_VERSION, 1, NULL, NULL, 0, 0, NULL, NULL, AADCRED_API_V1, NULL }

/**
 * Fills `out` as AADCRED_CONTEXT_OPTIONS_INIT does, for callers that cannot use a macro
 * (language bindings, programs that load the library with dlopen).
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_CONTEXT_OPTIONS_VERSION, or the older version that the caller's
 *        struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_context_options_init(aadcred_context_options *out, unsigned int version);

/**
 * ADAL's AuthenticationContext(authority, ...). The authority URL is parsed now with
 * ADAL's rules and messages (https only, no query, one tenant segment); validation
 * against the known instances happens on the first request.
 * @param out receives the context, to release with aadcred_context_free
 * @param authority the authority URL, e.g. "https://login.microsoftonline.com/<tenant>"
 * @param options NULL for the defaults
 * @return 0, or AADCRED_EINVALID for a malformed authority or bad options
 */
AADCRED_EXTERN int aadcred_context_new(aadcred_context **out, const char *authority,
                                       const aadcred_context_options *options);

/**
 * Sets the correlation id sent with the next requests (ADAL's `correlation_id`).
 * @param context the context
 * @param correlation_id the id (a GUID); NULL goes back to a new one per request
 * @return 0, or AADCRED_EINVALID when context is NULL
 */
AADCRED_EXTERN int aadcred_context_set_correlation_id(aadcred_context *context,
                                                      const char *correlation_id);

/**
 * ADAL's acquire_user_code: starts a device code sign-in.
 * @param out receives the user code info, to release with aadcred_user_code_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scopes, space-separated)
 * @param client_id the public client
 * @param language NULL or a language code for the message (sent as `mkt`)
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_user_code(aadcred_user_code **out,
                                                     aadcred_context *context,
                                                     const char *resource,
                                                     const char *client_id,
                                                     const char *language);

/**
 * ADAL's acquire_token_with_device_code: polls until the user signs in, declines, the
 * code expires (deadline = expiresIn) or the request is cancelled. The token is added to
 * the context's cache.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scopes), as given to acquire_user_code
 * @param code the user code info from aadcred_context_acquire_user_code
 * @param client_id the public client
 * @return 0; AADCRED_ECANCELLED after a cancel; AADCRED_ERROR when the person declined
 *         or the code expired; another negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_device_code(aadcred_token **out,
                                                                  aadcred_context *context,
                                                                  const char *resource,
                                                                  const aadcred_user_code *code,
                                                                  const char *client_id);

/**
 * ADAL's cancel_request_to_get_token_with_device_code; callable from any thread. The
 * poller wakes at once and fails with "Polling_Request_Cancelled".
 * @param context the context the poller runs on
 * @param code the user code info the poller was given
 * @return 0, or AADCRED_EINVALID for NULL arguments
 */
AADCRED_EXTERN int aadcred_context_cancel_request_to_get_token_with_device_code(
    aadcred_context *context, const aadcred_user_code *code);

/**
 * ADAL's acquire_token: from the cache, refreshing when needed.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scopes)
 * @param user_id NULL to match any user (fails as ambiguous when several match)
 * @param client_id the public client
 * @return 0, AADCRED_ENOTFOUND when nothing usable is cached, or another error
 */
AADCRED_EXTERN int aadcred_context_acquire_token(aadcred_token **out, aadcred_context *context,
                                                 const char *resource, const char *user_id,
                                                 const char *client_id);

/**
 * ADAL's acquire_token_with_refresh_token (not cached, as in ADAL).
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param refresh_token the refresh token; never logged
 * @param client_id the client the refresh token was issued to
 * @param resource v1 resource URI (v2/oidc: the scopes)
 * @param client_secret NULL for public clients
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_refresh_token(
    aadcred_token **out, aadcred_context *context, const char *refresh_token,
    const char *client_id, const char *resource, const char *client_secret);

/* --- Confidential clients and the authorization code (ADAL §2.3, §2.4) -------------- */

/**
 * ADAL's acquire_token_with_client_credentials: a token for the application itself
 * (OAuth 2.0 client credentials grant with a client secret). The context's cache is
 * consulted first (by client id) and receives the new token.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scope, e.g. "https://graph.microsoft.com/.default")
 * @param client_id the confidential client
 * @param client_secret the client's secret; never logged
 * @return 0 or a negative aadcred_error_code; a wrong secret is AADCRED_ERROR with
 *         ADAL's text "Get Token request returned http error: 401 and server response: ..."
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_client_credentials(
    aadcred_token **out, aadcred_context *context, const char *resource, const char *client_id,
    const char *client_secret);

/**
 * ADAL's acquire_token_with_client_certificate: the client credentials grant with an
 * RS256 client assertion (RFC 7523) signed by the certificate's private key. The cache is
 * consulted after the assertion is built; the result is not cached (as in ADAL).
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scope)
 * @param client_id the confidential client
 * @param certificate_pem the RSA private key, PEM ("RSA PRIVATE KEY" or PKCS#8); wiped
 *        from the library's copies after use
 * @param thumbprint the certificate's SHA-1 (40 hex digits) or MD5 thumbprint; ' ' and
 *        ':' are ignored ("The thumbprint does not match a known format" otherwise)
 * @param public_certificate_pem NULL, or the certificate (chain) PEM to send as "x5c"
 *        (subject name / issuer authentication)
 * @return 0 or a negative aadcred_error_code; AADCRED_EINVALID for an unreadable key or
 *         thumbprint
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_client_certificate(
    aadcred_token **out, aadcred_context *context, const char *resource, const char *client_id,
    const char *certificate_pem, const char *thumbprint, const char *public_certificate_pem);

/**
 * ADAL's acquire_token_with_authorization_code: redeems a code from the authorize
 * endpoint. No cache lookup; the token is added to the context's cache.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param authorization_code the code; never logged
 * @param redirect_uri the redirect URI the code was issued for
 * @param client_secret NULL (or "") for public clients
 * @param resource v1 resource URI (v2/oidc: the scopes)
 * @param client_id the client the code was issued to
 * @param code_verifier NULL (or ""), or the PKCE verifier (RFC 7636)
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_authorization_code(
    aadcred_token **out, aadcred_context *context, const char *authorization_code,
    const char *redirect_uri, const char *resource, const char *client_id,
    const char *client_secret, const char *code_verifier);

/* --- end of confidential clients and the authorization code -------------------------- */

/* --- Username and password (ADAL §2.3, §2.5) ---------------------------------------- */

/**
 * ADAL's acquire_token_with_username_password (resource owner password credentials).
 * The cache is consulted first (this client id and user name). Then, for an ADFS
 * authority (tenant "adfs"), the password grant goes to its token endpoint; otherwise
 * user realm discovery decides: managed users get the password grant, federated users
 * sign in at their WS-Trust 1.3 or 2005 endpoint (found through MEX, else the realm's
 * active auth URL) and the SAML assertion is redeemed with the SAML bearer grant. The
 * token is cached. Only for AADCRED_API_V1 contexts.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI
 * @param username the user principal name, e.g. "alice@contoso.com"
 * @param password the password; never logged, wiped from the library's copies
 * @param client_id the public client
 * @return 0 or a negative aadcred_error_code; a wrong password gives ADAL's text, e.g.
 *         "Get Token request returned http error: 400 and server response: ..." (managed)
 *         or "Server returned error in RSTR - ErrorCode: ... : FaultMessage: ..." (federated)
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_username_password(
    aadcred_token **out, aadcred_context *context, const char *resource, const char *username,
    const char *password, const char *client_id);

/**
 * Frees a context. Must not race a call on the same context.
 * @param context the context, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_context_free(aadcred_context *context);

/* ------------------------------------------------------------------------------------ */
/* Credential provider: what the front ends use                                          */
/* ------------------------------------------------------------------------------------ */

/** Why the prompter is called. */
typedef enum {
    /** Show the code: `code` is valid until the DONE call. */
    AADCRED_PROMPT_SHOW = 0,
    /** Polling ended (success or not); clear any countdown. `code` is still valid. */
    AADCRED_PROMPT_DONE = 1,
} aadcred_prompt_event;

/**
 * Shows a device code to the person: the CLI writes to the terminal, git to stderr, PAM
 * through its conversation. Return 0 to go on polling, non-zero to cancel.
 */
typedef int (*aadcred_prompt_cb)(aadcred_prompt_event event, const aadcred_user_code *code,
                                 void *payload);

/** One credential request: which account, where its tokens live, how to ask. */
typedef struct {
    unsigned int version;
    /** Authority URL (https://login.microsoftonline.com/<tenant>). Required. */
    const char *authority;
    /** Public client id. Required. */
    const char *client_id;
    /** v1 resource URI (v1; required by get_token only). */
    const char *resource;
    /** v2/OIDC scopes, space-separated (v2/oidc; required by get_token only). */
    const char *scopes;
    /** The account wanted (upn); NULL: the only one cached, never a guess among several. */
    const char *user_id;
    aadcred_api api;
    /** PEM CA bundle or NULL. */
    const char *ca_file;
    int validate_authority;
    /** Request timeout in seconds, 0 for the default. */
    int timeout;
    /** Store: "auto", "secret-service", "keyring", "memory" or "file:PATH". NULL: auto. */
    const char *store;
    /** Non-zero allows a device code flow when no token can be had silently. */
    int allow_prompt;
    /** A cached access token is used only when valid this many more seconds. */
    int min_validity;
    /** Shows the device code; required when allow_prompt is set. */
    aadcred_prompt_cb prompt;
    void *prompt_payload;
    /**
     * Since version 2. Proxy URL for every request to the authority (curl syntax, e.g.
     * "http://proxy.example:3128"), as aadcred_context_options.proxy; NULL: curl's
     * environment default (http_proxy, https_proxy, no_proxy). Read only when version is
     * 2 or more.
     */
    const char *proxy;
} aadcred_request;

#define AADCRED_REQUEST_VERSION 2
#define AADCRED_REQUEST_INIT                                                                \
    { AADCRED_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL, AADCRED_API_V1, NULL, 1, 0, \
      NULL, 0, 300, NULL, NULL, NULL }

/**
 * Fills `out` as AADCRED_REQUEST_INIT does, for callers that cannot use a macro
 * (language bindings, programs that load the library with dlopen).
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_REQUEST_VERSION, or the older version that the caller's
 *        struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_request_init(aadcred_request *out, unsigned int version);

typedef struct aadcred_provider aadcred_provider;

/**
 * Creates a provider for one request; copies every string of it. The resource (v1) or
 * scopes (v2, oidc) may be NULL: only aadcred_provider_get_token needs them and fails
 * with AADCRED_EINVALID without.
 * @param out receives the provider, to release with aadcred_provider_free
 * @param request the request, initialised with AADCRED_REQUEST_INIT
 * @return 0, or AADCRED_EINVALID for a missing authority or client id, bad options or a
 *         malformed store
 */
AADCRED_EXTERN int aadcred_provider_new(aadcred_provider **out, const aadcred_request *request);

/**
 * Gets a token: cache hit → silent refresh → device code flow (when allowed) → store.
 * Serialised per account across processes, so racing callers make one refresh.
 * @param out receives the token, to release with aadcred_token_free
 * @param provider the provider
 * @return 0; AADCRED_EINTERACTION_REQUIRED when a sign-in is needed but not allowed;
 *         AADCRED_ECANCELLED; AADCRED_EUNREACHABLE; AADCRED_ESTORE; AADCRED_ERROR
 */
AADCRED_EXTERN int aadcred_provider_get_token(aadcred_token **out, aadcred_provider *provider);

/**
 * Cancels a running aadcred_provider_get_token from another thread; it then fails with
 * AADCRED_ECANCELLED.
 * @param provider the provider the call runs on
 * @return 0, or AADCRED_EINVALID when provider is NULL
 */
AADCRED_EXTERN int aadcred_provider_cancel(aadcred_provider *provider);

/**
 * Forgets the cached access token of the request's account if it equals `access_token`
 * (git's `erase`); the refresh token stays.
 * @param provider the provider
 * @param access_token the access token the caller was refused with; compared whole
 * @return 0 (also when nothing matched) or an error
 */
AADCRED_EXTERN int aadcred_provider_forget_access_token(aadcred_provider *provider,
                                                        const char *access_token);

/**
 * Removes tokens from the request's store: one user's (user_id), or all aadcred tokens of
 * the store when `all` is non-zero. A NULL user_id means the request's user_id, or, when
 * that is NULL too, every account of the request's authority and client.
 * @param provider the provider
 * @param user_id the account to sign out, or NULL as above
 * @param all non-zero removes every aadcred token of the store
 * @return the number of entries removed, or a negative error code
 */
AADCRED_EXTERN int aadcred_provider_logout(aadcred_provider *provider, const char *user_id,
                                           int all);

/**
 * Lists the accounts in the request's store as a JSON array of
 * `{"userId","authority","clientId","resource","expiresOn","hasRefreshToken"}` — never
 * a secret.
 * @param out receives a string to release with aadcred_string_free
 * @param provider the provider
 * @return 0, or AADCRED_ESTORE when the store cannot be read
 */
AADCRED_EXTERN int aadcred_provider_list_json(char **out, aadcred_provider *provider);

/**
 * The store actually used after "auto" was resolved ("secret-service", "keyring", ...).
 * @param provider the provider
 * @return the store's name, valid while the provider lives; NULL before the first call
 *         that needed the store
 */
AADCRED_EXTERN const char *aadcred_provider_store_name(const aadcred_provider *provider);

/* --- Credential provider: store hand-off ------------------------------------------ */

/**
 * Saves a token obtained elsewhere (e.g. aadcred_context_acquire_token_with_device_code)
 * in the request's store, replacing the entry with the same key, under the request's
 * account lock (the one aadcred_provider_get_token takes).
 * @param provider the provider
 * @param token the token; copied
 * @return 0; AADCRED_EINVALID when the token lacks accessToken/refreshToken, _authority or
 *         _clientId; AADCRED_ESTORE
 */
AADCRED_EXTERN int aadcred_provider_store_token(aadcred_provider *provider,
                                                const aadcred_token *token);

/**
 * Every entry of the request's store (all authorities and clients) as ADAL's
 * TokenCache.serialize() JSON, which python3-adal's TokenCache(state) reads.
 * @param out receives a string holding tokens; release with aadcred_string_free
 * @param provider the provider
 * @return 0, or AADCRED_ESTORE when the store cannot be read
 */
AADCRED_EXTERN int aadcred_provider_export_json(char **out, aadcred_provider *provider);

/**
 * Adds every entry of an ADAL TokenCache JSON (a JSON array of entries) to the request's
 * store, replacing entries with the same key. The whole document is checked first (each
 * entry needs _authority, _clientId and a token), so a bad one stores nothing.
 * @param provider the provider
 * @param adal_cache_json ADAL TokenCache.serialize() output
 * @return the number of entries stored, or a negative error code
 */
AADCRED_EXTERN int aadcred_provider_import_json(aadcred_provider *provider,
                                                const char *adal_cache_json);

/**
 * Frees a provider.
 * @param provider the provider, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_provider_free(aadcred_provider *provider);

/* ------------------------------------------------------------------------------------ */
/* Identity: a verified id_token (what PAM, and any caller that grants access, relies on) */
/* ------------------------------------------------------------------------------------ */

/**
 * The authority's issuer metadata and signing keys (OpenID Connect discovery and its
 * JWK Set), kept between verifications: fetched on first use, again after 24 hours, and
 * when a token names an unknown key (at most once every 5 minutes). Thread-safe. The
 * caller owns it, so a PAM module can keep one per sign-in and a server one per process.
 */
typedef struct aadcred_key_cache aadcred_key_cache;

/**
 * Creates an empty key cache.
 * @param out receives the cache, to release with aadcred_key_cache_free
 * @return 0, or AADCRED_EINVALID when out is NULL
 */
AADCRED_EXTERN int aadcred_key_cache_new(aadcred_key_cache **out);

/**
 * Frees a key cache. Must not race a verification that uses it.
 * @param cache the cache, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_key_cache_free(aadcred_key_cache *cache);

typedef struct {
    unsigned int version;
    /** The application's client id: the `aud` the id_token must carry. Required. */
    const char *client_id;
    /**
     * Comma-separated tenant ids (`tid`) accepted, e.g. "tid1,tid2"; NULL or "" accepts
     * any tenant that the issuer check lets through.
     */
    const char *allowed_tenants;
    /** Allowed clock difference in seconds for `exp` and `nbf`; 0: 300. At most 3600. */
    int clock_skew;
    /** Keys kept between calls (borrowed, must outlive the call); NULL: fetched per call. */
    aadcred_key_cache *key_cache;
    /**
     * Since version 2. A directory (absolute path) where the issuer metadata and signing
     * keys of each authority are kept across processes, one file per authority: used
     * while their lifetime holds (the keys reply's Cache-Control max-age, from 5 minutes
     * to 24 hours; 24 hours without one), fetched again after, and once more when a token
     * names a key the cached set lacks (at most once every 5 minutes per authority, for
     * all processes). The directory must be owned by root or the effective uid and not
     * writable by group or others, else it is not used (a warning is logged) and the keys
     * are fetched as with NULL; a process that cannot write it only reads it. Never taken
     * from the environment. When set, `key_cache` is not used. NULL: no such cache. Read
     * only when version is 2 or more.
     */
    const char *key_cache_dir;
} aadcred_identity_options;

#define AADCRED_IDENTITY_OPTIONS_VERSION 2
#define AADCRED_IDENTITY_OPTIONS_INIT \
    { AADCRED_IDENTITY_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL }

/**
 * Fills `out` as AADCRED_IDENTITY_OPTIONS_INIT does, for callers that cannot use a macro
 * (language bindings, programs that load the library with dlopen).
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_IDENTITY_OPTIONS_VERSION, or the older version that the caller's
 *        struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_identity_options_init(aadcred_identity_options *out,
                                                 unsigned int version);

/** The claims of a verified id_token. Free with aadcred_identity_free. */
typedef struct aadcred_identity aadcred_identity;

/**
 * Verifies the id_token that came with `token` against the context's authority, and
 * never merely decodes it: the signature must be RS256 by the authority's key of the
 * token's `kid` (any other `alg`, `none` included, is refused); `iss` must be the
 * authority's issuer for the token's tenant (AAD v1 `https://sts.windows.net/<tid>/`,
 * v2 `https://<host>/<tid>/v2.0`, or the discovery document's `issuer`); `aud` must be
 * `client_id` (with several audiences, `azp` too); `exp` and `nbf` must hold within the
 * clock skew; `tid` must be the authority's tenant when that is a GUID, and one of
 * `allowed_tenants` when set. The keys come over the context's transport settings
 * (CA file, proxy, timeout).
 * @param out receives the verified claims, to release with aadcred_identity_free
 * @param context the context of the authority that issued the token
 * @param token a token result holding an id_token (aadcred_token_id_token)
 * @param options NULL is refused: client_id is required
 * @return 0; AADCRED_ERROR when the token is refused or has no id_token (the reason is
 *         in aadcred_error_last()); AADCRED_EUNREACHABLE when the keys could not be
 *         fetched; AADCRED_EINVALID for bad arguments
 */
AADCRED_EXTERN int aadcred_context_verify_id_token(aadcred_identity **out, aadcred_context *context,
                                                   const aadcred_token *token,
                                                   const aadcred_identity_options *options);

/**
 * A claim of the verified token, e.g. "upn", "preferred_username", "email", "tid", "oid".
 * A string claim holding a NUL or another control character (C0, DEL, C1) is refused,
 * never returned cut short at the NUL: NULL, with the reason in aadcred_error_last().
 * @param identity the verified identity
 * @param name the claim's name
 * @return the claim's text (strings as they are, integers in decimal, booleans as
 *         "true"/"false"); NULL when absent or an array/object (aadcred_error_last()
 *         is then NULL) or when refused; valid while the identity lives
 */
AADCRED_EXTERN const char *aadcred_identity_claim(const aadcred_identity *identity,
                                                  const char *name);

/**
 * Every claim of the verified token as the authority sent them (a JSON object).
 * @param out receives a string to release with aadcred_string_free
 * @param identity the verified identity
 * @return 0 or a negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_identity_to_json(char **out, const aadcred_identity *identity);

/**
 * Frees an identity.
 * @param identity the identity, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_identity_free(aadcred_identity *identity);

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_AADCRED_H */
