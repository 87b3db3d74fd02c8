/*
 * <aadcred/browser.h>: the browser sign-in (authorization code with PKCE and a loopback
 * redirect, RFC 8252), for tenants whose Conditional Access refuses the device code
 * (AADSTS53003) and for people at a desktop. Programs include <aadcred/aadcred.h>, which
 * includes every module header; this one also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_BROWSER_H
#define AADCRED_BROWSER_H

#include <aadcred/common.h>
#include <aadcred/context.h>
#include <aadcred/token.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Opens `url` in a browser for the person.
 * @param url the authorization request to open
 * @param user_data the options' user_data
 * @return 0 when a browser was started; anything else when none could be
 */
typedef int (*aadcred_open_url_cb)(const char *url, void *user_data);

/** How aadcred_context_acquire_token_with_browser reaches the person. */
typedef struct {
    unsigned int version;
    /** Seconds the person has to sign in once the browser is opened; 0: 300. */
    int timeout;
    /** Opens the browser; NULL: the library's launcher ($BROWSER, then xdg-open). */
    aadcred_open_url_cb open_url;
    /** Passed to open_url. */
    void *user_data;
    /** The account to preselect (login_hint), or NULL. */
    const char *login_hint;
} aadcred_browser_options;

#define AADCRED_BROWSER_OPTIONS_VERSION 1
#define AADCRED_BROWSER_OPTIONS_INIT \
    { AADCRED_BROWSER_OPTIONS_VERSION, 0, NULL, NULL, NULL }

/**
 * Fills `out` as AADCRED_BROWSER_OPTIONS_INIT does, for callers that cannot use a macro.
 * @param out the struct to fill; only the fields that `version` has are written
 * @param version AADCRED_BROWSER_OPTIONS_VERSION, or the older version that the caller's
 *        struct was built with
 * @return 0, or AADCRED_EINVALID when out is NULL or version is 0 or newer than the library
 */
AADCRED_EXTERN int aadcred_browser_options_init(aadcred_browser_options *out, unsigned int version);

/**
 * Whether the library's launcher can start a browser here: there is a display
 * ($WAYLAND_DISPLAY, $DISPLAY) and $BROWSER is set or xdg-open is installed; never in a
 * setuid or otherwise privileged process. A front end's "auto" flow asks this to choose between
 * the browser and the device code.
 * @return 1 or 0
 */
AADCRED_EXTERN int aadcred_browser_available(void);

/**
 * The browser sign-in: opens the authority's authorization page with a PKCE (S256)
 * challenge and a random state, waits on 127.0.0.1 for the one redirect that brings the
 * code back, checks the state, and redeems the code with the verifier. The token is
 * cached in the context's cache, as the device code flow's is.
 * @param out receives the token, to release with aadcred_token_free
 * @param context the context
 * @param resource v1 resource URI (v2/oidc: the scopes)
 * @param client_id the public client, registered with a http://localhost redirect URI
 * @param options NULL for the defaults
 * @return 0; AADCRED_EINTERACTION_REQUIRED when no browser could be started (fall back to the
 *         device code); AADCRED_ECANCELLED after aadcred_context_cancel_browser_sign_in;
 *         AADCRED_ERROR when the sign-in failed in the browser (the error names the
 *         authority's code, e.g. AADSTS53003), came back with another state, or did not
 *         complete in time; another negative aadcred_error_code
 */
AADCRED_EXTERN int aadcred_context_acquire_token_with_browser(
    aadcred_token **out, aadcred_context *context, const char *resource, const char *client_id,
    const aadcred_browser_options *options);

/**
 * Cancels every browser sign-in of `context` in progress now; callable from any thread
 * (a signal watcher, a UI's Cancel button). Each one returns AADCRED_ECANCELLED within
 * 100 ms. A sign-in that starts afterwards is not affected.
 * @param context the context
 * @return 0, or AADCRED_EINVALID when context is NULL
 */
AADCRED_EXTERN int aadcred_context_cancel_browser_sign_in(aadcred_context *context);

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_BROWSER_H */
