/*
 * <aadcred/identity.h>: a verified id_token.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_IDENTITY_H
#define AADCRED_IDENTITY_H

#include <aadcred/common.h>
#include <aadcred/context.h>
#include <aadcred/token.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#endif /* AADCRED_IDENTITY_H */
