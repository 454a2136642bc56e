/* Services at run time: their checks (timers and probes), their state
 * machines, maintenance files, service addresses, the recent-events ring,
 * and the routes they want announced.  Glue around health/ and service/. */
#ifndef ANYCASTD_DAEMON_SERVICES_H
#define ANYCASTD_DAEMON_SERVICES_H

#include "daemon/daemon.h"
#include "health/check.h"
#include "health/probe.h"
#include "metrics/metrics.h"
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

/* What anycastctl and /metrics show of a service and its checks.
 * Pointers are borrowed, valid until the services next change. */
struct service_info {
	const struct conf_service *cfg;
	const struct service *svc; /* state, announce, since, cause, damp */
	double penalty;            /* damping penalty now */
	bool maintenance;          /* maintenance file present */
	bool admin_drain, admin_disable; /* anycastctl drain / disable */
	bool drain_all;            /* SIGTERM */
	bool address_ok;
};
struct check_info {
	const struct probe_spec *spec;
	const struct check_state *st;
	const struct probe_result *last; /* valid when runs > 0 */
	monotime_t last_at;              /* when the last result came */
	bool running;
	uint64_t runs;
	const struct metrics_histogram *durations;
};
/* Index of the service called name, or -1. */
int services_find(const struct services *s, const char *name);
void services_info(const struct services *s, size_t i, struct service_info *out);
void services_check_info(const struct services *s, size_t i, size_t j, struct check_info *out);

/* anycastctl: drain/undrain/disable/enable service i (applied at once);
 * run its checks now. */
enum services_admin { SERVICES_DRAIN, SERVICES_UNDRAIN, SERVICES_DISABLE, SERVICES_ENABLE };
void services_admin(struct services *s, size_t i, enum services_admin what);
void services_check_now(struct services *s, size_t i);

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
