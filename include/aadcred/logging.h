/*
 * <aadcred/logging.h>: ADAL's logging options.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_LOGGING_H
#define AADCRED_LOGGING_H

#include <aadcred/common.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_LOGGING_H */
