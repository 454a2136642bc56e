/* Services at run time: their checks (timers and probes), their state
 * machines, maintenance files, service addresses, the recent-events ring,
 * and the routes they want announced.  Glue around health/ and service/. */
#ifndef ANYCASTD_DAEMON_SERVICES_H
#define ANYCASTD_DAEMON_SERVICES_H

#include "daemon/daemon.h"
#include "service/service.h"

struct services;

/* Index of a service's attribute set for an announcement state in the
 * per-peer attribute tables. */
static inline uint32_t services_attr_index(size_t svc, enum service_announce a)
{
	return (uint32_t)(svc * 3 + (a == ANNOUNCE_DEGRADED ? 1 : a == ANNOUNCE_DRAINING ? 2 : 0));
}

/* changed() is called whenever the desired routes changed. */
struct services *services_new(struct daemon *d, void (*changed)(struct daemon *d));
void services_free(struct services *s);

/* Takes the services of d->conf (after start or a reload): new services
 * start from `starting`; services whose checks or settings changed restart
 * their checks; unchanged ones keep their state.  Returns 0 or -1. */
int services_apply(struct services *s, const struct conf_diff *diff);

/* A service transition, kept in a ring of the most recent ones for the
 * control socket (`anycastctl events`). */
#define SERVICES_EVENTS_MAX 256
struct svc_event {
	int64_t wall_ms;  /* CLOCK_REALTIME, for people */
	monotime_t at;
	char service[64];
	enum service_state from, to;
	enum service_announce announce;
	char cause[96];
};

/* The i-th most recent event (0 = newest), or NULL past the end. */
const struct svc_event *services_event(const struct services *s, size_t i);

/* Drain every service (SIGTERM) or undo it. */
void services_drain_all(struct services *s, bool on);
/* True when no service is announcing with anything but ANNOUNCE_NONE. */
bool services_all_withdrawn(const struct services *s);

/* The routes wanted now: every prefix of every announced service, with
 * its attribute index.  The array stays valid until the next change. */
const struct ribout_route *services_routes(const struct services *s, size_t *n);
size_t services_count(const struct services *s);
/* Fills table[3 * services_count()] for a peer (next hop, AS path,
 * communities incl. GRACEFUL_SHUTDOWN when draining, ...). */
void services_peer_attrs(const struct services *s, const struct conf_peer *peer, uint32_t local_as,
			 const struct addr *local_addr, struct bgp_route_attrs *table);

#endif
