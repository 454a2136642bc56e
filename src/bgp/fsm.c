/* RFC 4271 §8 session FSM, reduced to what a route originator needs:
 * switch (state) per event, actions returned as bits. */
#include <string.h>

#include "bgp/fsm.h"
#include "lib/rand.h"

#define OPENSENT_HOLD MONOTIME_S(240) /* RFC 4271 §8: "a large value" (4 min) */
#define STABLE_AFTER MONOTIME_S(60)   /* Established this long resets the back-off */

const char *bgp_state_name(enum bgp_state s)
{
	static const char *const names[] = {"Idle", "Connect", "Active", "OpenSent", "OpenConfirm",
					    "Established"};
	return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

void bgp_fsm_init(struct bgp_fsm *f, const struct bgp_fsm_config *cfg, uint64_t seed)
{
	memset(f, 0, sizeof *f);
	f->cfg = *cfg;
	f->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	f->state = BGP_ST_IDLE;
	f->reason = "initialised";
}

monotime_t bgp_fsm_backoff(const struct bgp_fsm_config *cfg, unsigned failures, uint64_t *rng)
{
	monotime_t d = cfg->backoff_min > 0 ? cfg->backoff_min : MONOTIME_S(1);
	for (unsigned i = 1; i < failures && d < cfg->backoff_max; i++)
		d *= 2;
	if (cfg->backoff_max > 0 && d > cfg->backoff_max)
		d = cfg->backoff_max;
	return d + (monotime_t)((uint64_t)d / 4 * (rand_next(rng) % 1024) / 1024);
}

/* RFC 4271 §10: KeepaliveTimer of hold/3 jittered by a factor in
 * [0.75, 1.0], so that sessions started together do not stay in step;
 * never longer than hold/3. */
static monotime_t fsm_keepalive_interval(struct bgp_fsm *f)
{
	monotime_t d = MONOTIME_S(f->hold_time / 3 ? f->hold_time / 3 : 1);
	return d - (monotime_t)((uint64_t)d / 4 * (rand_next(&f->rng) % 1024) / 1024);
}

static monotime_t fsm_send_hold(const struct bgp_fsm *f)
{
	if (f->cfg.send_hold > 0)
		return f->cfg.send_hold;
	monotime_t twice = MONOTIME_S(2 * (int64_t)f->hold_time);
	return twice > MONOTIME_S(480) ? twice : MONOTIME_S(480);
}

static void fsm_clear_timers(struct bgp_fsm *f)
{
	f->hold_deadline = f->keepalive_deadline = f->connect_deadline = 0;
	f->retry_deadline = f->send_hold_deadline = 0;
}

static void fsm_notify(struct bgp_fsm *f, uint8_t code, uint8_t subcode, const char *reason)
{
	bgp_error_set(&f->notify, code, subcode, NULL, 0, reason);
}

/* Leaves the connection: back to Idle, retry after the back-off. */
static unsigned fsm_fail(struct bgp_fsm *f, monotime_t now, unsigned act, const char *reason)
{
	if (f->state == BGP_ST_ESTABLISHED) {
		act |= BGP_ACT_DOWN;
		if (now - f->established_at >= STABLE_AFTER)
			f->failures = 0;
	}
	f->failures++;
	f->state = BGP_ST_IDLE;
	f->hold_time = 0;
	fsm_clear_timers(f);
	if (f->running)
		f->retry_deadline = now + bgp_fsm_backoff(&f->cfg, f->failures, &f->rng);
	f->reason = reason;
	return act | BGP_ACT_CLOSE;
}

static unsigned fsm_fsm_error(struct bgp_fsm *f, monotime_t now)
{
	static const uint8_t sub[] = {[BGP_ST_OPENSENT] = 1, [BGP_ST_OPENCONFIRM] = 2,
				      [BGP_ST_ESTABLISHED] = 3};
	/* RFC 6608 subcodes name the state the message was unexpected in. */
	uint8_t s = f->state < sizeof sub ? sub[f->state] : 0;
	fsm_notify(f, BGP_ERR_FSM, s, "message unexpected in this state");
	return fsm_fail(f, now, BGP_ACT_SEND_NOTIFICATION, "unexpected message");
}

static unsigned fsm_try(struct bgp_fsm *f, monotime_t now)
{
	f->retry_deadline = 0;
	if (f->cfg.passive) {
		f->state = BGP_ST_ACTIVE;
		f->reason = "waiting for the peer to connect";
		return 0;
	}
	f->state = BGP_ST_CONNECT;
	f->connect_deadline = now + f->cfg.connect_timeout;
	f->reason = "connecting";
	return BGP_ACT_CONNECT;
}

static unsigned fsm_timers(struct bgp_fsm *f, monotime_t now)
{
	if (f->send_hold_deadline && now >= f->send_hold_deadline) {
		fsm_notify(f, BGP_ERR_SEND_HOLD, 0, "peer stopped reading (send hold timer)");
		return fsm_fail(f, now, BGP_ACT_SEND_NOTIFICATION, "send hold timer expired");
	}
	switch (f->state) {
	case BGP_ST_IDLE:
		if (f->running && f->retry_deadline && now >= f->retry_deadline)
			return fsm_try(f, now);
		return 0;
	case BGP_ST_CONNECT:
		if (f->connect_deadline && now >= f->connect_deadline)
			return fsm_fail(f, now, 0, "connection attempt timed out");
		return 0;
	case BGP_ST_ACTIVE:
		return 0;
	case BGP_ST_OPENSENT:
	case BGP_ST_OPENCONFIRM:
	case BGP_ST_ESTABLISHED:
		if (f->hold_deadline && now >= f->hold_deadline) {
			fsm_notify(f, BGP_ERR_HOLD, 0, "hold timer expired");
			return fsm_fail(f, now, BGP_ACT_SEND_NOTIFICATION, "hold timer expired");
		}
		if (f->keepalive_deadline && now >= f->keepalive_deadline) {
			f->keepalive_deadline = now + fsm_keepalive_interval(f);
			return BGP_ACT_SEND_KEEPALIVE;
		}
		return 0;
	}
	return 0;
}

static void fsm_heard(struct bgp_fsm *f, monotime_t now)
{
	f->hold_deadline = now + MONOTIME_S(f->hold_time);
}

static unsigned fsm_open_ok(struct bgp_fsm *f, monotime_t now)
{
	if (f->state != BGP_ST_OPENSENT)
		return fsm_fsm_error(f, now);
	if (f->hold_time < 3) {
		fsm_notify(f, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, "negotiated hold time below 3 s");
		return fsm_fail(f, now, BGP_ACT_SEND_NOTIFICATION, "bad hold time");
	}
	f->state = BGP_ST_OPENCONFIRM;
	fsm_heard(f, now);
	f->keepalive_deadline = now + fsm_keepalive_interval(f);
	f->reason = "OPEN accepted";
	return BGP_ACT_SEND_KEEPALIVE;
}

static unsigned fsm_keepalive(struct bgp_fsm *f, monotime_t now)
{
	switch (f->state) {
	case BGP_ST_OPENCONFIRM:
		f->state = BGP_ST_ESTABLISHED;
		f->established_at = now;
		fsm_heard(f, now);
		f->reason = "session established";
		return BGP_ACT_ESTABLISHED;
	case BGP_ST_ESTABLISHED:
		fsm_heard(f, now);
		return 0;
	case BGP_ST_OPENSENT:
		return fsm_fsm_error(f, now);
	default:
		return 0;
	}
}

/* UPDATE and ROUTE-REFRESH: valid only once Established. */
static unsigned fsm_established_msg(struct bgp_fsm *f, monotime_t now, unsigned act)
{
	if (f->state == BGP_ST_ESTABLISHED) {
		fsm_heard(f, now);
		return act;
	}
	if (f->state == BGP_ST_OPENSENT || f->state == BGP_ST_OPENCONFIRM)
		return fsm_fsm_error(f, now);
	return 0;
}

static unsigned fsm_stop(struct bgp_fsm *f, monotime_t now)
{
	unsigned act = 0;
	f->running = false;
	if (f->state >= BGP_ST_OPENSENT) {
		fsm_notify(f, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, "administrative shutdown");
		act |= BGP_ACT_SEND_NOTIFICATION;
	}
	if (f->state == BGP_ST_IDLE || f->state == BGP_ST_ACTIVE) {
		f->state = BGP_ST_IDLE;
		fsm_clear_timers(f);
		f->reason = "stopped";
		return act;
	}
	act = fsm_fail(f, now, act, "stopped");
	f->failures = 0;
	return act;
}

unsigned bgp_fsm_step(struct bgp_fsm *f, enum bgp_fsm_event ev, monotime_t now)
{
	switch (ev) {
	case BGP_EV_START:
		if (f->running)
			return 0;
		f->running = true;
		return f->state == BGP_ST_IDLE ? fsm_try(f, now) : 0;
	case BGP_EV_STOP:
		return fsm_stop(f, now);
	case BGP_EV_TIMERS:
		return fsm_timers(f, now);
	case BGP_EV_TCP_UP:
		/* A peer connecting during our back-off is welcome. */
		if (!f->running || f->state >= BGP_ST_OPENSENT)
			return 0;
		f->state = BGP_ST_OPENSENT;
		fsm_clear_timers(f);
		f->hold_deadline = now + OPENSENT_HOLD;
		f->reason = "connected";
		return BGP_ACT_SEND_OPEN;
	case BGP_EV_TCP_FAIL:
		if (f->state == BGP_ST_IDLE || f->state == BGP_ST_ACTIVE)
			return 0;
		return fsm_fail(f, now, 0, "connection failed or closed");
	case BGP_EV_OPEN_OK:
		return fsm_open_ok(f, now);
	case BGP_EV_MSG_ERROR:
		if (f->state < BGP_ST_OPENSENT)
			return 0;
		return fsm_fail(f, now, BGP_ACT_SEND_NOTIFICATION, f->notify.reason ? f->notify.reason : "message error");
	case BGP_EV_NOTIFICATION:
		if (f->state < BGP_ST_OPENSENT)
			return 0;
		return fsm_fail(f, now, 0, "NOTIFICATION received");
	case BGP_EV_KEEPALIVE:
		return fsm_keepalive(f, now);
	case BGP_EV_UPDATE:
		return fsm_established_msg(f, now, 0);
	case BGP_EV_ROUTE_REFRESH:
		return fsm_established_msg(f, now, BGP_ACT_RESEND);
	case BGP_EV_OPEN:
		if (f->state < BGP_ST_OPENSENT)
			return 0;
		return fsm_fsm_error(f, now);
	case BGP_EV_SEND_BLOCKED:
		if (f->state >= BGP_ST_OPENSENT && !f->send_hold_deadline)
			f->send_hold_deadline = now + fsm_send_hold(f);
		return 0;
	case BGP_EV_SEND_DRAINED:
		f->send_hold_deadline = 0;
		return 0;
	case BGP_EV_COLLISION_DUMP:
		if (f->state != BGP_ST_OPENSENT && f->state != BGP_ST_OPENCONFIRM)
			return 0;
		/* The surviving connection already carries our OPEN. */
		fsm_notify(f, BGP_ERR_CEASE, BGP_CEASE_COLLISION, "connection collision resolution");
		f->state = BGP_ST_OPENSENT;
		fsm_clear_timers(f);
		f->hold_deadline = now + OPENSENT_HOLD;
		f->reason = "connection collision: kept the other connection";
		return BGP_ACT_SEND_NOTIFICATION | BGP_ACT_CLOSE;
	}
	return 0;
}

monotime_t bgp_fsm_next_deadline(const struct bgp_fsm *f)
{
	const monotime_t d[] = {f->hold_deadline, f->keepalive_deadline, f->connect_deadline,
				f->retry_deadline, f->send_hold_deadline};
	monotime_t best = 0;
	for (size_t i = 0; i < sizeof d / sizeof *d; i++)
		if (d[i] && (!best || d[i] < best))
			best = d[i];
	return best;
}
