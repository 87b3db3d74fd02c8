/* A stand-in for a setuid program with pam_aadcred in its stack (su, sudo, chsh), for
 * test_privileged_env.py: installed setuid root and run by an unprivileged user, it goes
 * through libaadcred the way the module does (curl_global_init, authority validation,
 * instance discovery, the device code request) under whatever environment the caller
 * chose.
 *
 * usage: privileged_env_driver AUTHORITY CA_FILE VALIDATE(0|1) RESOURCE CLIENT_ID [PROXY]
 * Prints "ruid=N euid=N secure=N", then "ok" (a user code was issued; the code itself is
 * a secret and is not printed) or "error: MESSAGE". Exit 0 for ok, 1 otherwise. */

#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <aadcred/aadcred.h>

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s AUTHORITY CA_FILE VALIDATE RESOURCE CLIENT_ID [PROXY]\n",
                argv[0]);
        return 2;
    }
    printf("ruid=%u euid=%u secure=%lu\n", (unsigned)getuid(), (unsigned)geteuid(),
           getauxval(AT_SECURE));
    fflush(stdout);

    aadcred_context_options options = AADCRED_CONTEXT_OPTIONS_INIT;
    options.validate_authority = argv[3][0] == '1';
    options.ca_file = argv[2];
    /* Short: with the caller's variables ignored, discovery goes to the real worldwide
     * authority, which a test machine without network cannot resolve or reach. */
    options.timeout = 5;
    options.proxy = argc == 7 ? argv[6] : NULL;

    aadcred_context *context = NULL;
    aadcred_user_code *code = NULL;
    int rc = aadcred_context_new(&context, argv[1], &options);
    if (rc == 0) rc = aadcred_context_acquire_user_code(&code, context, argv[4], argv[5], NULL);
    if (rc == 0) {
        printf("ok\n");
    } else {
        const aadcred_error *error = aadcred_error_last();
        printf("error: %s\n", error != NULL && error->message != NULL ? error->message : "?");
    }
    aadcred_user_code_free(code);
    aadcred_context_free(context);
    return rc == 0 ? 0 : 1;
}
