/* One BGP neighbour: the FSM, its TCP connection, buffers, timers and its
 * Adj-RIB-Out.  Events from libevent become FSM events; FSM actions become
 * socket operations. */
#ifndef ANYCASTD_DAEMON_PEER_H
#define ANYCASTD_DAEMON_PEER_H

#include "daemon/daemon.h"

/* Creates a stopped peer for cfg (copied).  NULL on failure. */
struct peer *peer_new(struct daemon *d, const struct conf_peer *cfg);
/* Closes everything (no NOTIFICATION) and frees; NULL is a no-op. */
void peer_free(struct peer *p);

void peer_start(struct peer *p);
/* Administrative stop: withdraw nothing, send Cease with subcode and the
 * shutdown communication text (NULL for none), close. */
void peer_stop(struct peer *p, uint8_t cease_subcode, const char *text);
/* Graceful shutdown: withdraw every route, then Cease/Administrative
 * Shutdown with text, then close once the output is flushed. */
void peer_shutdown(struct peer *p, const char *text);

/* The desired routes changed (d->routes). */
void peer_routes_changed(struct peer *p);

/* An accepted connection from this peer's address.  Takes fd. */
void peer_incoming(struct peer *p, int fd);

/* What anycastctl and /metrics show of a session.  Strings are borrowed
 * from the peer and valid until it next runs. */
struct peer_info {
	const struct conf_peer *cfg;
	const char *state;       /* bgp_state_name() */
	bool established;
	monotime_t state_since;  /* when the FSM entered its state */
	monotime_t established_at; /* valid while established */
	uint16_t hold_time;      /* negotiated; 0 before OPEN */
	const char *families;    /* "ipv4,ipv6", "" before OPEN */
	const char *last_error;  /* why it last went down, "" if never */
	unsigned long established_count; /* sessions since start */
	uint64_t msgs_in[6], msgs_out[6]; /* by BGP message type 1..5 */
	uint64_t update_problems;         /* received UPDATEs with errors */
	size_t prefixes_sent;    /* announced on this session now */
	size_t prefixes_desired;
};
void peer_info(const struct peer *p, struct peer_info *out);

const struct conf_peer *peer_conf(const struct peer *p);
/* True when the session is Established and some route is announced. */
bool peer_announcing(const struct peer *p);
/* True when the connection is closed (or never opened). */
bool peer_closed(const struct peer *p);

#endif
