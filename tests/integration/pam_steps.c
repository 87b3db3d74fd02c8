/* Drives one PAM handle through the steps a host takes, for test_pam*.py: sudo's
 * authenticate / set PAM_USER to the run-as user / open_session, sshd's authentication in
 * a forked child that exits without pam_end while its parent opens the session, a login
 * refused after authenticate, and so on.
 * Usage: pam_steps SERVICE USER STEP...
 *   authenticate | acct_mgmt | setcred | open_session | close_session
 *   user=NAME        pam_set_item(PAM_USER, NAME), as sudo does before open_session
 *   fork:S1,S2,...   runs the steps in a forked child that _exits without pam_end (sshd),
 *                    or ends with "end" / "end-silent" (pam_end, with PAM_DATA_SILENT)
 *   wait             prints "waiting", then blocks until a line arrives on stdin
 *   passwd=FILE      bind-mounts FILE over /etc/passwd (only in a private mount
 *                    namespace: run under unshare -m), so an account's uid can change
 * Prints "STEP: pam_strerror" for each step; the conversation's messages go to stdout,
 * and every prompt is answered with an empty line. Exit 0 unless the usage is wrong. */
#define _GNU_SOURCE
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int conversation(int count, const struct pam_message **messages,
                        struct pam_response **responses, void *data) {
    (void)data;
    struct pam_response *r = calloc((size_t)count, sizeof *r);
    if (r == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        if (messages[i]->msg != NULL) printf("%s\n", messages[i]->msg);
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

/* True when this process has a mount namespace other than its parent's (unshare -m
 * execs us, so the parent is whoever started unshare): a bind mount then changes what
 * this process sees and nothing else. */
static int private_mounts(void) {
    char parent_ns[64];
    snprintf(parent_ns, sizeof parent_ns, "/proc/%d/ns/mnt", (int)getppid());
    struct stat self, parent;
    if (stat("/proc/self/ns/mnt", &self) != 0 || stat(parent_ns, &parent) != 0) return 0;
    return self.st_ino != parent.st_ino || self.st_dev != parent.st_dev;
}

static int step(pam_handle_t *pamh, const char *name);

/* The steps of "fork:a,b,c" in a child; its exit status is the last PAM code. */
static int forked(pam_handle_t *pamh, const char *list) {
    fflush(stdout);
    const pid_t child = fork();
    if (child < 0) return PAM_SYSTEM_ERR;
    if (child == 0) {
        char *copy = strdup(list);
        int rc = PAM_SUCCESS;
        for (char *s = strtok(copy, ","); s != NULL; s = strtok(NULL, ",")) {
            if (strcmp(s, "end") == 0 || strcmp(s, "end-silent") == 0) {
                pam_end(pamh, rc | (strcmp(s, "end") == 0 ? 0 : PAM_DATA_SILENT));
                printf("%s: done\n", s);
                fflush(stdout);
                _exit(rc);
            }
            rc = step(pamh, s);
        }
        fflush(stdout);
        _exit(rc); /* sshd's authentication child: no pam_end */
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status)) return PAM_SYSTEM_ERR;
    return WEXITSTATUS(status);
}

static int step(pam_handle_t *pamh, const char *name) {
    int rc;
    if (strcmp(name, "authenticate") == 0) {
        rc = pam_authenticate(pamh, 0);
    } else if (strcmp(name, "acct_mgmt") == 0) {
        rc = pam_acct_mgmt(pamh, 0);
    } else if (strcmp(name, "setcred") == 0) {
        rc = pam_setcred(pamh, PAM_ESTABLISH_CRED);
    } else if (strcmp(name, "open_session") == 0) {
        rc = pam_open_session(pamh, 0);
    } else if (strcmp(name, "close_session") == 0) {
        rc = pam_close_session(pamh, 0);
    } else if (strncmp(name, "user=", 5) == 0) {
        rc = pam_set_item(pamh, PAM_USER, name + 5);
    } else if (strncmp(name, "fork:", 5) == 0) {
        rc = forked(pamh, name + 5);
    } else if (strcmp(name, "wait") == 0) {
        printf("waiting\n");
        fflush(stdout);
        char line[64];
        rc = fgets(line, sizeof line, stdin) != NULL ? PAM_SUCCESS : PAM_SYSTEM_ERR;
    } else if (strncmp(name, "passwd=", 7) == 0) {
        rc = private_mounts() && mount(name + 7, "/etc/passwd", NULL, MS_BIND, NULL) == 0
                 ? PAM_SUCCESS
                 : PAM_SYSTEM_ERR;
    } else {
        fprintf(stderr, "unknown step %s\n", name);
        exit(2);
    }
    printf("%s: %s\n", name, pam_strerror(pamh, rc));
    fflush(stdout);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SERVICE USER STEP...\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const struct pam_conv conv = {conversation, NULL};
    pam_handle_t *pamh = NULL;
    int rc = pam_start(argv[1], argv[2], &conv, &pamh);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_start: %d\n", rc);
        return 1;
    }
    for (int i = 3; i < argc; ++i) rc = step(pamh, argv[i]);
    pam_end(pamh, rc);
    return 0;
}
