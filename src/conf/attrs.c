/* services[i].attributes: the BGP attributes of each announcement state
 * (up, degraded, draining): communities, large communities, MED, AS-path
 * prepend, LOCAL_PREF.  Lists are stored sorted and without duplicates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/schema.h"

/* One state's attributes being read, with where each community was. */
struct attrs_build {
	struct conf_attrs *a;
	bool draining;
	struct conf_mark comm_at[BGP_MAX_COMMUNITIES];
	struct conf_mark large_at[BGP_MAX_LARGE_COMMUNITIES];
};

static int community_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct attrs_build *b = obj;
	struct conf_attrs *a = b->a;
	const char *s;
	char q[200], t[CONF_COMMUNITY_STRLEN], num[CONF_COMMUNITY_STRLEN];
	uint32_t c;
	(void)index;
	if (conf_string(p, v, "a community", &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (!conf_community_parse(s, &c))
		return conf_fail(p, conf_mark_of(v),
				 "expected a community such as 64600:100 (ASN:VALUE, each 0..65535) "
				 "or a well-known name such as no-export, got '%s'",
				 q);
	for (size_t i = 0; i < a->n_communities; i++) {
		if (a->communities[i] != c)
			continue;
		/* a well-known one: say its other spelling, which the first may have used */
		conf_community_format(c, t, sizeof t);
		snprintf(num, sizeof num, "%u:%u", c >> 16, c & 0xffff);
		if (strcmp(t, num) != 0)
			return conf_fail(p, conf_mark_of(v),
					 "duplicate community '%s' (%s, first at line %u)", q,
					 strcmp(s, t) == 0 ? num : t, b->comm_at[i].line);
		return conf_fail(p, conf_mark_of(v), "duplicate community '%s' (first at line %u)", q,
				 b->comm_at[i].line);
	}
	if (a->n_communities >= BGP_MAX_COMMUNITIES)
		return conf_fail(p, conf_mark_of(v), "too many communities (at most %d)",
				 BGP_MAX_COMMUNITIES);
	b->comm_at[a->n_communities] = conf_mark_of(v);
	a->communities[a->n_communities++] = c;
	return 0;
}

static int u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static int attr_communities(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct attrs_build *b = obj;
	struct conf_attrs *a = b->a;
	if (conf_list(p, v, community_item, b) < 0)
		return -1;
	if (b->draining) {
		/* the daemon adds GRACEFUL_SHUTDOWN while draining: not kept twice */
		size_t n = 0;
		for (size_t i = 0; i < a->n_communities; i++)
			if (a->communities[i] != BGP_COMM_GRACEFUL_SHUTDOWN)
				a->communities[n++] = a->communities[i];
		a->n_communities = (uint8_t)n;
		if (n >= BGP_MAX_COMMUNITIES)
			return conf_fail(p, conf_mark_of(v),
					 "too many communities (at most %d while draining: "
					 "graceful-shutdown is added to them)",
					 BGP_MAX_COMMUNITIES - 1);
	}
	qsort(a->communities, a->n_communities, sizeof *a->communities, u32_cmp);
	return 0;
}

static bool large_equal(const struct bgp_large_community *x, const struct bgp_large_community *y)
{
	return x->global == y->global && x->local1 == y->local1 && x->local2 == y->local2;
}

static int large_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct attrs_build *b = obj;
	struct conf_attrs *a = b->a;
	const char *s;
	char q[200];
	struct bgp_large_community lc;
	(void)index;
	if (conf_string(p, v, "a large community", &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (!conf_large_community_parse(s, &lc))
		return conf_fail(p, conf_mark_of(v),
				 "expected a large community such as 64600:1:2 "
				 "(GLOBAL:LOCAL1:LOCAL2, each 0..4294967295), got '%s'",
				 q);
	for (size_t i = 0; i < a->n_large; i++)
		if (large_equal(&a->large[i], &lc))
			return conf_fail(p, conf_mark_of(v),
					 "duplicate large community '%s' (first at line %u)", q,
					 b->large_at[i].line);
	if (a->n_large >= BGP_MAX_LARGE_COMMUNITIES)
		return conf_fail(p, conf_mark_of(v), "too many large communities (at most %d)",
				 BGP_MAX_LARGE_COMMUNITIES);
	b->large_at[a->n_large] = conf_mark_of(v);
	a->large[a->n_large++] = lc;
	return 0;
}

static int large_cmp(const void *x, const void *y)
{
	const struct bgp_large_community *a = x, *b = y;
	if (a->global != b->global)
		return a->global < b->global ? -1 : 1;
	if (a->local1 != b->local1)
		return a->local1 < b->local1 ? -1 : 1;
	return a->local2 < b->local2 ? -1 : a->local2 > b->local2;
}

static int attr_large(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct attrs_build *b = obj;
	if (conf_list(p, v, large_item, b) < 0)
		return -1;
	qsort(b->a->large, b->a->n_large, sizeof *b->a->large, large_cmp);
	return 0;
}

static int attr_med(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct attrs_build *b = obj;
	uint64_t n;
	if (conf_uint(p, v, 0, UINT32_MAX, &n) < 0)
		return -1;
	b->a->has_med = true;
	b->a->med = (uint32_t)n;
	return 0;
}

static int attr_prepend(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct attrs_build *b = obj;
	uint64_t n;
	if (conf_uint(p, v, 0, CONF_MAX_PREPEND, &n) < 0)
		return -1;
	b->a->prepend = (uint8_t)n;
	return 0;
}

static int attr_local_pref(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct attrs_build *b = obj;
	uint64_t n;
	if (conf_uint(p, v, 0, UINT32_MAX, &n) < 0)
		return -1;
	b->a->has_local_pref = true;
	b->a->local_pref = (uint32_t)n;
	return 0;
}

static const struct conf_key attr_keys[] = {
	{"communities", attr_communities, false},
	{"large-communities", attr_large, false},
	{"med", attr_med, false},
	{"prepend", attr_prepend, false},
	{"local-pref", attr_local_pref, false},
};

static int state_attrs(struct conf_parser *p, const yaml_event_t *v, struct conf_attrs *a,
		       bool draining)
{
	struct conf_seen seen[CONF_ARRAY_LEN(attr_keys)];
	struct attrs_build b = {.a = a, .draining = draining};
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping of attributes");
	return conf_map(p, v, attr_keys, CONF_ARRAY_LEN(attr_keys), seen, &b);
}

static int attrs_up(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return state_attrs(p, v, &((struct conf_service *)obj)->attrs_up, false);
}

static int attrs_degraded(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return state_attrs(p, v, &((struct conf_service *)obj)->attrs_degraded, false);
}

static int attrs_draining(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return state_attrs(p, v, &((struct conf_service *)obj)->attrs_draining, true);
}

static const struct conf_key state_keys[] = {
	{"up", attrs_up, false},
	{"degraded", attrs_degraded, false},
	{"draining", attrs_draining, false},
};

int conf_service_attributes(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_seen seen[CONF_ARRAY_LEN(state_keys)];
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping with up, degraded and/or draining");
	return conf_map(p, v, state_keys, CONF_ARRAY_LEN(state_keys), seen, obj);
}
