/* libgit2's headertest: <aadcred/aadcred.h> alone must compile as C11 with -pedantic
 * -Werror, and a plain C program must link libaadcred.so. */
#include <aadcred/aadcred.h>

#include <string.h>

int main(void) {
    aadcred_context_options context = AADCRED_CONTEXT_OPTIONS_INIT;
    aadcred_logging_options logging = AADCRED_LOGGING_OPTIONS_INIT;
    aadcred_request request = AADCRED_REQUEST_INIT;
    (void)context;
    (void)logging;
    (void)request;
    /* The library loaded is the one these headers describe. */
    return strcmp(aadcred_version(), AADCRED_VERSION) == 0 ? 0 : 1;
}
