/*
 * <aadcred/error.h>: return codes and the last error of the thread.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_ERROR_H
#define AADCRED_ERROR_H

#include <aadcred/common.h>

#ifdef __cplusplus
extern "C" {
#endif

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
    AADCRED_ERROR_CLASS_SERVER,    /**< the authority answered with an OAuth error */
    AADCRED_ERROR_CLASS_PROTOCOL,  /**< the authority's reply was malformed or oversized */
    AADCRED_ERROR_CLASS_NETWORK,   /**< connect, TLS, DNS, timeout */
    AADCRED_ERROR_CLASS_STORE,     /**< token store */
    AADCRED_ERROR_CLASS_INVALID,   /**< caller or configuration error */
    AADCRED_ERROR_CLASS_CANCELLED, /**< cancelled */
    AADCRED_ERROR_CLASS_TIMEOUT,   /**< the device code deadline passed */
    AADCRED_ERROR_CLASS_INTERNAL,  /**< out of memory or a bug */
} aadcred_error_class;

/**
 * aadcred_error.error of a TLS failure because no CA the library trusts (the system's, or
 * the CA file given) signed the authority's certificate: a private CA wants a CA file.
 * Not set for other TLS failures (wrong host name, expired certificate). Known with a
 * libcurl built on OpenSSL; with other TLS libraries error stays NULL.
 */
#define AADCRED_ERROR_TLS_UNTRUSTED_CA "tls_untrusted_ca"

/**
 * aadcred_error.error (Azure AD's own) when instance discovery refused the authority's
 * host: an authority Azure AD does not list (ADFS, Azure Stack, a private cloud) is used
 * with validate_authority off.
 */
#define AADCRED_ERROR_INVALID_INSTANCE "invalid_instance"

/** The last error of this thread. All strings may be NULL. */
typedef struct {
    aadcred_error_class klass;
    /** ADAL's message text, e.g. "Get Token request returned http error: 400 and ..." */
    const char *message;
    /**
     * The OAuth `error` field (e.g. "authorization_declined"; "invalid_instance" when
     * Azure AD's instance discovery does not know the authority's host), or for a
     * failure without one, a code of the library's that says which setting would help
     * (AADCRED_ERROR_TLS_UNTRUSTED_CA), or NULL.
     */
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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_ERROR_H */
