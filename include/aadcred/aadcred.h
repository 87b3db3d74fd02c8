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

/* The C ABI by module; each header also compiles alone. */
#include <aadcred/browser.h>
#include <aadcred/common.h>
#include <aadcred/context.h>
#include <aadcred/discovery.h>
#include <aadcred/error.h>
#include <aadcred/identity.h>
#include <aadcred/logging.h>
#include <aadcred/notification.h>
#include <aadcred/provider.h>
#include <aadcred/token.h>
#include <aadcred/token_cache.h>
#include <aadcred/user_code.h>

#endif /* AADCRED_AADCRED_H */
