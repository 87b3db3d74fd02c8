/* pam_start / pam_authenticate / pam_open_session / pam_close_session / pam_end, N times,
 * as a long-lived host (sshd's monitor, gdm) would: run under valgrind by test_pam.py to
 * show the module leaks no memory and no file descriptors across sign-ins.
 * Usage: pam_cycles SERVICE USER CYCLES; prints "fds FIRST LAST", "threads N" and
 * "failures N". */
#include <dirent.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers every prompt with an empty line (the "press Enter" prompt), shows nothing. */
static int conversation(int count, const struct pam_message **messages,
                        struct pam_response **responses, void *data) {
    (void)messages;
    (void)data;
    struct pam_response *r = calloc((size_t)count, sizeof *r);
    if (r == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        r[i].resp = strdup("");
        if (r[i].resp == NULL) {
            for (int j = 0; j < i; ++j) free(r[j].resp);
            free(r);
            return PAM_BUF_ERR;
        }
    }
    *responses = r;
    return PAM_SUCCESS;
}

static int open_fds(void) {
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) return -1;
    int n = 0;
    while (readdir(dir) != NULL) ++n;
    closedir(dir);
    return n;
}

/* "Threads:" of /proc/self/status: a module must leave none running behind it. */
static int threads(void) {
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL) return -1;
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "Threads:", 8) == 0) n = atoi(line + 8);
    }
    fclose(status);
    return n;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s SERVICE USER CYCLES\n", argv[0]);
        return 2;
    }
    const int cycles = atoi(argv[3]);
    const struct pam_conv conv = {conversation, NULL};
    int first = -1;
    int failures = 0;
    for (int i = 0; i < cycles; ++i) {
        pam_handle_t *pamh = NULL;
        int rc = pam_start(argv[1], argv[2], &conv, &pamh);
        if (rc == PAM_SUCCESS) rc = pam_authenticate(pamh, 0);
        if (rc == PAM_SUCCESS) rc = pam_open_session(pamh, 0);
        if (rc == PAM_SUCCESS) rc = pam_close_session(pamh, 0);
        if (rc != PAM_SUCCESS) {
            ++failures;
            fprintf(stderr, "cycle %d: %s\n", i, pam_strerror(pamh, rc));
        }
        if (pamh != NULL) pam_end(pamh, rc);
        /* After the first cycle: what libcurl and OpenSSL open once per process is in. */
        if (i == 0) first = open_fds();
    }
    printf("fds %d %d\nthreads %d\nfailures %d\n", first, open_fds(), threads(), failures);
    return failures == 0 ? 0 : 1;
}
