/*
 * aadcred/handover.h: the one definition of the PAM single sign-on hand-over
 * (docs/pam-sso.md), which two sides must agree on: pam_aadcred writes it when a
 * session opens, and the user's first aadcred use (any CredentialProvider: the git
 * helper, the CLI, an application on the C ABI) imports it into the user's store and
 * deletes it. Header only: names, modes and a size cap, no functions and no symbols.
 *
 * Where the hand-over waits, under the runtime root R (/run; pam_aadcred's
 * runtime_dir=, the library's $AADCRED_RUNTIME_ROOT):
 *   R/user/<uid>/aadcred/handover.json  when systemd-logind made the user's runtime
 *                                        directory (the user's $XDG_RUNTIME_DIR);
 *   R/aadcred/<uid>/handover.json        otherwise.
 * The file is the sign-in's tokens as ADAL TokenCache JSON, owned by the user, mode
 * 0600 in a 0700 directory of the user's; a reader takes it only when it is a regular
 * file (not a symlink) of its own uid with no group or other bits, at most
 * AADCRED_HANDOVER_MAX_BYTES.
 */
#ifndef AADCRED_HANDOVER_H
#define AADCRED_HANDOVER_H

/** The hand-over's directory in a runtime directory, and the module's own under R. */
#define AADCRED_HANDOVER_DIR "aadcred"
/** The hand-over file in AADCRED_HANDOVER_DIR. */
#define AADCRED_HANDOVER_FILE "handover.json"
/** Under R, the directory holding systemd-logind's per-user runtime directories. */
#define AADCRED_HANDOVER_LOGIND_DIR "user"
/** The largest hand-over written or read, in bytes (256 KiB: many token entries). */
#define AADCRED_HANDOVER_MAX_BYTES (256u * 1024u)
/** The hand-over file's mode: read and write for the user only. */
#define AADCRED_HANDOVER_FILE_MODE 0600
/** The mode of the user's directory holding the hand-over. */
#define AADCRED_HANDOVER_DIR_MODE 0700
/** Mode bits the reader refuses on the file: any for group or others. */
#define AADCRED_HANDOVER_FORBIDDEN_BITS 077

#endif
