/*
 * <aadcred/token_cache.h>: ADAL's TokenCache.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_TOKEN_CACHE_H
#define AADCRED_TOKEN_CACHE_H

#include <aadcred/common.h>
#include <aadcred/token.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_TOKEN_CACHE_H */
