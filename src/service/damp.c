#include "service/damp.h"

#include <math.h>

void damp_params_default(struct damp_params *p)
{
	p->enabled = true;
	p->penalty = 1000;
	/* Below the 2000 that routers with classic RFD defaults suppress at:
	 * our own damping must act before theirs does (RFC 7196, RIPE-580). */
	p->suppress = 1500;
	p->reuse = 750;
	p->half_life = MONOTIME_S(15 * 60);
	p->max_suppress = MONOTIME_S(60 * 60);
}

double damp_penalty(const struct damp_state *s, const struct damp_params *p, monotime_t now)
{
	if (s->penalty <= 0 || p->half_life <= 0 || now <= s->at)
		return s->penalty;
	return s->penalty * exp2(-(double)(now - s->at) / (double)p->half_life);
}

/* RFC 2439 §4.8: the ceiling from which the penalty decays to reuse in
 * exactly max_suppress. */
static double damp_ceiling(const struct damp_params *p)
{
	if (p->half_life <= 0)
		return p->suppress;
	return p->reuse * exp2((double)p->max_suppress / (double)p->half_life);
}

void damp_withdrawn(struct damp_state *s, const struct damp_params *p, monotime_t now)
{
	if (!p->enabled)
		return;
	double v = damp_penalty(s, p, now) + p->penalty;
	double ceil = damp_ceiling(p);
	s->penalty = v > ceil ? ceil : v;
	s->at = now;
}

bool damp_may_announce(struct damp_state *s, const struct damp_params *p, monotime_t now)
{
	if (!p->enabled)
		return true;
	double v = damp_penalty(s, p, now);
	if (s->suppressed)
		s->suppressed = v >= p->reuse;
	else
		s->suppressed = v >= p->suppress;
	return !s->suppressed;
}

monotime_t damp_reuse_at(const struct damp_state *s, const struct damp_params *p, monotime_t now)
{
	if (!s->suppressed || !p->enabled)
		return 0;
	double v = damp_penalty(s, p, now);
	if (v < p->reuse)
		return now;
	/* v * 2^(-t/h) = reuse  =>  t = h * log2(v / reuse); rounded up. */
	double t = (double)p->half_life * log2(v / p->reuse);
	return now + (monotime_t)ceil(t) + 1;
}
