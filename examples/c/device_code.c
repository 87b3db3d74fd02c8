/*
 * Device code sign-in with libaadcred's C ABI, step by step as ADAL for Python does it:
 * acquire_user_code, show its message, acquire_token_with_device_code.
 *
 *   device_code AUTHORITY CLIENT_ID RESOURCE [CA_FILE]
 *
 * Prints the user id and the expiry of the token (never the token itself) and exits 0;
 * on failure prints aadcred_error_last()'s message and exits 1.
 */
#include <aadcred/aadcred.h>
#include <stdio.h>

/* Reports the thread's last error: message, OAuth error and correlation id. */
static int report(const char *step) {
    const aadcred_error *error = aadcred_error_last();
    fprintf(stderr, "%s failed: %s\n", step,
            error != NULL && error->message != NULL ? error->message : "unknown error");
    if (error != NULL && error->error != NULL) fprintf(stderr, "  OAuth error: %s\n", error->error);
    if (error != NULL && error->correlation_id != NULL)
        fprintf(stderr, "  correlation id: %s\n", error->correlation_id);
    return 1;
}

int main(int argc, char **argv) {
    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    aadcred_context *context = NULL;
    aadcred_user_code *code = NULL;
    aadcred_token *token = NULL;
    const char *resource;
    const char *client_id;
    int status = 1;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s AUTHORITY CLIENT_ID RESOURCE [CA_FILE]\n", argv[0]);
        return 2;
    }
    client_id = argv[2];
    resource = argv[3];
    options.ca_file = argc == 5 ? argv[4] : NULL;

    if (aadcred_context_new(&context, argv[1], &options) != AADCRED_OK) {
        status = report("aadcred_context_new");
        goto out;
    }
    if (aadcred_context_acquire_user_code(&code, context, resource, client_id, NULL) !=
        AADCRED_OK) {
        status = report("acquire_user_code");
        goto out;
    }
    /* The authority's own words: "To sign in, use a web browser to open ... and enter
     * the code ... to authenticate." */
    fprintf(stderr, "%s\n", aadcred_user_code_message(code));

    if (aadcred_context_acquire_token_with_device_code(&token, context, resource, code,
                                                       client_id) != AADCRED_OK) {
        status = report("acquire_token_with_device_code");
        goto out;
    }
    printf("userId: %s\n",
           aadcred_token_user_id(token) != NULL ? aadcred_token_user_id(token) : "(none)");
    printf("expiresOn: %s\n",
           aadcred_token_expires_on(token) != NULL ? aadcred_token_expires_on(token) : "(none)");
    status = 0;

out:
    /* Every _free is NULL-safe and wipes the secrets it held. */
    aadcred_token_free(token);
    aadcred_user_code_free(code);
    aadcred_context_free(context);
    return status;
}
