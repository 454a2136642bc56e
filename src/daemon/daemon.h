/* The running agent: configuration, event loop, peers, listeners.  Glue:
 * this is where sockets, timers and signals meet the pure modules. */
#ifndef ANYCASTD_DAEMON_DAEMON_H
#define ANYCASTD_DAEMON_DAEMON_H

#include <event2/event.h>

#include "conf/conf.h"
#include "lib/monotime.h"
#include "rib/ribout.h"

struct peer;

struct daemon {
	struct event_base *base;
	const char *conf_path;
	struct conf *conf; /* owned; replaced on reload */
	struct peer **peers;
	size_t n_peers;
	/* Desired routes, shared by every peer (attribute set 0 for now). */
	struct ribout_route *routes;
	size_t n_routes;
	int lfd[2]; /* listening sockets, IPv4 and IPv6; -1 if none */
	struct event *lev[2];
	struct event *sig_hup, *sig_term, *sig_int;
	struct event *exit_timer;
	bool stopping;
	int exit_code;
};

/* Reads the clock (CLOCK_MONOTONIC). */
monotime_t daemon_now(void);

/* Rebuilds d->routes from the services of d->conf.  Returns 0 or -1. */
int daemon_routes_build(struct daemon *d);

/* Called by peers when their connection closed during shutdown. */
void daemon_peer_closed(struct daemon *d);

#endif
