/* health/check, service/damp, service/service on virtual time. */
#include <math.h>
#include <string.h>

#include "health/check.h"
#include "service/service.h"
#include "testutil.h"

#define MS(x) MONOTIME_MS(x)
#define S(x) MONOTIME_S(x)

static const struct check_params params = {
	.rise = 3, .fall = 2, .interval = MS(100), .fast_interval = MS(50), .timeout = MS(80),
};

static void check_rise_and_fall(void **state)
{
	(void)state;
	struct check_state c;
	check_init(&c, &params, S(10), 1);
	/* Start-up splay: the first run within one interval. */
	assert_true(c.next_run >= S(10) && c.next_run < S(10) + MS(100));
	assert_int_equal(c.status, CHECK_UNKNOWN);
	monotime_t t = c.next_run;
	assert_false(check_result(&c, true, t));
	/* Rising: the fast interval after each pass. */
	assert_int_equal(c.next_run, t + MS(50));
	assert_false(check_result(&c, true, t + MS(50)));
	assert_true(check_result(&c, true, t + MS(100)));
	assert_int_equal(c.status, CHECK_UP);
	assert_int_equal(c.next_run, t + MS(200)); /* settled: normal interval */
	/* One failure: still up, checked faster. */
	assert_false(check_result(&c, false, t + MS(280)));
	assert_int_equal(c.status, CHECK_UP);
	assert_int_equal(c.next_run, t + MS(280)); /* behind schedule: run now */
	/* A pass in between resets the failure run. */
	assert_false(check_result(&c, true, t + MS(300)));
	assert_false(check_result(&c, false, t + MS(400)));
	assert_true(check_result(&c, false, t + MS(450)));
	assert_int_equal(c.status, CHECK_DOWN);
	assert_int_equal(c.passes, 4);
	assert_int_equal(c.failures, 3);
	assert_string_equal(check_status_name(CHECK_DOWN), "down");
	assert_string_equal(check_status_name((enum check_status)7), "?");
}

/* A service that is starting up holds a run's query and answers it late
 * (NSD binds its sockets before it serves): that slow pass is followed by
 * a full fast interval, not by a catch-up run at once, so it counts as one
 * pass of rise, not two. */
static void check_rise_spaced_after_slow_pass(void **state)
{
	(void)state;
	struct check_state c;
	check_init(&c, &params, 0, 3);
	check_result(&c, false, c.next_run); /* down */
	monotime_t start = c.next_run;
	check_result(&c, true, start + MS(78)); /* answered just inside the timeout */
	assert_int_equal(c.next_run, start + MS(78) + MS(50));
	monotime_t first = start + MS(78);
	check_result(&c, true, c.next_run);
	assert_true(check_result(&c, true, c.next_run));
	assert_int_equal(c.status, CHECK_UP);
	assert_true(c.since - first >= 2 * params.fast_interval);
}

/* The bound: a failing service is down within fall x interval +
 * timeout, whatever the phase of the failure, even if every run times out. */
static void check_withdrawal_bound(void **state)
{
	(void)state;
	for (monotime_t phase = 0; phase < MS(100); phase += MS(7)) {
		struct check_state c;
		check_init(&c, &params, 0, 99 + (uint64_t)phase);
		monotime_t t = c.next_run;
		for (int i = 0; i < 5; i++) { /* up and settled */
			check_result(&c, true, t);
			t = c.next_run;
		}
		assert_int_equal(c.status, CHECK_UP);
		monotime_t fail_at = t - MS(100) + phase; /* the service dies here */
		while (c.status == CHECK_UP) {
			monotime_t start = c.next_run;
			if (start < fail_at) {
				check_result(&c, true, start);
				continue;
			}
			check_result(&c, false, start + params.timeout); /* every run times out */
		}
		assert_true(c.since - fail_at <= 2 * params.interval + params.timeout);
	}
}

static void check_jitter_never_lengthens(void **state)
{
	(void)state;
	struct check_params p = params;
	p.jitter_pct = 20;
	struct check_state c;
	check_init(&c, &p, 0, 5);
	monotime_t t = c.next_run, min = S(1), max = 0;
	for (int i = 0; i < 3; i++) { /* rising: the fast interval */
		check_result(&c, true, t);
		t = c.next_run;
	}
	for (int i = 0; i < 200; i++) {
		check_result(&c, true, t);
		monotime_t d = c.next_run - t;
		min = d < min ? d : min;
		max = d > max ? d : max;
		t = c.next_run;
	}
	assert_true(max <= MS(100));
	assert_true(min >= MS(80));
	assert_true(min < max); /* it does vary */
}

static void check_freshness(void **state)
{
	(void)state;
	struct check_state c;
	check_init(&c, &params, 0, 1);
	for (int i = 0; i < 3; i++)
		check_result(&c, true, MS(10 * i));
	assert_int_equal(c.status, CHECK_UP);
	/* Default limit: fall x interval + timeout + interval = 380 ms. */
	assert_int_equal(check_max_age(&params), MS(380));
	assert_int_equal(check_next_deadline(&c), c.next_run);
	assert_false(check_tick(&c, MS(20) + MS(379)));
	/* The scheduler stalled: no result for the limit means down. */
	assert_true(check_tick(&c, MS(20) + MS(380)));
	assert_true(c.stale);
	assert_int_equal(c.status, CHECK_DOWN);
	assert_false(check_tick(&c, S(5)));
	/* A fresh result clears staleness, and rising starts over. */
	check_result(&c, true, S(5));
	assert_false(c.stale);
	assert_int_equal(c.status, CHECK_DOWN);
	struct check_params p = params;
	p.max_age = S(1);
	assert_int_equal(check_max_age(&p), S(1));
}

static void check_hard_fail_and_reset(void **state)
{
	(void)state;
	struct check_state c;
	check_init(&c, &params, 0, 1);
	for (int i = 0; i < 3; i++)
		check_result(&c, true, MS(10 * i));
	/* The watched process exited: down at once, no `fall` wait. */
	assert_true(check_hard_fail(&c, MS(30)));
	assert_int_equal(c.status, CHECK_DOWN);
	assert_false(check_hard_fail(&c, MS(31)));
	check_reset(&c, MS(40));
	assert_int_equal(c.status, CHECK_UNKNOWN);
	assert_int_equal(c.next_run, MS(90));
	/* From unknown a single failure decides "down". */
	assert_true(check_result(&c, false, MS(90)));
	/* rise/fall of 0 are taken as 1 */
	struct check_params z = params;
	z.rise = z.fall = 0;
	z.fast_interval = 0;
	check_init(&c, &z, 0, 1);
	assert_true(check_result(&c, true, 0));
	assert_int_equal(c.p.fast_interval, z.interval);
}

static void damp_arithmetic(void **state)
{
	(void)state;
	struct damp_params p;
	struct damp_state d = {0};
	damp_params_default(&p);
	damp_withdrawn(&d, &p, 0);
	assert_true(fabs(damp_penalty(&d, &p, 0) - 1000) < 1e-6);
	/* RFC 2439: half the penalty after one half-life. */
	assert_true(fabs(damp_penalty(&d, &p, p.half_life) - 500) < 1e-6);
	assert_true(damp_may_announce(&d, &p, MS(1))); /* 1000 < 1500 */
	damp_withdrawn(&d, &p, S(10));
	double v = damp_penalty(&d, &p, S(10));
	assert_true(v > 1990 && v < 2000); /* 1000 decayed for 10 s, plus 1000 */
	assert_false(damp_may_announce(&d, &p, S(20)));
	assert_true(d.suppressed);
	/* Reuse when the penalty decays below 750: h * log2(v / 750). */
	monotime_t at = damp_reuse_at(&d, &p, S(20));
	double expect = (double)p.half_life * log2(damp_penalty(&d, &p, S(20)) / 750);
	assert_true(fabs((double)(at - S(20)) - expect) < 2);
	assert_false(damp_may_announce(&d, &p, at - S(1)));
	assert_true(damp_may_announce(&d, &p, at));
	assert_int_equal(damp_reuse_at(&d, &p, at), 0);
	/* The ceiling keeps suppression within max_suppress. */
	struct damp_state e = {0};
	for (int i = 0; i < 100; i++)
		damp_withdrawn(&e, &p, 0);
	damp_may_announce(&e, &p, 0);
	assert_true(damp_reuse_at(&e, &p, 0) <= p.max_suppress + S(1));
	/* Disabled: never suppresses, never accumulates. */
	p.enabled = false;
	struct damp_state f = {0};
	damp_withdrawn(&f, &p, 0);
	assert_true(f.penalty == 0 && damp_may_announce(&f, &p, 0));
}

static struct service_params svc_params(void)
{
	struct service_params p = {.require = 0, .degrade = false, .drain_time = S(30)};
	damp_params_default(&p.damp);
	return p;
}

static struct service_input in_checks(unsigned n, unsigned up, unsigned unknown)
{
	return (struct service_input){.n_checks = n, .n_up = up, .n_unknown = unknown, .address_ok = true};
}

static void service_lifecycle(void **state)
{
	(void)state;
	struct service_params p = svc_params();
	struct service s;
	service_init(&s, &p, 0);
	struct service_input in = in_checks(2, 0, 2);
	assert_false(service_update(&s, &in, S(1)));
	assert_int_equal(s.state, SVC_STARTING);
	in = in_checks(2, 1, 1);
	assert_false(service_update(&s, &in, S(2)));
	in = in_checks(2, 2, 0);
	assert_true(service_update(&s, &in, S(3)));
	assert_int_equal(s.state, SVC_UP);
	assert_int_equal(s.announce, ANNOUNCE_UP);
	/* require: all (default) — one check down withdraws. */
	in = in_checks(2, 1, 0);
	assert_true(service_update(&s, &in, S(4)));
	assert_int_equal(s.state, SVC_DOWN);
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	assert_string_equal(s.cause, "checks failing");
	/* require: any */
	s.p.require = 1;
	assert_true(service_update(&s, &in, S(5)));
	assert_int_equal(s.state, SVC_UP);
	/* No checks: announced while the daemon runs. */
	struct service t;
	service_init(&t, &p, 0);
	in = in_checks(0, 0, 0);
	assert_true(service_update(&t, &in, 0));
	assert_int_equal(t.announce, ANNOUNCE_UP);
	/* Address missing: withdrawn whatever the checks say. */
	in.address_ok = false;
	assert_true(service_update(&t, &in, 1));
	assert_string_equal(t.cause, "service address not configured");
	/* Stale results: withdrawn. */
	in = in_checks(1, 1, 0);
	assert_true(service_update(&t, &in, 2));
	in.stale = true;
	assert_true(service_update(&t, &in, 3));
	assert_string_equal(t.cause, "no fresh check result");
	assert_string_equal(service_state_name(SVC_SUPPRESSED), "suppressed");
	assert_string_equal(service_announce_name(ANNOUNCE_DRAINING), "draining");
	assert_string_equal(service_state_name((enum service_state)99), "?");
}

/* Robustness #30: only dependency checks fail -> fail-static (still
 * announced, bounded); a local failure withdraws at once, even then. */
static void service_fail_static(void **state)
{
	(void)state;
	struct service_params p = svc_params();
	p.fail_static_time = MONOTIME_S(60);
	struct service s;
	service_init(&s, &p, 0);
	struct service_input in = in_checks(2, 2, 0);
	assert_true(service_update(&s, &in, 0));
	assert_int_equal(s.state, SVC_UP);
	/* The dependency check goes down: announced as before. */
	in = in_checks(2, 1, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, MONOTIME_S(1)));
	assert_int_equal(s.state, SVC_FAIL_STATIC);
	assert_int_equal(s.announce, ANNOUNCE_UP);
	assert_string_equal(service_state_name(s.state), "fail-static");
	assert_true(service_next_deadline(&s, MONOTIME_S(1)) == MONOTIME_S(61));
	assert_false(service_update(&s, &in, MONOTIME_S(30)));
	assert_int_equal(s.announce, ANNOUNCE_UP);
	/* Bounded: withdrawn when fail-static-time is over. */
	assert_true(service_update(&s, &in, MONOTIME_S(61)));
	assert_int_equal(s.state, SVC_DOWN);
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	assert_string_equal(s.cause, "fail-static time over: withdrawn");
	/* Dependency back: up again (through the checks' own rise). */
	in = in_checks(2, 2, 0);
	assert_true(service_update(&s, &in, MONOTIME_S(62)));
	assert_int_equal(s.state, SVC_UP);
	/* Dependency down, then the local check too: withdrawn at once. */
	in = in_checks(2, 1, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, MONOTIME_S(63)));
	assert_int_equal(s.state, SVC_FAIL_STATIC);
	in = in_checks(2, 0, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, MONOTIME_S(64)));
	assert_int_equal(s.state, SVC_DOWN);
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	/* Never before the first announcement: a service that starts with its
	 * dependency down stays withdrawn. */
	service_init(&s, &p, 0);
	in = in_checks(2, 1, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, 0));
	assert_int_equal(s.state, SVC_DOWN);
	/* fail-static-time 0: dependency failures withdraw like any other. */
	p.fail_static_time = 0;
	service_init(&s, &p, 0);
	in = in_checks(2, 2, 0);
	assert_true(service_update(&s, &in, 0));
	in = in_checks(2, 1, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, 1));
	assert_int_equal(s.state, SVC_DOWN);
	/* A drain while fail-static drains (the local instance still answers). */
	p.fail_static_time = MONOTIME_S(60);
	service_init(&s, &p, 0);
	in = in_checks(2, 2, 0);
	assert_true(service_update(&s, &in, 0));
	in = in_checks(2, 1, 0);
	in.n_dep_down = 1;
	assert_true(service_update(&s, &in, 1));
	in.drain = true;
	assert_true(service_update(&s, &in, 2));
	assert_int_equal(s.state, SVC_DRAINING);
	assert_int_equal(s.announce, ANNOUNCE_DRAINING);
}

static void service_degrade(void **state)
{
	(void)state;
	struct service_params p = svc_params();
	p.degrade = true;
	struct service s;
	service_init(&s, &p, 0);
	struct service_input in = in_checks(1, 1, 0);
	service_update(&s, &in, 0);
	in = in_checks(1, 0, 0);
	assert_true(service_update(&s, &in, 1));
	assert_int_equal(s.state, SVC_DEGRADED);
	assert_int_equal(s.announce, ANNOUNCE_DEGRADED);
	/* Stale evidence withdraws even in degrade mode. */
	in.stale = true;
	assert_true(service_update(&s, &in, 2));
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	/* Degrade only applies to announced services. */
	in.stale = false;
	assert_false(service_update(&s, &in, 3));
	assert_int_equal(s.state, SVC_DOWN);
}

static void service_drain_then_withdraw(void **state)
{
	(void)state;
	struct service_params p = svc_params();
	struct service s;
	service_init(&s, &p, 0);
	struct service_input in = in_checks(1, 1, 0);
	service_update(&s, &in, 0);
	in.drain = true;
	assert_true(service_update(&s, &in, S(10)));
	assert_int_equal(s.state, SVC_DRAINING);
	assert_int_equal(s.announce, ANNOUNCE_DRAINING); /* still announced, with 65535:0 */
	assert_int_equal(service_next_deadline(&s, S(10)), S(40));
	assert_false(service_update(&s, &in, S(39)));
	assert_true(service_update(&s, &in, S(40)));
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	assert_int_equal(s.state, SVC_DRAINING);
	assert_string_equal(s.cause, "drain time over: withdrawn");
	assert_int_equal(service_next_deadline(&s, S(40)), 0);
	/* Undrain goes back through rise; no damping penalty for planned work. */
	in.drain = false;
	in.n_up = 1;
	assert_true(service_update(&s, &in, S(50)));
	assert_int_equal(s.state, SVC_STARTING);
	assert_true(s.reset_checks);
	assert_true(s.damp.penalty == 0);
	/* Checks replaced by a reload: starting again, no penalty. */
	in.n_up = 1;
	service_update(&s, &in, S(60));
	service_update(&s, &in, S(61));
	service_restart(&s, S(62), "checks changed");
	assert_int_equal(s.state, SVC_STARTING);
	assert_int_equal(s.announce, ANNOUNCE_NONE);
	assert_true(s.damp.penalty == 0);
	/* A failure during a drain withdraws at once: drain-time never delays
	 * a withdrawal. */
	struct service u;
	service_init(&u, &p, 0);
	in = in_checks(1, 1, 0);
	service_update(&u, &in, 0);
	in.drain = true;
	service_update(&u, &in, S(1));
	assert_int_equal(u.announce, ANNOUNCE_DRAINING);
	in.n_up = 0;
	assert_true(service_update(&u, &in, S(2)));
	assert_int_equal(u.announce, ANNOUNCE_NONE);
	assert_int_equal(u.state, SVC_DRAINING);
	assert_true(u.damp.penalty == 0);
	assert_int_equal(service_next_deadline(&u, S(2)), 0);
	/* Undrain of a service without checks: up at once. */
	service_init(&u, &p, 0);
	in = in_checks(0, 0, 0);
	service_update(&u, &in, 0);
	in.drain = true;
	service_update(&u, &in, S(1));
	service_update(&u, &in, S(40));
	in.drain = false;
	assert_true(service_update(&u, &in, S(41)));
	assert_int_equal(u.state, SVC_UP);
	/* Disable with nothing announced: withdrawn at once. */
	struct service t;
	service_init(&t, &p, 0);
	in = in_checks(1, 0, 1);
	in.disable = true;
	assert_true(service_update(&t, &in, 0));
	assert_int_equal(t.state, SVC_DISABLED);
	/* drain-time 0: no drain period. */
	p.drain_time = 0;
	service_init(&t, &p, 0);
	in = in_checks(1, 1, 0);
	service_update(&t, &in, 0);
	in.disable = true;
	assert_true(service_update(&t, &in, 1));
	assert_int_equal(t.state, SVC_DISABLED);
	assert_int_equal(t.announce, ANNOUNCE_NONE);
}

/* robustness.md #29: up 5 s / down 5 s for 10 minutes.  Withdrawals stay
 * immediate; announce+withdraw events stay within 4 per 15 minutes. */
static void service_flapping_is_damped(void **state)
{
	(void)state;
	struct service_params p = svc_params();
	struct service s;
	service_init(&s, &p, 0);
	struct service_input in = in_checks(1, 0, 0);
	unsigned events = 0;
	for (monotime_t t = 0; t < S(600); t += S(5)) {
		bool up = (t / S(5)) % 2 == 0;
		in.n_up = up ? 1 : 0;
		enum service_announce before = s.announce;
		service_update(&s, &in, t);
		if ((before == ANNOUNCE_NONE) != (s.announce == ANNOUNCE_NONE))
			events++;
		if (!up)
			assert_int_equal(s.announce, ANNOUNCE_NONE); /* never delayed */
	}
	assert_true(events <= 4);
	assert_int_equal(s.state, SVC_DOWN);
	in.n_up = 1;
	service_update(&s, &in, S(600));
	assert_int_equal(s.state, SVC_SUPPRESSED);
	monotime_t reuse = service_next_deadline(&s, S(600));
	assert_true(reuse > S(600));
	assert_true(service_update(&s, &in, reuse));
	assert_int_equal(s.state, SVC_UP);
	assert_string_equal(s.cause, "damping over");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(check_rise_and_fall),
		cmocka_unit_test(check_rise_spaced_after_slow_pass),
	cmocka_unit_test(check_withdrawal_bound),
	cmocka_unit_test(check_jitter_never_lengthens),
	cmocka_unit_test(check_freshness),
	cmocka_unit_test(check_hard_fail_and_reset),
	cmocka_unit_test(damp_arithmetic),
	cmocka_unit_test(service_lifecycle),
	cmocka_unit_test(service_degrade),
	cmocka_unit_test(service_fail_static),
	cmocka_unit_test(service_drain_then_withdraw),
	cmocka_unit_test(service_flapping_is_damped),
};

TEST_MAIN(tests)
