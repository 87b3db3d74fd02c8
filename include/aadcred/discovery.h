/*
 * <aadcred/discovery.h>: which tenant a resource belongs to, asked of the resource.
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 */
#ifndef AADCRED_DISCOVERY_H
#define AADCRED_DISCOVERY_H

#include <aadcred/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Asks a resource which tenant signs in to it: one GET to `url` without credentials,
 * whose reply names the tenant in `X-VSS-ResourceTenant` (Azure DevOps: its first tenant
 * id that is not the nil GUID) or in a `WWW-Authenticate: Bearer authorization_uri=...`
 * challenge on a well-known Azure AD host. TLS is verified as for every request.
 * @param out receives the authority, e.g. "https://login.microsoftonline.com/<tenant id>",
 *        to release with aadcred_string_free; NULL on failure
 * @param url the resource's https URL (e.g. "https://dev.azure.com/<organisation>/")
 * @param ca_file PEM CA bundle to verify the server with, or NULL for the system's
 * @param proxy proxy URL (curl syntax), or NULL for curl's environment default
 * @param timeout seconds for the whole request, 0 for the default (10); at most 300
 * @return 0; AADCRED_ENOTFOUND when the reply names no tenant; AADCRED_EUNREACHABLE when
 *         the server cannot be reached (DNS, connect, TLS, timeout); AADCRED_EINVALID for
 *         a NULL or non-https url or a bad timeout
 */
AADCRED_EXTERN int aadcred_discover_tenant(char **out, const char *url, const char *ca_file,
                                           const char *proxy, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_DISCOVERY_H */
