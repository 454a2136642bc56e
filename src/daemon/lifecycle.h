/* The daemon's life with the system around it: dropping privileges after
 * start-up (sys/priv) and telling systemd how it is doing (sys/sdnotify:
 * READY, RELOADING, STOPPING, STATUS, the watchdog). */
#ifndef ANYCASTD_DAEMON_LIFECYCLE_H
#define ANYCASTD_DAEMON_LIFECYCLE_H

#include "conf/conf.h"
#include "daemon/daemon.h"

/* The capabilities c needs after start-up. */
struct daemon_caps lifecycle_needs_of(const struct conf *c);

/* Switches to c->user (when started as root and it is set) and keeps only
 * what c needs; hands the control sockets to that user first, so that a
 * reload can change their mode and the exit can remove them.  Call once,
 * after the listeners and control sockets are open and before the event
 * loop runs a check.  Returns 0 (logged), or -1 after logging why (the
 * caller exits with a runtime failure). */
int lifecycle_drop(struct daemon *d);

/* A reload that needs a capability dropped at start-up: a warning that
 * names it (the rest of the reload applies; that part fails visibly). */
void lifecycle_reload_check(const struct daemon *d, const struct conf *nc);

/* systemd: READY=1 with a status line, and the watchdog pings (every half
 * of WatchdogSec) from the event loop, so a hung loop gets the daemon
 * killed and its sessions closed by the kernel. */
void lifecycle_ready(struct daemon *d);
void lifecycle_reloading(void);
void lifecycle_stopping(const char *why);
/* Frees the watchdog timer; NULL-safe on what it holds. */
void lifecycle_clear(struct daemon *d);

#endif
