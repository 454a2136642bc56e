/* bgp/fsm: the session state machine on virtual time. */
#include <string.h>

#include "bgp/fsm.h"
#include "testutil.h"

static const struct bgp_fsm_config cfg_active = {
	.passive = false,
	.hold_time = 9,
	.connect_timeout = MONOTIME_S(5),
	.backoff_min = MONOTIME_S(1),
	.backoff_max = MONOTIME_S(60),
};

#define T(s) MONOTIME_S(s)

/* Drives a started FSM to Established; returns the time reached. */
static monotime_t establish(struct bgp_fsm *f, monotime_t now)
{
	unsigned a = bgp_fsm_step(f, BGP_EV_TCP_UP, now);
	assert_int_equal(a, BGP_ACT_SEND_OPEN);
	assert_int_equal(f->state, BGP_ST_OPENSENT);
	f->hold_time = 9;
	a = bgp_fsm_step(f, BGP_EV_OPEN_OK, now);
	assert_int_equal(a, BGP_ACT_SEND_KEEPALIVE);
	assert_int_equal(f->state, BGP_ST_OPENCONFIRM);
	a = bgp_fsm_step(f, BGP_EV_KEEPALIVE, now);
	assert_int_equal(a, BGP_ACT_ESTABLISHED);
	assert_int_equal(f->state, BGP_ST_ESTABLISHED);
	return now;
}

static void start_connects_at_once(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	assert_int_equal(f.state, BGP_ST_IDLE);
	assert_int_equal(bgp_fsm_next_deadline(&f), 0);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_START, T(100)), BGP_ACT_CONNECT);
	assert_int_equal(f.state, BGP_ST_CONNECT);
	assert_int_equal(bgp_fsm_next_deadline(&f), T(105));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_START, T(100)), 0); /* idempotent */
	/* Nothing happens before the deadline. */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, T(104)), 0);
	/* Connect timeout: close, back to Idle, retry after ~1 s. */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, T(105)), BGP_ACT_CLOSE);
	assert_int_equal(f.state, BGP_ST_IDLE);
	monotime_t retry = bgp_fsm_next_deadline(&f);
	assert_true(retry >= T(106) && retry <= T(106) + MONOTIME_MS(250));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, retry), BGP_ACT_CONNECT);
}

static void passive_waits(void **state)
{
	(void)state;
	struct bgp_fsm_config c = cfg_active;
	struct bgp_fsm f;
	c.passive = true;
	bgp_fsm_init(&f, &c, 1);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_START, T(1)), 0);
	assert_int_equal(f.state, BGP_ST_ACTIVE);
	assert_int_equal(bgp_fsm_next_deadline(&f), 0);
	establish(&f, T(2));
	/* Failure: passive peers go back to waiting after the back-off. */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TCP_FAIL, T(3)), BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, bgp_fsm_next_deadline(&f)), 0);
	assert_int_equal(f.state, BGP_ST_ACTIVE);
}

static void keepalives_and_hold_timer(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	establish(&f, T(0));
	/* Keepalive every hold/3 = 3 s, jittered down to 2.25 s (RFC 4271
	 * §10), never later; over many rounds the jitter spreads. */
	monotime_t last = T(0), lo = T(9), hi = 0;
	for (int i = 0; i < 200; i++) {
		monotime_t dl = f.keepalive_deadline;
		assert_true(dl - last >= T(3) / 4 * 3 && dl - last <= T(3));
		lo = dl - last < lo ? dl - last : lo;
		hi = dl - last > hi ? dl - last : hi;
		assert_int_equal(bgp_fsm_step(&f, BGP_EV_KEEPALIVE, dl), 0); /* keeps the hold timer fed */
		assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, dl), BGP_ACT_SEND_KEEPALIVE);
		last = dl;
	}
	assert_true(hi - lo > T(1) / 2);
	/* The rest of the test on round numbers, as if at 6 s. */
	f.keepalive_deadline = T(9);
	f.hold_deadline = T(15);
	/* Messages from the peer restart the hold timer. */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_UPDATE, T(7)), 0);
	assert_int_equal(f.hold_deadline, T(16));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_KEEPALIVE, T(8)), 0);
	assert_int_equal(f.hold_deadline, T(17));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_ROUTE_REFRESH, T(9)), BGP_ACT_RESEND);
	/* Silence for the hold time: NOTIFICATION 4/0, close, down. */
	bgp_fsm_step(&f, BGP_EV_TIMERS, T(9));
	bgp_fsm_step(&f, BGP_EV_TIMERS, T(12));
	bgp_fsm_step(&f, BGP_EV_TIMERS, T(15));
	unsigned a = bgp_fsm_step(&f, BGP_EV_TIMERS, T(18));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_int_equal(f.notify.code, BGP_ERR_HOLD);
	assert_int_equal(f.state, BGP_ST_IDLE);
}

static void opensent_has_large_hold(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(1));
	assert_int_equal(bgp_fsm_next_deadline(&f), T(241));
	unsigned a = bgp_fsm_step(&f, BGP_EV_TIMERS, T(241));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE);
	assert_int_equal(f.notify.code, BGP_ERR_HOLD);
}

static void unexpected_messages(void **state)
{
	(void)state;
	struct bgp_fsm f;
	/* UPDATE before the OPEN exchange: 5/1 (RFC 6608). */
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(0));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_UPDATE, T(1)), BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE);
	assert_int_equal(f.notify.code, BGP_ERR_FSM);
	assert_int_equal(f.notify.subcode, 1);
	/* KEEPALIVE in OpenSent: 5/1. */
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(0));
	bgp_fsm_step(&f, BGP_EV_KEEPALIVE, T(1));
	assert_int_equal(f.notify.subcode, 1);
	/* UPDATE in OpenConfirm: 5/2. */
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(0));
	f.hold_time = 9;
	bgp_fsm_step(&f, BGP_EV_OPEN_OK, T(0));
	bgp_fsm_step(&f, BGP_EV_UPDATE, T(1));
	assert_int_equal(f.notify.subcode, 2);
	/* A second OPEN while Established: 5/3, and the session goes down. */
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	establish(&f, T(0));
	unsigned a = bgp_fsm_step(&f, BGP_EV_OPEN, T(1));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_int_equal(f.notify.subcode, 3);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_OPEN_OK, T(1)), BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE);
	/* Messages in Idle are ignored (the glue has no connection). */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_UPDATE, T(2)), 0);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_NOTIFICATION, T(2)), 0);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_MSG_ERROR, T(2)), 0);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_OPEN, T(2)), 0);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TCP_FAIL, T(2)), 0);
}

static void message_errors_and_notifications(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	establish(&f, T(0));
	bgp_error_set(&f.notify, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, NULL, 0, "bad length");
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_MSG_ERROR, T(1)),
			 BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_string_equal(f.reason, "bad length");
	bgp_fsm_step(&f, BGP_EV_TIMERS, bgp_fsm_next_deadline(&f));
	establish(&f, T(10));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_NOTIFICATION, T(11)), BGP_ACT_CLOSE | BGP_ACT_DOWN);
	/* A hold time below 3 s never gets through. */
	bgp_fsm_step(&f, BGP_EV_TIMERS, bgp_fsm_next_deadline(&f));
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(20));
	f.hold_time = 0;
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_OPEN_OK, T(20)), BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE);
	assert_int_equal(f.notify.subcode, BGP_OPEN_BAD_HOLD);
}

static void backoff_grows_and_caps(void **state)
{
	(void)state;
	struct bgp_fsm_config c = cfg_active;
	uint64_t rng = 42;
	monotime_t prev = 0;
	for (unsigned i = 1; i <= 12; i++) {
		monotime_t d = bgp_fsm_backoff(&c, i, &rng);
		monotime_t base = MONOTIME_S(1) << (i - 1 < 6 ? i - 1 : 6);
		if (base > c.backoff_max)
			base = c.backoff_max;
		assert_true(d >= base && d <= base + base / 4);
		if (i <= 6)
			assert_true(d > prev);
		prev = d;
	}
	/* Jitter actually varies. */
	monotime_t a = bgp_fsm_backoff(&c, 3, &rng), b = bgp_fsm_backoff(&c, 3, &rng);
	assert_true(a != b);
	c.backoff_min = 0;
	assert_true(bgp_fsm_backoff(&c, 1, &rng) >= MONOTIME_S(1));
}

static void reset_storm_keeps_backing_off(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 7);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	monotime_t now = T(0);
	/* Sessions that die right after coming up keep growing the back-off. */
	for (int i = 0; i < 8; i++) {
		establish(&f, now);
		bgp_fsm_step(&f, BGP_EV_TCP_FAIL, now + T(1));
		now = bgp_fsm_next_deadline(&f);
		assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, now), BGP_ACT_CONNECT);
	}
	assert_int_equal(f.failures, 8);
	/* A session that stayed up for a minute resets it. */
	establish(&f, now);
	bgp_fsm_step(&f, BGP_EV_KEEPALIVE, now + T(5));
	bgp_fsm_step(&f, BGP_EV_TCP_FAIL, now + T(61));
	assert_int_equal(f.failures, 1);
}

static void stop_sends_cease(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	establish(&f, T(0));
	unsigned a = bgp_fsm_step(&f, BGP_EV_STOP, T(1));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_int_equal(f.notify.code, BGP_ERR_CEASE);
	assert_int_equal(f.notify.subcode, BGP_CEASE_ADMIN_SHUTDOWN);
	assert_int_equal(bgp_fsm_next_deadline(&f), 0); /* no retry */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TIMERS, T(100)), 0);
	/* Stop while connecting: just close.  Stop while idle: nothing. */
	bgp_fsm_step(&f, BGP_EV_START, T(2));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_STOP, T(2)), BGP_ACT_CLOSE);
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_STOP, T(2)), 0);
	/* Connections are not taken while stopped. */
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_TCP_UP, T(3)), 0);
}

static void send_hold_timer(void **state)
{
	(void)state;
	struct bgp_fsm f;
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	establish(&f, T(0));
	bgp_fsm_step(&f, BGP_EV_SEND_BLOCKED, T(1));
	assert_int_equal(f.send_hold_deadline, T(1) + T(480)); /* RFC 9687: at least 8 min */
	bgp_fsm_step(&f, BGP_EV_SEND_BLOCKED, T(2));           /* keeps the first time */
	assert_int_equal(f.send_hold_deadline, T(481));
	bgp_fsm_step(&f, BGP_EV_SEND_DRAINED, T(3));
	assert_int_equal(f.send_hold_deadline, 0);
	f.cfg.send_hold = T(20);
	bgp_fsm_step(&f, BGP_EV_SEND_BLOCKED, T(4));
	for (monotime_t t = T(4); t < T(24); t += T(3)) {
		bgp_fsm_step(&f, BGP_EV_KEEPALIVE, t); /* the peer talks but does not read */
		bgp_fsm_step(&f, BGP_EV_TIMERS, t);
	}
	unsigned a = bgp_fsm_step(&f, BGP_EV_TIMERS, T(24));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE | BGP_ACT_DOWN);
	assert_int_equal(f.notify.code, BGP_ERR_SEND_HOLD);
}

static void collision(void **state)
{
	(void)state;
	struct bgp_fsm f;
	assert_true(bgp_fsm_collision_keep_incoming(1, 2));
	assert_false(bgp_fsm_collision_keep_incoming(2, 1));
	bgp_fsm_init(&f, &cfg_active, 1);
	bgp_fsm_step(&f, BGP_EV_START, T(0));
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_COLLISION_DUMP, T(0)), 0); /* not in Connect */
	bgp_fsm_step(&f, BGP_EV_TCP_UP, T(0));
	unsigned a = bgp_fsm_step(&f, BGP_EV_COLLISION_DUMP, T(1));
	assert_int_equal(a, BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE);
	assert_int_equal(f.notify.subcode, BGP_CEASE_COLLISION);
	assert_int_equal(f.state, BGP_ST_OPENSENT);
	assert_int_equal(f.failures, 0);
	f.hold_time = 9;
	assert_int_equal(bgp_fsm_step(&f, BGP_EV_OPEN_OK, T(1)), BGP_ACT_SEND_KEEPALIVE);
	assert_string_equal(bgp_state_name(BGP_ST_OPENCONFIRM), "OpenConfirm");
	assert_string_equal(bgp_state_name((enum bgp_state)42), "?");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(start_connects_at_once),
	cmocka_unit_test(passive_waits),
	cmocka_unit_test(keepalives_and_hold_timer),
	cmocka_unit_test(opensent_has_large_hold),
	cmocka_unit_test(unexpected_messages),
	cmocka_unit_test(message_errors_and_notifications),
	cmocka_unit_test(backoff_grows_and_caps),
	cmocka_unit_test(reset_storm_keeps_backing_off),
	cmocka_unit_test(stop_sends_cease),
	cmocka_unit_test(send_hold_timer),
	cmocka_unit_test(collision),
};

TEST_MAIN(tests)
