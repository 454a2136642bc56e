#include "service/service.h"

#include <string.h>

const char *service_state_name(enum service_state st)
{
	static const char *const names[SVC_STATE_COUNT] = {"starting", "up",	   "degraded",	 "down",
							   "draining", "disabled", "suppressed", "fail-static"};
	return (unsigned)st < sizeof names / sizeof *names ? names[st] : "?";
}

const char *service_announce_name(enum service_announce a)
{
	static const char *const names[] = {"withdrawn", "up", "degraded", "draining"};
	return (unsigned)a < sizeof names / sizeof *names ? names[a] : "?";
}

void service_init(struct service *s, const struct service_params *p, monotime_t now)
{
	memset(s, 0, sizeof *s);
	s->p = *p;
	s->state = SVC_STARTING;
	s->announce = ANNOUNCE_NONE;
	s->since = now;
	s->cause = "started";
}

/* Enough checks up, counting the dependency checks that are down as up
 * when dep_ok: "could the local instance serve?" */
static bool enough(const struct service *s, const struct service_input *in, bool dep_ok)
{
	if (!in->address_ok || in->stale)
		return false;
	if (in->n_checks == 0)
		return true;
	unsigned need = s->p.require == 0 || s->p.require > in->n_checks ? in->n_checks : s->p.require;
	return in->n_up + (dep_ok ? in->n_dep_down : 0) >= need;
}

static bool healthy(const struct service *s, const struct service_input *in)
{
	return enough(s, in, false);
}

/* Failing only because of dependency checks: the local service is fine. */
static bool local_ok(const struct service *s, const struct service_input *in)
{
	return enough(s, in, true);
}

static bool set(struct service *s, enum service_state st, enum service_announce a, monotime_t now,
		const char *cause)
{
	if (s->state == st && s->announce == a)
		return false;
	/* Damping counts withdrawals caused by failures only. */
	if (a == ANNOUNCE_NONE && s->announce != ANNOUNCE_NONE && (st == SVC_DOWN))
		damp_withdrawn(&s->damp, &s->p.damp, now);
	if (s->state != st)
		s->since = now;
	s->state = st;
	s->announce = a;
	s->cause = cause;
	s->transitions++;
	return true;
}

/* Drain or disable: announce with the draining attributes for drain_time,
 * then withdraw.  Nothing announced: withdrawn at once. */
static bool update_admin(struct service *s, const struct service_input *in, monotime_t now)
{
	enum service_state target = in->disable ? SVC_DISABLED : SVC_DRAINING;
	const char *why = in->disable ? "disabled by the operator" : "drain requested";
	/* A drain keeps a healthy service announced; a failing one is
	 * withdrawn at once, drain-time or not (never delay a withdrawal).
	 * Failing dependencies alone do not stop a drain: the local instance
	 * still answers, and the drain moves its clients away gently. */
	s->fail_static_until = 0;
	if (s->announce != ANNOUNCE_NONE && !local_ok(s, in)) {
		s->drain_until = 0;
		return set(s, target, ANNOUNCE_NONE, now, "checks failing while draining: withdrawn at once");
	}
	if (s->announce == ANNOUNCE_UP || s->announce == ANNOUNCE_DEGRADED) {
		if (s->p.drain_time <= 0)
			return set(s, target, ANNOUNCE_NONE, now, why);
		s->drain_until = now + s->p.drain_time;
		return set(s, SVC_DRAINING, ANNOUNCE_DRAINING, now, why);
	}
	if (s->announce == ANNOUNCE_DRAINING) {
		if (now < s->drain_until) {
			/* disable during a drain: same drain, other end state */
			return false;
		}
		s->drain_until = 0;
		return set(s, target, ANNOUNCE_NONE, now, "drain time over: withdrawn");
	}
	return set(s, target, ANNOUNCE_NONE, now, why);
}

bool service_update(struct service *s, const struct service_input *in, monotime_t now)
{
	if (in->drain || in->disable)
		return update_admin(s, in, now);
	if (s->state == SVC_DRAINING || s->state == SVC_DISABLED) {
		/* Back from maintenance: through `rise` again, never straight up. */
		s->reset_checks = true;
		s->drain_until = 0;
		bool changed = set(s, SVC_STARTING, ANNOUNCE_NONE, now, in->disable ? "enabled" : "undrained");
		if (in->n_checks > 0)
			return changed; /* through `rise` again */
		/* no checks: nothing to wait for */
	}
	if (!healthy(s, in) && s->p.fail_static_time > 0 && local_ok(s, in) &&
	    (s->state == SVC_UP || s->state == SVC_DEGRADED || s->state == SVC_FAIL_STATIC)) {
		if (s->state != SVC_FAIL_STATIC) {
			s->fail_static_until = now + s->p.fail_static_time;
			return set(s, SVC_FAIL_STATIC, s->announce, now,
				   "only dependency checks failing: fail-static, still announced");
		}
		if (now < s->fail_static_until)
			return false;
		s->fail_static_until = 0;
		return set(s, SVC_DOWN, ANNOUNCE_NONE, now, "fail-static time over: withdrawn");
	}
	s->fail_static_until = 0;
	if (!healthy(s, in)) {
		const char *why = !in->address_ok ? "service address not configured"
				  : in->stale     ? "no fresh check result"
						  : "checks failing";
		bool announced = s->announce == ANNOUNCE_UP || s->announce == ANNOUNCE_DEGRADED;
		if (s->p.degrade && announced && in->address_ok && !in->stale)
			return set(s, SVC_DEGRADED, ANNOUNCE_DEGRADED, now, "checks failing: degraded");
		if (s->state == SVC_STARTING && in->n_unknown > 0)
			return false; /* still waiting for the first verdicts */
		return set(s, SVC_DOWN, ANNOUNCE_NONE, now, why);
	}
	if (!damp_may_announce(&s->damp, &s->p.damp, now))
		return set(s, SVC_SUPPRESSED, ANNOUNCE_NONE, now, "flapping: re-announcement damped");
	return set(s, SVC_UP, ANNOUNCE_UP, now, s->state == SVC_SUPPRESSED ? "damping over" : "checks passing");
}

void service_restart(struct service *s, monotime_t now, const char *cause)
{
	if (s->state != SVC_STARTING)
		s->since = now;
	s->state = SVC_STARTING;
	s->announce = ANNOUNCE_NONE;
	s->drain_until = 0;
	s->fail_static_until = 0;
	s->cause = cause;
	s->transitions++;
}

monotime_t service_next_deadline(const struct service *s, monotime_t now)
{
	if (s->announce == ANNOUNCE_DRAINING)
		return s->drain_until;
	if (s->state == SVC_SUPPRESSED)
		return damp_reuse_at(&s->damp, &s->p.damp, now);
	if (s->state == SVC_FAIL_STATIC)
		return s->fail_static_until;
	return 0;
}
