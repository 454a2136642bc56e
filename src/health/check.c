#include "health/check.h"

#include <string.h>

#include "lib/rand.h"

/* d, shortened by up to jitter_pct percent: never longer, so jitter cannot
 * delay a withdrawal past fall x interval + timeout. */
static monotime_t jittered(struct check_state *c, monotime_t d)
{
	if (!c->p.jitter_pct || d <= 0)
		return d;
	monotime_t span = d / 100 * (monotime_t)c->p.jitter_pct;
	if (span <= 0)
		return d;
	return d - (monotime_t)(rand_next(&c->rng) % (uint64_t)(span + 1));
}

/* Runs keep a fixed cadence from their scheduled starts, so that a run
 * that ends in a timeout does not push the next one back. */
static void schedule(struct check_state *c, monotime_t delay, monotime_t now)
{
	monotime_t base = c->next_run && c->next_run <= now ? c->next_run : now;
	c->next_run = base + jittered(c, delay);
	if (c->next_run < now)
		c->next_run = now;
}

monotime_t check_max_age(const struct check_params *p)
{
	if (p->max_age > 0)
		return p->max_age;
	return (monotime_t)p->fall * p->interval + p->timeout + p->interval;
}

void check_init(struct check_state *c, const struct check_params *p, monotime_t now, uint64_t seed)
{
	memset(c, 0, sizeof *c);
	c->p = *p;
	if (c->p.rise < 1)
		c->p.rise = 1;
	if (c->p.fall < 1)
		c->p.fall = 1;
	if (c->p.fast_interval <= 0 || c->p.fast_interval > c->p.interval)
		c->p.fast_interval = c->p.interval;
	c->rng = seed ? seed : 0x2545f4914f6cdd1dull;
	c->since = now;
	c->next_run = now + (monotime_t)(rand_next(&c->rng) % (uint64_t)(c->p.interval > 0 ? c->p.interval : 1));
}

void check_reset(struct check_state *c, monotime_t now)
{
	c->status = CHECK_UNKNOWN;
	c->ok_run = c->fail_run = 0;
	c->stale = false;
	c->last_result = 0;
	c->since = now;
	c->next_run = now + c->p.fast_interval;
}

static void set_status(struct check_state *c, enum check_status s, monotime_t now)
{
	c->status = s;
	c->since = now;
}

bool check_result(struct check_state *c, bool ok, monotime_t now)
{
	enum check_status before = c->status;
	c->last_result = now;
	c->stale = false;
	if (ok) {
		c->passes++;
		c->ok_run++;
		c->fail_run = 0;
		if (c->status != CHECK_UP && c->ok_run >= c->p.rise)
			set_status(c, CHECK_UP, now);
	} else {
		c->failures++;
		c->fail_run++;
		c->ok_run = 0;
		/* From unknown, one failure is enough to say "not up": nothing is
		 * announced then anyway, and the operator sees why. */
		if (c->status == CHECK_UNKNOWN || (c->status == CHECK_UP && c->fail_run >= c->p.fall))
			set_status(c, CHECK_DOWN, now);
	}
	/* Faster while the status is in question: rising or falling. */
	bool falling = c->status == CHECK_UP && c->fail_run > 0;
	bool rising = c->status != CHECK_UP && c->ok_run > 0;
	if (rising) {
		/* Spaced from this result, not from the scheduled start: a run
		 * that waited for a service still starting up would otherwise be
		 * followed at once by a catch-up run, and one slow answer would
		 * count as two passes of rise. */
		c->next_run = now + jittered(c, c->p.fast_interval);
	} else {
		schedule(c, falling ? c->p.fast_interval : c->p.interval, now);
	}
	return c->status != before;
}

bool check_hard_fail(struct check_state *c, monotime_t now)
{
	enum check_status before = c->status;
	c->last_result = now;
	c->failures++;
	c->ok_run = 0;
	c->fail_run = c->p.fall > c->fail_run + 1 ? c->p.fall : c->fail_run + 1;
	set_status(c, CHECK_DOWN, now);
	schedule(c, c->p.interval, now);
	return before != CHECK_DOWN;
}

bool check_tick(struct check_state *c, monotime_t now)
{
	/* Measured from the last result, or from the start for a check that
	 * never reported. */
	monotime_t ref = c->last_result ? c->last_result : c->since;
	if (c->status != CHECK_UP || now - ref < check_max_age(&c->p))
		return false;
	c->stale = true;
	c->ok_run = 0;
	set_status(c, CHECK_DOWN, now);
	return true;
}

monotime_t check_next_deadline(const struct check_state *c)
{
	monotime_t d = c->next_run;
	if (c->status == CHECK_UP) {
		monotime_t stale = (c->last_result ? c->last_result : c->since) + check_max_age(&c->p);
		if (stale < d)
			d = stale;
	}
	return d;
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = {"unknown", "up", "down"};
	return (unsigned)s < 3 ? names[s] : "?";
}
