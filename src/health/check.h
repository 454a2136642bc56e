/* The state of one health check: rise/fall hysteresis, scheduling with a
 * faster interval while the state is in question, start-up splay, jitter,
 * and a freshness limit.  Pure: results and `now` come in, the next run
 * time and status changes come out.  Probes (I/O) live elsewhere. */
#ifndef ANYCASTD_HEALTH_CHECK_H
#define ANYCASTD_HEALTH_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/monotime.h"

struct check_params {
	unsigned rise;            /* consecutive passes to become up (>= 1) */
	unsigned fall;            /* consecutive failures to become down (>= 1) */
	monotime_t interval;      /* between runs when settled */
	monotime_t fast_interval; /* between runs while rising or falling */
	monotime_t timeout;       /* a run taking longer fails */
	monotime_t max_age;       /* no result for this long counts as down; 0: derived */
	unsigned jitter_pct;      /* each delay varies by up to this many percent */
};

enum check_status {
	CHECK_UNKNOWN = 0, /* not yet `rise` passes since start or reset */
	CHECK_UP,
	CHECK_DOWN,
};

struct check_state {
	struct check_params p;
	enum check_status status;
	unsigned ok_run, fail_run; /* current consecutive results */
	bool stale;                /* went down because no result came in time */
	monotime_t last_result;    /* 0: none yet */
	monotime_t next_run;
	monotime_t since;          /* when status last changed */
	uint64_t rng;
	uint64_t passes, failures; /* counters */
};

/* Starts a check at `now`: the first run comes after a random splay within
 * one interval, so that checks started together do not run together. */
void check_init(struct check_state *c, const struct check_params *p, monotime_t now, uint64_t seed);

/* Forgets the results (status back to unknown, `rise` passes needed again)
 * and runs soon (after fast_interval). */
void check_reset(struct check_state *c, monotime_t now);

/* Records a result (a run that timed out is a failure).  Returns true when
 * the status changed.  Schedules the next run. */
bool check_result(struct check_state *c, bool ok, monotime_t now);

/* A failure that must not wait for `fall` (the watched process exited):
 * down at once.  Returns true when the status changed. */
bool check_hard_fail(struct check_state *c, monotime_t now);

/* Applies the freshness limit: an up check whose last result is older than
 * max_age goes down (stale).  Returns true when the status changed. */
bool check_tick(struct check_state *c, monotime_t now);

/* The freshness limit in force: max_age, or by default
 * fall x interval + timeout plus one interval of slack. */
monotime_t check_max_age(const struct check_params *p);

/* The next time the check needs attention: its run or its freshness limit. */
monotime_t check_next_deadline(const struct check_state *c);

const char *check_status_name(enum check_status s);

#endif
