/*
 * <aadcred/notification.h>: the device code in a desktop notification, for a program
 * whose person has no terminal to read it on (git run by an IDE, a desktop app).
 * Programs include <aadcred/aadcred.h>, which includes every module header; this one
 * also compiles alone. Conventions: see aadcred.h.
 *
 * The notification goes to org.freedesktop.Notifications on the session bus (Desktop
 * Notifications Specification) over a private D-Bus connection. It shows the user code
 * and the verification URL, never the device code, and carries an action that opens the
 * page in the browser (verification_uri_complete when the authority sent one, else the
 * verification URL; $BROWSER, then xdg-open). A thread of the library waits for that
 * action until aadcred_notification_close. Show it from the prompt callback's
 * AADCRED_PROMPT_SHOW and close it on AADCRED_PROMPT_DONE; it adds to the code written on
 * a terminal or stderr, it does not replace it.
 */
#ifndef AADCRED_NOTIFICATION_H
#define AADCRED_NOTIFICATION_H

#include <aadcred/common.h>
#include <aadcred/user_code.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A desktop notification shown by aadcred_notification_show. */
typedef struct aadcred_notification aadcred_notification;

/**
 * Shows `code` in a desktop notification and listens, on a thread of its own, for its
 * action (open the sign-in page). Never starts a session bus, and shows nothing in a
 * setuid or otherwise privileged process.
 * @param out receives the notification, to release with aadcred_notification_free;
 *        NULL unless 0 is returned
 * @param code the user code info (the prompt callback's)
 * @param app_name who asks, as the notification names it (e.g. "git"), or NULL for
 *        "aadcred"
 * @return 0 when it is shown; AADCRED_ENOTFOUND, having shown nothing, when there is no
 *         session bus or no notification service on it (the code must still reach the
 *         person some other way); AADCRED_EINVALID when out or code is NULL
 */
AADCRED_EXTERN int aadcred_notification_show(aadcred_notification **out,
                                             const aadcred_user_code *code, const char *app_name);

/**
 * Withdraws the notification (the sign-in ended) and stops listening for its action;
 * waits for a browser the action is starting. A second call does nothing.
 * @param notification the notification, or NULL (nothing happens)
 * @return 0
 */
AADCRED_EXTERN int aadcred_notification_close(aadcred_notification *notification);

/**
 * Closes the notification if it is still open, and frees it.
 * @param notification the notification, or NULL (nothing happens)
 */
AADCRED_EXTERN void aadcred_notification_free(aadcred_notification *notification);

#ifdef __cplusplus
}
#endif

#endif /* AADCRED_NOTIFICATION_H */
