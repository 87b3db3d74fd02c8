/*
 * A long-lived program's view of a token store (issue 9): the same warm, silent
 * aadcred_provider_get_token again and again, through the public C ABI only. Whatever one
 * call leaves behind grows the resident set with the number of calls.
 *
 *   store_memory AUTHORITY CLIENT_ID RESOURCE CA_FILE STORE WARMUP CALLS [shared|fresh]
 *
 * "shared" (the default) keeps one provider for every call, as a daemon would; "fresh"
 * makes a provider per call, as a program serving one request at a time might. Prints
 *   rss_warm KB     VmRSS after WARMUP calls (libraries loaded, caches filled)
 *   rss_end KB      VmRSS after CALLS more
 *   failures N      calls that did not return a token
 * and exits 0 when every call returned a token, 1 otherwise.
 */
#include <aadcred/aadcred.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VmRSS of this process in kB, or -1 when /proc cannot tell. */
static long rss_kb(void) {
    char line[256];
    long kb = -1;
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL) return -1;
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(status);
    return kb;
}

/* One warm lookup; returns 0 when it produced a token. */
static int one_call(aadcred_provider *provider) {
    aadcred_token *token = NULL;
    int rc = aadcred_provider_get_token(&token, provider);
    if (rc != AADCRED_OK || aadcred_token_access_token(token) == NULL) {
        const aadcred_error *error = aadcred_error_last();
        fprintf(stderr, "get_token: %d %s\n", rc,
                error != NULL && error->message != NULL ? error->message : "");
        rc = -1;
    }
    aadcred_token_free(token);
    return rc;
}

int main(int argc, char **argv) {
    aadcred_request request = AADCRED_REQUEST_INIT;
    aadcred_provider *provider = NULL;
    long warmup, calls, failures = 0, rss_warm = -1, i;
    int fresh;

    if (argc < 8 || argc > 9) {
        fprintf(stderr,
                "usage: %s AUTHORITY CLIENT_ID RESOURCE CA_FILE STORE WARMUP CALLS "
                "[shared|fresh]\n",
                argv[0]);
        return 2;
    }
    request.authority = argv[1];
    request.client_id = argv[2];
    request.resource = argv[3];
    request.ca_file = argv[4];
    request.store = argv[5];
    warmup = strtol(argv[6], NULL, 10);
    calls = strtol(argv[7], NULL, 10);
    fresh = argc == 9 && strcmp(argv[8], "fresh") == 0;
    if (!fresh && aadcred_provider_new(&provider, &request) != AADCRED_OK) {
        fprintf(stderr, "aadcred_provider_new failed\n");
        return 1;
    }

    for (i = 0; i < warmup + calls; i++) {
        aadcred_provider *per_call = NULL;
        if (i == warmup) rss_warm = rss_kb();
        if (fresh) {
            if (aadcred_provider_new(&per_call, &request) != AADCRED_OK || one_call(per_call) != 0)
                failures++;
            aadcred_provider_free(per_call);
        } else if (one_call(provider) != 0) {
            failures++;
        }
    }
    if (calls == 0) rss_warm = rss_kb();
    printf("rss_warm %ld\n", rss_warm);
    printf("rss_end %ld\n", rss_kb());
    printf("failures %ld\n", failures);
    aadcred_provider_free(provider);
    return failures == 0 ? 0 : 1;
}
