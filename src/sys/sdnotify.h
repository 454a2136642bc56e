/* systemd service notification (sd_notify(3), libsystemd): readiness,
 * reloading, stopping, status text and the watchdog of a Type=notify
 * unit.  Every call is a no-op when NOTIFY_SOCKET is unset (not started
 * by systemd, or a unit of another type), so the daemon calls them
 * unconditionally.  Notification errors are ignored: they never stop the
 * daemon (systemd times out on a missing READY=1 by itself).
 *
 * With Type=notify the unit's default NotifyAccess=main ignores messages
 * from exec checks' children, which inherit NOTIFY_SOCKET. */
#ifndef ANYCASTD_SYS_SDNOTIFY_H
#define ANYCASTD_SYS_SDNOTIFY_H

#include <stdint.h>

/* "READY=1": start-up done (config loaded, sockets open, privileges
 * dropped); also sent after a reload, successful or not. */
void sdnotify_ready(void);
/* "RELOADING=1" (with MONOTONIC_USEC): a reload has started; follow it
 * with sdnotify_ready() when the reload is over, whatever its outcome. */
void sdnotify_reloading(void);
/* "STOPPING=1": shutdown has started (SIGTERM drain or SIGINT). */
void sdnotify_stopping(void);
/* "STATUS=...": one line for `systemctl status`; newlines become spaces,
 * at most 255 bytes. */
void sdnotify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The watchdog interval systemd expects pings within, in microseconds
 * (WATCHDOG_USEC, when WATCHDOG_PID is unset or ours); 0 when there is no
 * watchdog.  Ping at half of it. */
uint64_t sdnotify_watchdog_usec(void);
/* "WATCHDOG=1": the event loop is alive. */
void sdnotify_watchdog(void);

#endif
