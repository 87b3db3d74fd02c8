/*
 * <aadcred/user_code.h>: the user code info of a device code sign-in.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_USER_CODE_H
#define AADCRED_USER_CODE_H

#include <aadcred/common.h>

#ifdef __cplusplus
extern "C" {
#endif

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
 * The verification URL with the code in it (RFC 8628 verification_uri_complete), for a
 * QR code or a link that needs no typing; v1 authorities send none.
 * @param code the user code info
 * @return the URL, or NULL when the authority sent none or code is NULL; valid while
 *         code lives
 */
AADCRED_EXTERN const char *aadcred_user_code_verification_url_complete(
    const aadcred_user_code *code);
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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_USER_CODE_H */
