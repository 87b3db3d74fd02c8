/*
 * <aadcred/common.h>: what every module header of libaadcred needs: the export macro and
 * the version. Programs include <aadcred/aadcred.h>. Conventions: see aadcred.h.
 */
#ifndef AADCRED_COMMON_H
#define AADCRED_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define AADCRED_EXTERN __attribute__((visibility("default")))
#else
#define AADCRED_EXTERN
#endif

/* AADCRED_VERSION, AADCRED_VERSION_MAJOR, _MINOR and _PATCH: the version of these
 * headers, generated from the build's project version. */
#include <aadcred/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The version of the library actually loaded, which may differ from AADCRED_VERSION, the
 * version of the headers a program was compiled with.
 * @return a static string such as "0.1.0"
 */
AADCRED_EXTERN const char *aadcred_version(void);

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_COMMON_H */
