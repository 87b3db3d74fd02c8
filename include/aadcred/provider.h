/*
 * <aadcred/provider.h>: the credential provider the front ends use.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_PROVIDER_H
#define AADCRED_PROVIDER_H

#include <aadcred/common.h>
#include <aadcred/context.h>
#include <aadcred/token.h>
#include <aadcred/user_code.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ */
/* Credential provider: what the front ends use                                          */
/* ------------------------------------------------------------------------------------ */

/** Why the prompter is called. */
typedef enum {
    /** Show the code: `code` is valid until the DONE call. */
    AADCRED_PROMPT_SHOW = 0,
    /** Polling ended (success or not); clear any countdown. `code` is still valid. */
    AADCRED_PROMPT_DONE = 1,
    /**
     * Only with AADCRED_FLOW_BROWSER or AADCRED_FLOW_AUTO: the sign-in goes on in the
     * browser, which is being opened; `code` is NULL. aadcred_provider_sign_in_note says
     * why when the person did not choose it (the device code was refused by a policy).
     */
    AADCRED_PROMPT_BROWSER = 2,
} aadcred_prompt_event;

/** How a sign-in that is needed happens (aadcred_request.flow, since version 3). */
typedef enum {
    /**
     * The device code (RFC 8628): a URL and a code to enter on any device; the browser
     * once when the authority's policy refuses the device code and one can be started.
     */
    AADCRED_FLOW_DEVICE = 0,
    /** The browser on this machine (auth code + PKCE, <aadcred/browser.h>). */
    AADCRED_FLOW_BROWSER = 1,
    /**
     * The browser when one can be started here (aadcred_browser_available), else the
     * device code; and the browser once when the authority's policy refuses the device
     * code (Conditional Access: AADSTS53003 and the like).
     */
    AADCRED_FLOW_AUTO = 2,
} aadcred_sign_in_flow;

/**
 * Shows a device code to the person: the CLI writes to the terminal, git to stderr, PAM
 * through its conversation. Return 0 to go on polling, non-zero to cancel.
 */
typedef int (*aadcred_prompt_cb)(aadcred_prompt_event event, const aadcred_user_code *code,
                                 void *payload);

/** One credential request: which account, where its tokens live, how to ask. */
typedef struct {
    unsigned int version;
    /**
     * Authority URL (https://login.microsoftonline.com/<tenant>). Required by the calls
     * that act for one account (get_token, forget_access_token, store_token, logout
     * without a user or all); list, logout with a user or all, export and import work
     * with NULL, going through every entry of the store.
     */
    const char *authority;
    /** Public client id. Required where authority is. */
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
    /**
     * Since version 3. How a needed sign-in happens; AADCRED_FLOW_DEVICE (the default)
     * is what versions 1 and 2 do. Read only when version is 3 or more.
     */
    aadcred_sign_in_flow flow;
    /**
     * Since version 3. A resource's claims challenge, as its `WWW-Authenticate: Bearer
     * ... claims="..."` names it (Continuous Access Evaluation: JSON, or base64 of it);
     * NULL: none. Set, a cached access token is not used: the refresh or sign-in asks the
     * authority for these claims and declares the client capability "cp1". A challenge
     * that is not a JSON object makes aadcred_provider_get_token fail with
     * AADCRED_EINVALID. Read only when version is 3 or more.
     */
    const char *claims;
    /**
     * Since version 4. Non-zero (AADCRED_REQUEST_INIT's default) lets a warm
     * aadcred_provider_get_token answer from the hot cache: the access tokens the Secret
     * Service store handed out lately, kept in the user's kernel keyring until they
     * expire, so the call needs no D-Bus round trip. Such a token has no refresh token
     * (aadcred_token_refresh_token returns NULL; the refresh token stays in the store).
     * Zero: always read the store. Used only with the "auto" and "secret-service" stores
     * and without claims; AADCRED_HOT_CACHE=off in the environment turns it off. Requests
     * of versions 1 to 3 never use it.
     */
    int hot_cache;
} aadcred_request;

#define AADCRED_REQUEST_VERSION 4
#define AADCRED_REQUEST_INIT                                                                     \
    {                                                                                            \
        AADCRED_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL, AADCRED_API_V1, NULL, 1, 0, NULL, \
            0, 300, NULL, NULL, NULL, AADCRED_FLOW_DEVICE, NULL, 1                               \
    }

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
 * with AADCRED_EINVALID without. The authority and client id may be NULL too: the calls
 * that act for one account (see aadcred_request.authority) then fail with
 * AADCRED_EINVALID, "authority is required" or "client_id is required".
 * @param out receives the provider, to release with aadcred_provider_free
 * @param request the request, initialised with AADCRED_REQUEST_INIT
 * @return 0, or AADCRED_EINVALID for bad options or a malformed store
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
 * Why the sign-in went on in the browser, for the AADCRED_PROMPT_BROWSER event: e.g.
 * "The organisation's sign-in policy refused the device code (AADSTS53003); continuing in
 * the browser." when the device code was refused.
 * @param provider the provider whose get_token is prompting
 * @return the note, valid until the next aadcred_provider_get_token; NULL when the person
 *         chose the browser (or for a NULL provider)
 */
AADCRED_EXTERN const char *aadcred_provider_sign_in_note(const aadcred_provider *provider);

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
 * that is NULL too, every account of the request's authority and client. A request
 * without an authority and client id removes the user's tokens of every authority; it
 * needs a user_id or `all`.
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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_PROVIDER_H */
