/* The services: name and prefixes, how health turns into announcements
 * (require, on-failure, drain-time, maintenance-file), the local address
 * and damping.  Attributes are in attrs.c, checks in check.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/schema.h"

static int service_name(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	return conf_name(p, v, svc->name);
}

/* ---- prefixes ---- */

static int prefix_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct conf_service *svc = obj;
	const char *s;
	struct prefix pfx, m;
	char q[200], a[PREFIX_STRLEN], b[PREFIX_STRLEN];
	(void)index;
	if (conf_string(p, v, "a prefix", &s) < 0)
		return -1;
	if (!prefix_parse(s, &pfx)) {
		conf_quote(s, v->data.scalar.length, q, sizeof q);
		return conf_fail(p, conf_mark_of(v), "expected a prefix such as 203.0.113.0/24, got '%s'",
				 q);
	}
	if (pfx.len == 0 || !prefix_is_canonical(&pfx)) { /* format only for the message */
		m = pfx;
		prefix_mask(&m);
		prefix_format(&pfx, a, sizeof a);
		prefix_format(&m, b, sizeof b);
		if (pfx.len == 0)
			return conf_fail(p, conf_mark_of(v), "the default route %s is not allowed", b);
		return conf_fail(p, conf_mark_of(v), "host bits set in %s (did you mean %s?)", a, b);
	}
	const char *special = prefix_special_use(&pfx);
	if (special) {
		prefix_format(&pfx, a, sizeof a);
		return conf_fail(p, conf_mark_of(v), "%s overlaps %s, which is never announced", a, special);
	}
	if (conf_grow(p, v, (void **)&p->prefixes, &p->cap_prefixes, p->n_prefixes,
		      sizeof *p->prefixes) < 0 ||
	    conf_grow(p, v, (void **)&svc->prefixes, &p->cap_service_prefixes, svc->n_prefixes,
		      sizeof *svc->prefixes) < 0)
		return -1;
	svc->prefixes[svc->n_prefixes] = pfx;
	p->prefixes[p->n_prefixes++] = (struct conf_prefix_ref){
		.prefix = pfx,
		.service = (uint32_t)(svc - p->conf->services),
		.index = (uint32_t)svc->n_prefixes,
		.at = conf_mark_of(v),
	};
	svc->n_prefixes++;
	return 0;
}

static int service_prefixes(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	if (conf_list(p, v, prefix_item, svc) < 0)
		return -1;
	if (svc->n_prefixes == 0)
		return conf_fail(p, conf_mark_of(v), "a service needs at least one prefix");
	return 0;
}

/* ---- require, on-failure, drain-time, maintenance-file ---- */

static bool scalar_is(const yaml_event_t *v, const char *word)
{
	return v->type == YAML_SCALAR_EVENT && v->data.scalar.length == strlen(word) &&
	       memcmp(v->data.scalar.value, word, v->data.scalar.length) == 0;
}

static int service_require(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	uint64_t n;
	if (scalar_is(v, "all") || scalar_is(v, "any")) {
		svc->params.require = scalar_is(v, "all") ? 0 : 1;
		return 0;
	}
	if (v->type != YAML_SCALAR_EVENT || conf_is_null(v) ||
	    v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    strspn((const char *)v->data.scalar.value, "0123456789") != v->data.scalar.length)
		return conf_want(p, v, "all, any or a number of checks");
	if (conf_uint(p, v, 1, CONF_MAX_CHECKS, &n) < 0)
		return -1;
	svc->params.require = (unsigned)n;
	return 0;
}

static int service_on_failure(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	if (scalar_is(v, "withdraw") || scalar_is(v, "degrade")) {
		svc->params.degrade = scalar_is(v, "degrade");
		return 0;
	}
	return conf_want(p, v, "withdraw or degrade");
}

static int service_drain_time(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	int64_t ms;
	if (conf_duration(p, v, &ms) < 0)
		return -1;
	svc->params.drain_time = MONOTIME_MS(ms);
	return 0;
}

static int service_fail_static_time(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	int64_t ms;
	if (conf_duration(p, v, &ms) < 0)
		return -1;
	if (ms > CONF_MAX_FAIL_STATIC_MS)
		return conf_fail(p, conf_mark_of(v),
				 "fail-static-time is at most 1h: holding a failing service announced must stay short "
				 "and loud");
	svc->params.fail_static_time = MONOTIME_MS(ms);
	return 0;
}

static int service_maintenance_file(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	return conf_abs_path(p, v, CONF_PATH_MAX, svc->maintenance_file);
}

/* ---- address ---- */

static int address_interface(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service_address *a = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "an interface name", &s) < 0)
		return -1;
	size_t len = v->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (len > CONF_IFNAME_MAX)
		return conf_fail(p, conf_mark_of(v), "interface name '%s' is longer than %d characters",
				 q, CONF_IFNAME_MAX);
	bool ok = strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
	for (size_t i = 0; i < len && ok; i++)
		ok = s[i] > ' ' && s[i] < 0x7f && s[i] != '/' && s[i] != ':';
	if (!ok)
		return conf_fail(p, conf_mark_of(v), "invalid interface name '%s'", q);
	memcpy(a->interface, s, len + 1);
	return 0;
}

static int address_manage(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service_address *a = obj;
	return conf_bool(p, v, &a->manage);
}

static const struct conf_key address_keys[] = {
	{"interface", address_interface, true},
	{"manage", address_manage, false},
};

static int service_address(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	struct conf_seen seen[CONF_ARRAY_LEN(address_keys)];
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping with interface and manage");
	return conf_map(p, v, address_keys, CONF_ARRAY_LEN(address_keys), seen, &svc->address);
}

/* ---- damping ---- */

static int damp_enabled(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct damp_params *d = obj;
	return conf_bool(p, v, &d->enabled);
}

static int damp_value(struct conf_parser *p, const yaml_event_t *v, double *out)
{
	uint64_t n;
	if (conf_uint(p, v, 1, CONF_MAX_DAMP_VALUE, &n) < 0)
		return -1;
	*out = (double)n;
	return 0;
}

static int damp_penalty_key(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return damp_value(p, v, &((struct damp_params *)obj)->penalty);
}

static int damp_suppress(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return damp_value(p, v, &((struct damp_params *)obj)->suppress);
}

static int damp_reuse(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return damp_value(p, v, &((struct damp_params *)obj)->reuse);
}

static int damp_duration(struct conf_parser *p, const yaml_event_t *v, const char *key,
			 monotime_t *out)
{
	int64_t ms;
	if (conf_duration(p, v, &ms) < 0)
		return -1;
	if (ms == 0)
		return conf_fail(p, conf_mark_of(v), "%s must be longer than 0s", key);
	*out = MONOTIME_MS(ms);
	return 0;
}

static int damp_half_life(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return damp_duration(p, v, "half-life", &((struct damp_params *)obj)->half_life);
}

static int damp_max_suppress(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return damp_duration(p, v, "max-suppress", &((struct damp_params *)obj)->max_suppress);
}

enum { DK_ENABLED, DK_PENALTY, DK_SUPPRESS, DK_REUSE, DK_HALF_LIFE, DK_MAX_SUPPRESS, DK_COUNT };

static const struct conf_key damp_keys[DK_COUNT] = {
	[DK_ENABLED] = {"enabled", damp_enabled, false},
	[DK_PENALTY] = {"penalty", damp_penalty_key, false},
	[DK_SUPPRESS] = {"suppress", damp_suppress, false},
	[DK_REUSE] = {"reuse", damp_reuse, false},
	[DK_HALF_LIFE] = {"half-life", damp_half_life, false},
	[DK_MAX_SUPPRESS] = {"max-suppress", damp_max_suppress, false},
};

/* The first of keys[0..n) that was written (the value to blame), else the
 * last one. */
static size_t blame(const struct conf_seen *seen, const int *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seen[keys[i]].key.line)
			return (size_t)keys[i];
	return (size_t)keys[n - 1];
}

static int damp_fail(struct conf_parser *p, const yaml_event_t *v, const struct conf_seen *seen,
		     size_t key, const char *msg)
{
	struct conf_mark at = seen[key].key.line ? seen[key].value : conf_mark_of(v);
	if (!seen[key].key.line)
		return conf_fail(p, at, "%s", msg);
	return conf_fail_key(p, damp_keys[key].name, at, msg);
}

/* Checks between the damping keys, each with its default in place. */
static int damp_check(struct conf_parser *p, const yaml_event_t *v, const struct damp_params *d,
		      const struct conf_seen *seen)
{
	char msg[300], h[CONF_DURATION_STRLEN], m[CONF_DURATION_STRLEN];
	conf_duration_format(monotime_to_ms(d->half_life), h, sizeof h);
	conf_duration_format(monotime_to_ms(d->max_suppress), m, sizeof m);
	if (d->reuse >= d->suppress) {
		snprintf(msg, sizeof msg, "reuse %.0f must be below suppress %.0f", d->reuse,
			 d->suppress);
		return damp_fail(p, v, seen, blame(seen, (const int[]){DK_REUSE, DK_SUPPRESS}, 2), msg);
	}
	if (d->max_suppress < d->half_life) {
		snprintf(msg, sizeof msg, "max-suppress %s must be at least half-life %s", m, h);
		return damp_fail(p, v, seen,
				 blame(seen, (const int[]){DK_MAX_SUPPRESS, DK_HALF_LIFE}, 2), msg);
	}
	/* RFC 2439 ceiling: above it the penalty is not kept */
	double ceiling = d->reuse * exp2((double)d->max_suppress / (double)d->half_life);
	if (ceiling < d->suppress) {
		snprintf(msg, sizeof msg,
			 "the penalty never reaches suppress %.0f: it is capped at reuse x "
			 "2^(max-suppress / half-life) = %.0f; raise max-suppress or lower suppress",
			 d->suppress, floor(ceiling));
		return damp_fail(p, v, seen,
				 blame(seen, (const int[]){DK_MAX_SUPPRESS, DK_HALF_LIFE, DK_SUPPRESS,
							   DK_REUSE},
				       4),
				 msg);
	}
	return 0;
}

static int service_damping(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	struct conf_seen seen[DK_COUNT];
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping");
	if (conf_map(p, v, damp_keys, DK_COUNT, seen, &svc->params.damp) < 0)
		return -1;
	return damp_check(p, v, &svc->params.damp, seen);
}

/* ---- one service ---- */

enum {
	SK_NAME,
	SK_PREFIXES,
	SK_REQUIRE,
	SK_ON_FAILURE,
	SK_DRAIN_TIME,
	SK_FAIL_STATIC_TIME,
	SK_MAINTENANCE_FILE,
	SK_ADDRESS,
	SK_DAMPING,
	SK_ATTRIBUTES,
	SK_CHECKS,
	SK_COUNT
};

static const struct conf_key service_keys[SK_COUNT] = {
	[SK_NAME] = {"name", service_name, true},
	[SK_PREFIXES] = {"prefixes", service_prefixes, true},
	[SK_REQUIRE] = {"require", service_require, false},
	[SK_ON_FAILURE] = {"on-failure", service_on_failure, false},
	[SK_DRAIN_TIME] = {"drain-time", service_drain_time, false},
	[SK_FAIL_STATIC_TIME] = {"fail-static-time", service_fail_static_time, false},
	[SK_MAINTENANCE_FILE] = {"maintenance-file", service_maintenance_file, false},
	[SK_ADDRESS] = {"address", service_address, false},
	[SK_DAMPING] = {"damping", service_damping, false},
	[SK_ATTRIBUTES] = {"attributes", conf_service_attributes, false},
	[SK_CHECKS] = {"checks", conf_service_checks, false},
};

/* Checks between the keys of one service and against the services before
 * it. */
static int service_check(struct conf_parser *p, const struct conf_seen *seen)
{
	const struct conf *c = p->conf;
	const struct conf_service *svc = &c->services[c->n_services - 1];
	char msg[300];
	for (size_t i = 0; i + 1 < c->n_services; i++) {
		if (strcmp(c->services[i].name, svc->name) == 0) {
			snprintf(msg, sizeof msg, "duplicate service name '%s' (first at line %u)",
				 svc->name, p->service_marks[i].line);
			return conf_fail_key(p, "name", seen[SK_NAME].value, msg);
		}
	}
	if (svc->params.require > svc->n_checks) {
		if (svc->n_checks == 0)
			snprintf(msg, sizeof msg, "the service has no checks to require");
		else
			snprintf(msg, sizeof msg, "%u checks required, but the service has only %zu",
				 svc->params.require, svc->n_checks);
		return conf_fail_key(p, "require", seen[SK_REQUIRE].value, msg);
	}
	return 0;
}

static int service_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct conf *c = obj;
	struct conf_seen seen[SK_COUNT];
	(void)index;
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping (one service)");
	size_t cap = p->cap_services;
	if (conf_grow(p, v, (void **)&c->services, &p->cap_services, c->n_services,
		      sizeof *c->services) < 0 ||
	    conf_grow(p, v, (void **)&p->service_marks, &cap, c->n_services,
		      sizeof *p->service_marks) < 0)
		return -1;
	struct conf_service *svc = &c->services[c->n_services++];
	*svc = (struct conf_service){0};
	svc->params.drain_time = MONOTIME_MS(CONF_DEFAULT_DRAIN_TIME_MS);
	svc->params.fail_static_time = MONOTIME_MS(CONF_DEFAULT_FAIL_STATIC_MS);
	damp_params_default(&svc->params.damp);
	p->cap_service_prefixes = 0;
	p->cap_checks = 0;
	if (conf_map(p, v, service_keys, SK_COUNT, seen, svc) < 0)
		return -1;
	p->service_marks[c->n_services - 1] = seen[SK_NAME].value;
	return service_check(p, seen);
}

int conf_top_services(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return conf_list(p, v, service_item, obj);
}
