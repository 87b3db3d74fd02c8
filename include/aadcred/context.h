/*
 * <aadcred/context.h>: ADAL's AuthenticationContext.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_CONTEXT_H
#define AADCRED_CONTEXT_H

#include <aadcred/common.h>
#include <aadcred/token.h>
#include <aadcred/token_cache.h>
#include <aadcred/user_code.h>

#ifdef __cplusplus
extern "C" {
#endif

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
                                                     aadcred_context *context, const char *resource,
                                                     const char *client_id, const char *language);

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

/* --- Device code polling with options ------------------------------------------------ */

/**
 * Options of aadcred_context_acquire_token_with_device_code_ex. There is no cancel
 * option: aadcred_context_cancel_request_to_get_token_with_device_code stops such a poll
 * too, from any thread, and wakes it at once (a flag or callback read when the poller
 * wakes would be seen only up to an interval later).
 */
typedef struct {
    unsigned int version;
    /**
     * When polling gives up, in seconds since the epoch (wall-clock time, as
     * aadcred_token_expires_at), unless the code expires first: the earlier of the two
     * ends the poll, as an expired code does (AADCRED_ERROR, class
     * AADCRED_ERROR_CLASS_TIMEOUT). A deadline already past ends it before any request.
     * 0: the code's own expiry. Negative values are refused.
     */
    int64_t deadline;
} aadcred_device_flow_options;

#define AADCRED_DEVICE_FLOW_OPTIONS_VERSION 1
#define AADCRED_DEVICE_FLOW_OPTIONS_INIT \
    { AADCRED_DEVICE_FLOW_OPTIONS_VERSION, 0 }

/**
 * Fills `out` as AADCRED_DEVICE_FLOW_OPTIONS_INIT does, for callers that cannot use a
 * macro (language bindings, programs that load the library with dlopen).
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_DEVICE_FLOW_OPTIONS_VERSION, or the older version that the
 *        caller's struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_device_flow_options_init(aadcred_device_flow_options *out,
                                                    unsigned int version);

/**
 * aadcred_context_acquire_token_with_device_code with options: the same poll, ended also
 * by the caller's deadline, so a caller can give the person less time than the code has
 * without editing the code. aadcred_context_cancel_request_to_get_token_with_device_code
 * cancels it as it cancels the other.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scopes), as given to acquire_user_code
 * @param code the user code info from aadcred_context_acquire_user_code
 * @param client_id the public client
 * @param options NULL for the defaults (the same poll as
 *        aadcred_context_acquire_token_with_device_code)
 * @return 0; AADCRED_ECANCELLED after a cancel; AADCRED_ERROR when the person declined,
 *         the code expired or the deadline passed; AADCRED_EINVALID for bad options;
 *         another negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_device_code_ex(
    aadcred_token **out, aadcred_context *context, const char *resource,
    const aadcred_user_code *code, const char *client_id,
    const aadcred_device_flow_options *options);

/* --- end of device code polling with options ------------------------------------------ */

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
    aadcred_token **out, aadcred_context *context, const char *refresh_token, const char *client_id,
    const char *resource, const char *client_secret);

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
AADCRED_EXTERN int aadcred_context_acquire_token_with_client_credentials(aadcred_token **out,
                                                                         aadcred_context *context,
                                                                         const char *resource,
                                                                         const char *client_id,
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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_CONTEXT_H */
