/* conf_print for services: every key in the order of the tables in
 * docs/configuration.md, defaults written out, optional keys without a
 * default (maintenance-file, address, med, local-pref, max-age, a check's
 * expect-body, host, send, expect, user, dependency) left out when not set. */
#include <stdio.h>
#include <string.h>

#include "conf/printer.h"

#define IND_SVC "    "
#define IND_SUB "      "
#define IND_ATTR "        "
#define IND_ITEM "          "

static void put_duration(struct strbuf *o, const char *indent, const char *key, monotime_t t)
{
	char d[CONF_DURATION_STRLEN];
	conf_duration_format(monotime_to_ms(t), d, sizeof d);
	strbuf_printf(o, "%s%s: %s\n", indent, key, d);
}

static void put_bool(struct strbuf *o, const char *indent, const char *key, bool v)
{
	strbuf_printf(o, "%s%s: %s\n", indent, key, v ? "true" : "false");
}

/* "INDENTkey: []" or "INDENTkey:" and then "INDENT  - item" per item,
 * each item quoted as given or as conf_put_scalar decides. */
static void put_list_head(struct strbuf *o, const char *indent, const char *key, size_t n)
{
	strbuf_printf(o, "%s%s:%s\n", indent, key, n ? "" : " []");
}

static void put_attrs(struct strbuf *o, const char *state, const struct conf_attrs *a)
{
	char t[CONF_LARGE_COMMUNITY_STRLEN];
	strbuf_printf(o, IND_SUB "%s:\n", state);
	put_list_head(o, IND_ATTR, "communities", a->n_communities);
	for (size_t i = 0; i < a->n_communities; i++) {
		conf_community_format(a->communities[i], t, sizeof t);
		strbuf_printf(o, IND_ITEM "- ");
		conf_put_scalar(o, t);
		strbuf_printf(o, "\n");
	}
	put_list_head(o, IND_ATTR, "large-communities", a->n_large);
	for (size_t i = 0; i < a->n_large; i++) {
		conf_large_community_format(&a->large[i], t, sizeof t);
		strbuf_printf(o, IND_ITEM "- \"%s\"\n", t);
	}
	if (a->has_med)
		strbuf_printf(o, IND_ATTR "med: %u\n", a->med);
	strbuf_printf(o, IND_ATTR "prepend: %u\n", a->prepend);
	if (a->has_local_pref)
		strbuf_printf(o, IND_ATTR "local-pref: %u\n", a->local_pref);
}

static void put_damping(struct strbuf *o, const struct damp_params *d)
{
	strbuf_printf(o, IND_SVC "damping:\n");
	put_bool(o, IND_SUB, "enabled", d->enabled);
	strbuf_printf(o, IND_SUB "penalty: %.0f\n", d->penalty);
	strbuf_printf(o, IND_SUB "suppress: %.0f\n", d->suppress);
	strbuf_printf(o, IND_SUB "reuse: %.0f\n", d->reuse);
	put_duration(o, IND_SUB, "half-life", d->half_life);
	put_duration(o, IND_SUB, "max-suppress", d->max_suppress);
}

static void put_endpoint(struct strbuf *o, const char *key, const struct addr *a, uint16_t port)
{
	char t[CONF_ENDPOINT_STRLEN];
	conf_endpoint_format(a, port, t, sizeof t);
	strbuf_printf(o, IND_ATTR "%s: \"%s\"\n", key, t);
}

static void put_optional(struct strbuf *o, const char *key, const char *s)
{
	if (s[0])
		conf_put_string(o, key, s, IND_ATTR);
}

static void put_probe(struct strbuf *o, const struct probe_spec *c)
{
	char t[CONF_QTYPE_STRLEN];
	const char *rcode;
	switch (c->type) {
	case PROBE_DNS:
		put_endpoint(o, "server", &c->u.dns.server, c->u.dns.port);
		conf_put_string(o, "query", c->u.dns.qname, IND_ATTR);
		conf_qtype_format(c->u.dns.qtype, t, sizeof t);
		strbuf_printf(o, IND_ATTR "qtype: %s\n", t);
		rcode = conf_rcode_name(c->u.dns.expect_rcode);
		strbuf_printf(o, IND_ATTR "expect-rcode: %s\n", rcode ? rcode : "?");
		break;
	case PROBE_HTTP:
		conf_put_string(o, "url", c->u.http.url, IND_ATTR);
		strbuf_printf(o, IND_ATTR "expect-status: %d\n", c->u.http.expect_status);
		put_optional(o, "expect-body", c->u.http.expect_body);
		put_optional(o, "host", c->u.http.host);
		put_bool(o, IND_ATTR, "verify-tls", c->u.http.verify_tls);
		break;
	case PROBE_TCP:
		put_endpoint(o, "target", &c->u.tcp.addr, c->u.tcp.port);
		put_optional(o, "send", c->u.tcp.send);
		put_optional(o, "expect", c->u.tcp.expect);
		break;
	case PROBE_EXEC:
		strbuf_printf(o, IND_ATTR "command:\n");
		for (unsigned i = 0; i < c->u.exec.argc && i < PROBE_ARGV_MAX; i++) {
			strbuf_printf(o, IND_ITEM "- ");
			conf_put_scalar(o, c->u.exec.argv[i]);
			strbuf_printf(o, "\n");
		}
		put_optional(o, "user", c->u.exec.user);
		break;
	case PROBE_PROCESS:
		put_optional(o, "pidfile", c->u.process.pidfile);
		put_optional(o, "unit", c->u.process.unit);
		break;
	}
}

static void put_check(struct strbuf *o, const struct probe_spec *c)
{
	const struct check_params *p = &c->params;
	strbuf_printf(o, IND_SUB "- type: %s\n", conf_probe_type_name(c->type));
	conf_put_string(o, "name", c->name, IND_ATTR);
	put_probe(o, c);
	put_duration(o, IND_ATTR, "interval", p->interval);
	put_duration(o, IND_ATTR, "fast-interval", p->fast_interval);
	put_duration(o, IND_ATTR, "timeout", p->timeout);
	strbuf_printf(o, IND_ATTR "rise: %u\n", p->rise);
	strbuf_printf(o, IND_ATTR "fall: %u\n", p->fall);
	if (p->max_age)
		put_duration(o, IND_ATTR, "max-age", p->max_age);
	strbuf_printf(o, IND_ATTR "jitter: %u\n", p->jitter_pct);
	if (c->dependency)
		put_bool(o, IND_ATTR, "dependency", true);
}

static void put_require(struct strbuf *o, unsigned require)
{
	if (require == 0)
		strbuf_printf(o, IND_SVC "require: all\n");
	else if (require == 1)
		strbuf_printf(o, IND_SVC "require: any\n");
	else
		strbuf_printf(o, IND_SVC "require: %u\n", require);
}

void conf_put_service(struct strbuf *o, const struct conf_service *s)
{
	char t[PREFIX_STRLEN];
	conf_put_string(o, "name", s->name, "  - ");
	strbuf_printf(o, IND_SVC "prefixes:\n");
	for (size_t i = 0; i < s->n_prefixes && !o->truncated; i++) {
		prefix_format(&s->prefixes[i], t, sizeof t);
		strbuf_printf(o, IND_SUB "- ");
		conf_put_text(o, t);
		strbuf_printf(o, "\n");
	}
	put_require(o, s->params.require);
	strbuf_printf(o, IND_SVC "on-failure: %s\n", s->params.degrade ? "degrade" : "withdraw");
	put_duration(o, IND_SVC, "drain-time", s->params.drain_time);
	put_duration(o, IND_SVC, "fail-static-time", s->params.fail_static_time);
	if (s->maintenance_file[0])
		conf_put_string(o, "maintenance-file", s->maintenance_file, IND_SVC);
	if (s->address.interface[0]) {
		strbuf_printf(o, IND_SVC "address:\n");
		conf_put_string(o, "interface", s->address.interface, IND_SUB);
		put_bool(o, IND_SUB, "manage", s->address.manage);
	}
	put_damping(o, &s->params.damp);
	strbuf_printf(o, IND_SVC "attributes:\n");
	put_attrs(o, "up", &s->attrs_up);
	put_attrs(o, "degraded", &s->attrs_degraded);
	put_attrs(o, "draining", &s->attrs_draining);
	put_list_head(o, IND_SVC, "checks", s->n_checks);
	for (size_t i = 0; i < s->n_checks && !o->truncated; i++)
		put_check(o, &s->checks[i]);
}
