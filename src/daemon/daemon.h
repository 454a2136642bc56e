/* The running agent: configuration, event loop, peers, listeners.  Glue:
 * this is where sockets, timers and signals meet the pure modules. */
#ifndef ANYCASTD_DAEMON_DAEMON_H
#define ANYCASTD_DAEMON_DAEMON_H

#include <event2/event.h>

#include "conf/conf.h"
#include "lib/monotime.h"
#include "rib/ribout.h"

struct peer;
struct control;
struct metrics_http;

/* Capabilities a configuration needs after start-up (daemon/lifecycle.c). */
struct daemon_caps {
	bool net_admin;     /* a service with address {manage: true} */
	bool net_bind;      /* a passive peer (listeners on port 179) */
	bool setuid_checks; /* an exec check with user: */
};

struct daemon {
	struct event_base *base;
	const char *conf_path;
	struct conf *conf; /* owned; replaced on reload */
	struct peer **peers;
	size_t n_peers;
	struct services *services;
	int lfd[2]; /* listening sockets, IPv4 and IPv6; -1 if none */
	struct event *lev[2];
	struct event *sig_hup, *sig_usr1, *sig_term, *sig_int;
	struct event *exit_timer;
	struct event *drain_timer; /* SIGTERM: waiting for the drains to end */
	monotime_t drain_deadline;
	bool draining;
	bool stopping;
	int exit_code;
	bool debug;           /* -d: debug logging whatever the config says */
	monotime_t started;
	struct control *ctl;  /* the control socket; NULL if it could not open */
	struct control *ctl_ro; /* control-socket-readonly; NULL if none */
	struct metrics_http *metrics; /* NULL without metrics-listen */
	struct event *watchdog;       /* systemd watchdog pings; NULL without */
	/* What the privilege drop kept (lifecycle.c); all true when nothing
	 * was dropped. */
	struct daemon_caps caps_kept;
};

/* Reads the clock (CLOCK_MONOTONIC). */
monotime_t daemon_now(void);
/* Arms a timer event for the monotonic time `when` (now if past). */
void daemon_ev_at(struct event *e, monotime_t when);
/* event_free that takes NULL (libevent 2.1's does not) and clears *e. */
void daemon_ev_free(struct event **e);

/* Rereads the configuration file and applies it (SIGHUP, SIGUSR1 with
 * force, anycastctl reload).  Returns 0 with a summary in why, or -1 with
 * the reason (the running configuration is kept). */
int daemon_reload(struct daemon *d, bool force, char *why, size_t cap);

/* (Re)open the control socket and the metrics listener from d->conf,
 * keeping the old ones if the new ones cannot be opened. */
void daemon_control_reopen(struct daemon *d);
void daemon_metrics_reopen(struct daemon *d);

/* Called by peers when their connection closed during shutdown. */
void daemon_peer_closed(struct daemon *d);

#endif
