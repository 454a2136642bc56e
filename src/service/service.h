/* Service state: what to announce for one service, from the status of its
 * checks, administrative requests (drain, disable), the drain timer and
 * damping.  Pure: inputs and `now` in, state and announcement out.
 *
 *   starting    withdrawn until the checks first pass `rise` times
 *   up          announced with the `up` attributes
 *   degraded    failing, on-failure: degrade: announced with `degraded` attributes
 *   down        withdrawn (failure, or results too old)
 *   draining    announced with GRACEFUL_SHUTDOWN + `draining` attributes for
 *               drain-time, then withdrawn
 *   disabled    withdrawn by the operator (after a drain)
 *   suppressed  healthy, but kept withdrawn by damping
 *   fail-static announced as before although checks fail, because only
 *               checks marked `dependency` fail (a shared dependency, not
 *               the local service: RFC 4786 node autonomy, the Facebook
 *               2021 outage); for at most fail-static-time, then down
 */
#ifndef ANYCASTD_SERVICE_SERVICE_H
#define ANYCASTD_SERVICE_SERVICE_H

#include <stdbool.h>

#include "lib/monotime.h"
#include "service/damp.h"

enum service_state {
	SVC_STARTING = 0,
	SVC_UP,
	SVC_DEGRADED,
	SVC_DOWN,
	SVC_DRAINING,
	SVC_DISABLED,
	SVC_SUPPRESSED,
	SVC_FAIL_STATIC,
	SVC_STATE_COUNT
};

enum service_announce {
	ANNOUNCE_NONE = 0, /* withdrawn */
	ANNOUNCE_UP,
	ANNOUNCE_DEGRADED,
	ANNOUNCE_DRAINING,
};

struct service_params {
	unsigned require;         /* checks that must be up: 0 = all */
	bool degrade;             /* on-failure: degrade instead of withdraw */
	monotime_t drain_time;    /* announce-while-draining period */
	monotime_t fail_static_time; /* longest fail-static; 0: withdraw at once */
	struct damp_params damp;
};

/* What the service is judged on, gathered by the caller. */
struct service_input {
	unsigned n_checks;
	unsigned n_up;
	unsigned n_unknown; /* not yet decided since start or reset */
	unsigned n_dep_down; /* down checks marked `dependency` (among n_checks - n_up) */
	bool stale;         /* a check has no result younger than its limit */
	bool address_ok;    /* the service address is configured (or not required) */
	bool drain;         /* maintenance file, anycastctl drain, SIGTERM */
	bool disable;       /* anycastctl disable */
};

struct service {
	struct service_params p;
	enum service_state state;
	enum service_announce announce;
	monotime_t since;       /* of the current state */
	monotime_t drain_until; /* while draining with routes still announced */
	monotime_t fail_static_until; /* while fail-static */
	bool reset_checks;      /* set once when coming back from drain/disable:
				 * the caller resets the checks (rise again) */
	struct damp_state damp;
	const char *cause;      /* of the last transition, for logs and events */
	unsigned long transitions;
};

void service_init(struct service *s, const struct service_params *p, monotime_t now);

/* Its checks were replaced (reload): back to `starting`, withdrawn until
 * the new checks pass `rise` times; planned, so no damping penalty. */
void service_restart(struct service *s, monotime_t now, const char *cause);

/* Re-evaluates the service.  Returns true when state or announcement
 * changed (s->cause says why). */
bool service_update(struct service *s, const struct service_input *in, monotime_t now);

/* When service_update must run again even if no input changes (end of the
 * drain period, of damping, of fail-static), or 0. */
monotime_t service_next_deadline(const struct service *s, monotime_t now);

const char *service_state_name(enum service_state st);
const char *service_announce_name(enum service_announce a);

#endif
