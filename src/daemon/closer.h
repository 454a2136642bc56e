/* Closing a BGP connection without losing the last NOTIFICATION.
 *
 * close() on a socket with unread input makes the kernel send a RST, and a
 * RST makes the peer's kernel drop whatever it had not yet handed to the
 * router, often our Cease with its shutdown text.  So a closed session's
 * socket is handed over here: writing is shut down (FIN after the queued
 * bytes), input is read and discarded until the peer closes too or
 * CLOSER_WAIT passes, then the socket is closed. */
#ifndef ANYCASTD_DAEMON_CLOSER_H
#define ANYCASTD_DAEMON_CLOSER_H

#include <event2/event.h>
#include <stdbool.h>

#include "lib/monotime.h"

#define CLOSER_WAIT MONOTIME_MS(2000)

/* Takes fd (connected, non-blocking).  Never fails: if no event can be
 * made the socket is closed at once. */
void closer_add(struct event_base *base, int fd);
/* Sockets still lingering (the daemon waits for them before exiting). */
size_t closer_pending(void);
/* Called when closer_pending() drops to zero; NULL for none. */
void closer_on_idle(void (*cb)(void *arg), void *arg);
/* Closes every lingering socket now (exit). */
void closer_flush(void);

#endif
