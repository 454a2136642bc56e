/* The control socket: a Unix stream socket speaking src/ctl's protocol to
 * anycastctl.  Requests are answered from the daemon's state by
 * control_cmd.c; a bad request gets an error answer and changes nothing. */
#ifndef ANYCASTD_DAEMON_CONTROL_H
#define ANYCASTD_DAEMON_CONTROL_H

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>

#include "daemon/daemon.h"

#define CONTROL_MAX_CLIENTS 32
#define CONTROL_IDLE_TIMEOUT_S 30

/* Creates the socket at path (its directory too, when missing: mode 0750,
 * group as the socket's, so that only the group can reach it), with the
 * permission bits mode and group (NULL/"" keeps ours).  A stale socket is
 * replaced; a live one (another daemon) is not.  Returns NULL with the
 * reason in why. */
struct control *control_open(struct daemon *d, const char *path, unsigned mode, const char *group, char *why,
			     size_t cap);
/* A read-only socket: mode 0666, answers only requests that change
 * nothing (others get the error code "read-only"); its directory, when
 * created, is 0755. */
struct control *control_open_readonly(struct daemon *d, const char *path, char *why, size_t cap);
/* True when c listens at path. */
bool control_same_path(const struct control *c, const char *path);
/* Applies new permission bits and group to the open socket.  Returns 0,
 * or -1 with the reason in why (the socket keeps its old access). */
int control_set_access(struct control *c, unsigned mode, const char *group, char *why, size_t cap);

/* Hands the socket (and the directory we created for it) to uid, keeping
 * its group: before a privilege drop, so that the daemon can still change
 * its mode on reload and remove it at exit.  NULL-safe; failures logged. */
void control_chown(struct control *c, uid_t uid);

/* Closes every connection and the socket, and removes it; NULL-safe. */
void control_close(struct control *c);

/* Answers one request line (control_cmd.c): a malloc'd response line, or
 * NULL when out of memory. */
char *control_handle(struct daemon *d, const char *line, size_t len, bool readonly);

#endif
