/* Announcer-side damping of re-announcements (RFC 2439 arithmetic): every
 * withdrawal caused by a failure adds a penalty that decays exponentially
 * with a half-life; while the penalty is above the suppress threshold a
 * recovered service stays withdrawn until it decays below the reuse
 * threshold.  Withdrawals are never delayed.  Pure. */
#ifndef ANYCASTD_SERVICE_DAMP_H
#define ANYCASTD_SERVICE_DAMP_H

#include <stdbool.h>

#include "lib/monotime.h"

struct damp_params {
	bool enabled;
	double penalty;          /* added per failure withdrawal (1000) */
	double suppress;         /* suppress re-announcement at or above (1500) */
	double reuse;            /* announce again below (750) */
	monotime_t half_life;    /* (15 min) */
	monotime_t max_suppress; /* longest suppression (60 min): caps the penalty */
};

/* The defaults documented in docs/configuration.md. */
void damp_params_default(struct damp_params *p);

struct damp_state {
	double penalty;     /* as of `at` */
	monotime_t at;
	bool suppressed;
};

/* The penalty at `now` (decayed). */
double damp_penalty(const struct damp_state *s, const struct damp_params *p, monotime_t now);
/* A failure withdrew the routes: add the penalty (capped so that
 * suppression never outlasts max_suppress). */
void damp_withdrawn(struct damp_state *s, const struct damp_params *p, monotime_t now);
/* May the routes be announced again now?  Updates `suppressed`. */
bool damp_may_announce(struct damp_state *s, const struct damp_params *p, monotime_t now);
/* When a suppressed state will allow announcing (penalty reaches reuse);
 * 0 if not suppressed. */
monotime_t damp_reuse_at(const struct damp_state *s, const struct damp_params *p, monotime_t now);

#endif
