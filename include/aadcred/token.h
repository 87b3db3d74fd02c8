/*
 * <aadcred/token.h>: a token result (aadcred_token).
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_TOKEN_H
#define AADCRED_TOKEN_H

#include <aadcred/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ */
/* Tokens                                                                                */
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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_TOKEN_H */
