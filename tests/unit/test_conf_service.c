/* conf/ service keys (issue 4): require, on-failure, drain-time,
 * maintenance-file, address, damping, per-state attributes and checks of
 * every type; their defaults, rejections, printing, reload diff and deep
 * copies.  The peer and top-level keys are in test_conf.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "testutil.h"

#define BASE "router-id: 198.51.100.2\nlocal-as: 64600\n"
#define SVC BASE "services:\n  - name: dns\n    prefixes: [203.0.113.53/32]\n"
#define CHECKS SVC "    checks:\n"

static struct conf *parse_ok(const char *yaml)
{
	struct conf *c = NULL;
	struct conf_error e;
	char msg[512];
	if (conf_parse(yaml, strlen(yaml), "t.yaml", &c, &e) < 0)
		fail_msg("unexpected error: %s", conf_error_format(&e, msg, sizeof msg));
	assert_non_null(c);
	return c;
}

static bool check_error(const char *yaml, const char *want)
{
	struct conf *c = (struct conf *)1;
	struct conf_error e;
	char msg[512];
	if (conf_parse(yaml, strlen(yaml), "t.yaml", &c, &e) == 0) {
		conf_free(c);
		print_message("accepted, want: %s\n--- input:\n%s\n", want, yaml);
		return false;
	}
	conf_error_format(&e, msg, sizeof msg);
	if (c != NULL || strcmp(msg, want) != 0) {
		print_message("got:  %s\nwant: %s\n--- input:\n%s\n", msg, want, yaml);
		return false;
	}
	return true;
}

static char *print(const struct conf *c)
{
	static char buf[1 << 17];
	struct strbuf sb;
	strbuf_init(&sb, buf, sizeof buf);
	conf_print(c, &sb);
	assert_false(sb.truncated);
	return buf;
}

/* Prints c, parses the text, prints again: same text, no difference. */
static void assert_reprints(const struct conf *c)
{
	char *first = strdup(print(c));
	assert_non_null(first);
	struct conf *again = parse_ok(first);
	assert_string_equal(print(again), first);
	struct conf_diff d;
	assert_int_equal(conf_diff(c, again, &d), 0);
	assert_int_equal(d.services_unchanged, c->n_services);
	conf_diff_clear(&d);
	conf_free(again);
	free(first);
}

static char *addr_text(const struct addr *a)
{
	static char t[ADDR_STRLEN];
	addr_format(a, t, sizeof t);
	return t;
}

static void service_keys(void **state)
{
	(void)state;
	struct conf *c = parse_ok(
		SVC "    require: any\n"
		"    on-failure: degrade\n"
		"    drain-time: 1500ms\n"
		"    maintenance-file: /etc/anycastd/dns.maintenance\n"
		"    address: {interface: lo, manage: true}\n"
		"    damping: {enabled: false, penalty: 10, suppress: 30, reuse: 20, half-life: 1s,"
		" max-suppress: 2s}\n"
		"    checks: [{type: tcp, target: '127.0.0.1:53'}]\n");
	const struct conf_service *s = &c->services[0];
	assert_int_equal(s->params.require, 1);
	assert_true(s->params.degrade);
	assert_int_equal(s->params.drain_time, MONOTIME_MS(1500));
	assert_string_equal(s->maintenance_file, "/etc/anycastd/dns.maintenance");
	assert_string_equal(s->address.interface, "lo");
	assert_true(s->address.manage);
	assert_false(s->params.damp.enabled);
	assert_true(s->params.damp.penalty == 10 && s->params.damp.suppress == 30 &&
		    s->params.damp.reuse == 20);
	assert_int_equal(s->params.damp.half_life, MONOTIME_S(1));
	assert_int_equal(s->params.damp.max_suppress, MONOTIME_S(2));
	assert_reprints(c);
	conf_free(c);
}

static void service_defaults(void **state)
{
	(void)state;
	struct conf *c = parse_ok(SVC);
	const struct conf_service *s = &c->services[0];
	struct damp_params d;
	damp_params_default(&d);
	assert_int_equal(s->params.require, 0);
	assert_false(s->params.degrade);
	assert_int_equal(s->params.drain_time, MONOTIME_S(30));
	assert_string_equal(s->maintenance_file, "");
	assert_string_equal(s->address.interface, "");
	assert_false(s->address.manage);
	assert_true(s->params.damp.enabled == d.enabled && s->params.damp.penalty == d.penalty &&
		    s->params.damp.suppress == d.suppress && s->params.damp.reuse == d.reuse &&
		    s->params.damp.half_life == d.half_life &&
		    s->params.damp.max_suppress == d.max_suppress);
	assert_int_equal(s->n_checks, 0);
	assert_null(s->checks);
	const struct conf_attrs *a[] = {&s->attrs_up, &s->attrs_degraded, &s->attrs_draining};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(a[i]->n_communities + a[i]->n_large + a[i]->prepend, 0);
		assert_false(a[i]->has_med || a[i]->has_local_pref);
	}
	conf_free(c);
	/* address without manage; drain-time 0s; require N */
	c = parse_ok(SVC "    address: {interface: eth0.100}\n    drain-time: 0s\n    require: 2\n"
			 "    checks: [{type: tcp, target: '127.0.0.1:1'}, {type: tcp, target: "
			 "'127.0.0.1:2'}]\n");
	assert_false(c->services[0].address.manage);
	assert_int_equal(c->services[0].params.drain_time, 0);
	assert_int_equal(c->services[0].params.require, 2);
	conf_free(c);
}

static void attributes(void **state)
{
	(void)state;
	struct conf *c = parse_ok(
		SVC "    attributes:\n"
		"      up: {communities: ['64600:100', no-export, '1:2'], large-communities: "
		"['1:2:3', '1:2:2', '0:4294967295:0'], med: 0, local-pref: 4294967295}\n"
		"      degraded: {prepend: 10}\n"
		"      draining: {communities: [graceful-shutdown, '65535:1', no-peer]}\n");
	const struct conf_service *s = &c->services[0];
	const struct conf_attrs *up = &s->attrs_up;
	assert_int_equal(up->n_communities, 3);
	assert_int_equal(up->communities[0], 0x00010002);
	assert_int_equal(up->communities[1], (64600u << 16) | 100);
	assert_int_equal(up->communities[2], BGP_COMM_NO_EXPORT);
	assert_int_equal(up->n_large, 3);
	assert_int_equal(up->large[0].global, 0);
	assert_int_equal(up->large[0].local1, 4294967295u);
	assert_int_equal(up->large[1].local2, 2);
	assert_int_equal(up->large[2].local2, 3);
	assert_true(up->has_med);
	assert_int_equal(up->med, 0);
	assert_true(up->has_local_pref);
	assert_int_equal(up->local_pref, 4294967295u);
	assert_int_equal(up->prepend, 0);
	assert_int_equal(s->attrs_degraded.prepend, 10);
	assert_false(s->attrs_degraded.has_med);
	/* GRACEFUL_SHUTDOWN is the daemon's to add while draining */
	assert_int_equal(s->attrs_draining.n_communities, 2);
	assert_int_equal(s->attrs_draining.communities[0], 0xffff0001u);
	assert_int_equal(s->attrs_draining.communities[1], BGP_COMM_NOPEER);
	assert_reprints(c);
	conf_free(c);
	/* 64 communities fit in up; 63 plus graceful-shutdown while draining */
	char y[8192];
	struct strbuf sb;
	strbuf_init(&sb, y, sizeof y);
	strbuf_printf(&sb, SVC "    attributes:\n      up: {communities: [");
	for (int i = 0; i < 64; i++)
		strbuf_printf(&sb, "'1:%d', ", i);
	strbuf_printf(&sb, "]}\n      draining: {communities: [graceful-shutdown");
	for (int i = 0; i < 63; i++)
		strbuf_printf(&sb, ", '2:%d'", i);
	strbuf_printf(&sb, "]}\n");
	c = parse_ok(y);
	assert_int_equal(c->services[0].attrs_up.n_communities, 64);
	assert_int_equal(c->services[0].attrs_draining.n_communities, 63);
	assert_reprints(c);
	conf_free(c);
}

static void check_defaults(void **state)
{
	(void)state;
	struct conf *c = parse_ok(CHECKS "      - {type: dns, query: example.com.}\n"
					 "      - {type: http, url: 'http://127.0.0.1/'}\n"
					 "      - {type: tcp, target: '[::1]:53'}\n"
					 "      - {type: exec, command: [/bin/true]}\n"
					 "      - {type: process, pidfile: /run/x.pid}\n");
	const struct conf_service *s = &c->services[0];
	assert_int_equal(s->n_checks, 5);
	static const char *const names[] = {"dns", "http", "tcp", "exec", "process"};
	for (size_t i = 0; i < 5; i++) {
		const struct check_params *p = &s->checks[i].params;
		assert_string_equal(s->checks[i].name, names[i]);
		assert_int_equal(p->rise, 3);
		assert_int_equal(p->fall, 2);
		assert_int_equal(p->interval, MONOTIME_S(1));
		assert_int_equal(p->fast_interval, MONOTIME_MS(250));
		assert_int_equal(p->timeout, MONOTIME_S(1));
		assert_int_equal(p->max_age, 0);
		assert_int_equal(p->jitter_pct, 10);
	}
	const struct probe_dns *dns = &s->checks[0].u.dns;
	assert_int_equal(s->checks[0].type, PROBE_DNS);
	assert_string_equal(addr_text(&dns->server), "127.0.0.1");
	assert_int_equal(dns->port, 53);
	assert_string_equal(dns->qname, "example.com.");
	assert_int_equal(dns->qtype, 1);
	assert_int_equal(dns->expect_rcode, 0);
	const struct probe_http *http = &s->checks[1].u.http;
	assert_int_equal(s->checks[1].type, PROBE_HTTP);
	assert_string_equal(http->url, "http://127.0.0.1/");
	assert_int_equal(http->expect_status, 200);
	assert_string_equal(http->expect_body, "");
	assert_string_equal(http->host, "");
	assert_true(http->verify_tls);
	const struct probe_tcp *tcp = &s->checks[2].u.tcp;
	assert_int_equal(s->checks[2].type, PROBE_TCP);
	assert_string_equal(addr_text(&tcp->addr), "::1");
	assert_int_equal(tcp->port, 53);
	assert_string_equal(tcp->send, "");
	assert_string_equal(tcp->expect, "");
	const struct probe_exec *ex = &s->checks[3].u.exec;
	assert_int_equal(s->checks[3].type, PROBE_EXEC);
	assert_int_equal(ex->argc, 1);
	assert_string_equal(ex->argv[0], "/bin/true");
	assert_null(ex->argv[1]);
	assert_string_equal(ex->user, "");
	assert_int_equal(s->checks[4].type, PROBE_PROCESS);
	assert_string_equal(s->checks[4].u.process.pidfile, "/run/x.pid");
	assert_string_equal(s->checks[4].u.process.unit, "");
	assert_reprints(c);
	conf_free(c);
}

static void check_every_key(void **state)
{
	(void)state;
	struct conf *c = parse_ok(
		CHECKS "      - {type: dns, name: d, server: '[2001:db8::53]:5353', query: ., qtype: TYPE65,"
		" expect-rcode: any, interval: 100ms, fast-interval: 20ms, timeout: 80ms, rise: 1,"
		" fall: 100, max-age: 1s, jitter: 50}\n"
		"      - {type: http, url: 'https://h.example/x', expect-status: 599, expect-body: ok,"
		" host: h.example, verify-tls: false}\n"
		"      - {type: tcp, target: '192.0.2.1:65535', send: \"a\\r\\n\", expect: b}\n"
		"      - {type: exec, command: [/bin/sh, -c, '', 'exit 0'], user: nobody}\n"
		"      - {type: process, unit: nsd.service}\n");
	const struct conf_service *s = &c->services[0];
	const struct probe_spec *d = &s->checks[0];
	assert_string_equal(d->name, "d");
	assert_string_equal(addr_text(&d->u.dns.server), "2001:db8::53");
	assert_int_equal(d->u.dns.port, 5353);
	assert_string_equal(d->u.dns.qname, ".");
	assert_int_equal(d->u.dns.qtype, 65);
	assert_int_equal(d->u.dns.expect_rcode, -1);
	assert_int_equal(d->params.interval, MONOTIME_MS(100));
	assert_int_equal(d->params.fast_interval, MONOTIME_MS(20));
	assert_int_equal(d->params.timeout, MONOTIME_MS(80));
	assert_int_equal(d->params.rise, 1);
	assert_int_equal(d->params.fall, 100);
	assert_int_equal(d->params.max_age, MONOTIME_S(1));
	assert_int_equal(d->params.jitter_pct, 50);
	assert_int_equal(s->checks[1].u.http.expect_status, 599);
	assert_string_equal(s->checks[1].u.http.expect_body, "ok");
	assert_string_equal(s->checks[1].u.http.host, "h.example");
	assert_false(s->checks[1].u.http.verify_tls);
	assert_int_equal(s->checks[2].u.tcp.port, 65535);
	assert_string_equal(s->checks[2].u.tcp.send, "a\r\n");
	assert_string_equal(s->checks[2].u.tcp.expect, "b");
	const struct probe_exec *ex = &s->checks[3].u.exec;
	assert_int_equal(ex->argc, 4);
	assert_string_equal(ex->argv[2], "");
	assert_string_equal(ex->argv[3], "exit 0");
	assert_null(ex->argv[4]);
	assert_string_equal(ex->user, "nobody");
	assert_string_equal(s->checks[4].u.process.unit, "nsd.service");
	assert_reprints(c);
	conf_free(c);
}

static void check_timing_defaults(void **state)
{
	(void)state;
	static const struct {
		const char *keys;
		int64_t interval, fast, timeout;
	} cases[] = {
		{"interval: 100ms", 100, 25, 100},
		{"interval: 20ms", 20, 10, 20},    /* a quarter, but at least 10ms */
		{"interval: 10ms", 10, 10, 10},
		{"interval: 1001ms", 1001, 250, 1001}, /* whole milliseconds */
		{"interval: 2s, timeout: 2s, fast-interval: 2s", 2000, 2000, 2000},
		{"timeout: 1ms, fast-interval: 10ms", 1000, 10, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char y[512];
		snprintf(y, sizeof y, CHECKS "      - {type: tcp, target: '127.0.0.1:1', %s}\n",
			 cases[i].keys);
		struct conf *c = parse_ok(y);
		const struct check_params *p = &c->services[0].checks[0].params;
		if (p->interval != MONOTIME_MS(cases[i].interval) ||
		    p->fast_interval != MONOTIME_MS(cases[i].fast) ||
		    p->timeout != MONOTIME_MS(cases[i].timeout))
			fail_msg("%s: %lld %lld %lld", cases[i].keys, (long long)p->interval,
				 (long long)p->fast_interval, (long long)p->timeout);
		assert_reprints(c);
		conf_free(c);
	}
}

static void check_names(void **state)
{
	(void)state;
	/* unnamed checks take their type, then type2, type3 ... skipping names
	 * given explicitly, wherever they are */
	struct conf *c = parse_ok(CHECKS "      - {type: tcp, target: '127.0.0.1:1'}\n"
					 "      - {type: tcp, target: '127.0.0.1:2'}\n"
					 "      - {type: tcp, target: '127.0.0.1:3', name: tcp2}\n"
					 "      - {type: tcp, target: '127.0.0.1:4'}\n"
					 "      - {type: dns, query: a., name: tcp}\n"
					 "      - {type: dns, query: b.}\n");
	static const char *const want[] = {"tcp3", "tcp4", "tcp2", "tcp5", "tcp", "dns"};
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(c->services[0].checks[i].name, want[i]);
	assert_reprints(c);
	conf_free(c);
}

struct bad {
	const char *yaml;
	const char *error;
};

#define TCP "      - {type: tcp, target: '127.0.0.1:1'"
static const struct bad bad_cases[] = {
	/* service keys */
	{SVC "    require: 0\n", "t.yaml:6:14: services[0].require: 0 is out of range (1..64)"},
	{SVC "    require: 65\n", "t.yaml:6:14: services[0].require: 65 is out of range (1..64)"},
	{SVC "    require: \"2\"\n",
	 "t.yaml:6:14: services[0].require: expected all, any or a number of checks, got '2'"},
	{SVC "    require: [all]\n",
	 "t.yaml:6:14: services[0].require: expected all, any or a number of checks, got a list"},
	{SVC "    require: 1\n", "t.yaml:6:14: services[0].require: the service has no checks to require"},
	{SVC "    require: 2\n    checks: [{type: tcp, target: '127.0.0.1:1'}]\n",
	 "t.yaml:6:14: services[0].require: 2 checks required, but the service has only 1"},
	{SVC "    on-failure: Degrade\n",
	 "t.yaml:6:17: services[0].on-failure: expected withdraw or degrade, got 'Degrade'"},
	{SVC "    drain-time: -1s\n", "t.yaml:6:17: services[0].drain-time: invalid duration '-1s' "
				      "(expected digits and a unit: ms, s or m)"},
	{SVC "    maintenance-file: ''\n",
	 "t.yaml:6:23: services[0].maintenance-file: expected an absolute path, got ''"},
	{SVC "    maintenance-file: /0123456789012345678901234567890123456789012345678901234567890123"
	     "456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
	     "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456"
	     "7890123456789012345\n",
	 "t.yaml:6:23: services[0].maintenance-file: an absolute path is 257 bytes long; at most 255 "
	 "are allowed"},
	{SVC "    mainteance-file: /x\n",
	 "t.yaml:6:5: services[0]: unknown key 'mainteance-file' (did you mean 'maintenance-file'?)"},
	{SVC "    address: lo\n",
	 "t.yaml:6:14: services[0].address: expected a mapping with interface and manage, got 'lo'"},
	{SVC "    address: {interface: 'a/b'}\n",
	 "t.yaml:6:26: services[0].address.interface: invalid interface name 'a/b'"},
	{SVC "    address: {interface: '..'}\n",
	 "t.yaml:6:26: services[0].address.interface: invalid interface name '..'"},
	{SVC "    address: {interface: 'a b'}\n",
	 "t.yaml:6:26: services[0].address.interface: invalid interface name 'a b'"},
	{SVC "    address: {interface: lo, manage: yes}\n",
	 "t.yaml:6:38: services[0].address.manage: expected true or false, got 'yes'"},
	/* damping */
	{SVC "    damping: true\n", "t.yaml:6:14: services[0].damping: expected a mapping, got 'true'"},
	{SVC "    damping: {penalty: 0}\n",
	 "t.yaml:6:24: services[0].damping.penalty: 0 is out of range (1..1000000)"},
	{SVC "    damping: {suppress: 1000001}\n",
	 "t.yaml:6:25: services[0].damping.suppress: 1000001 is out of range (1..1000000)"},
	{SVC "    damping: {reuse: 1500}\n",
	 "t.yaml:6:22: services[0].damping.reuse: reuse 1500 must be below suppress 1500"},
	{SVC "    damping: {max-suppress: 0s}\n",
	 "t.yaml:6:29: services[0].damping.max-suppress: max-suppress must be longer than 0s"},
	{SVC "    damping: {max-suppress: 14m}\n",
	 "t.yaml:6:29: services[0].damping.max-suppress: max-suppress 14m must be at least half-life "
	 "15m"},
	{SVC "    damping: {suppress: 1501, half-life: 1m, max-suppress: 1m}\n",
	 "t.yaml:6:60: services[0].damping.max-suppress: the penalty never reaches suppress 1501: it "
	 "is capped at reuse x 2^(max-suppress / half-life) = 1500; raise max-suppress or lower "
	 "suppress"},
	{SVC "    damping: {suppress: 12001}\n",
	 "t.yaml:6:25: services[0].damping.suppress: the penalty never reaches suppress 12001: it is "
	 "capped at reuse x 2^(max-suppress / half-life) = 12000; raise max-suppress or lower "
	 "suppress"},
	/* attributes */
	{SVC "    attributes: []\n", "t.yaml:6:17: services[0].attributes: expected a mapping with up, "
				    "degraded and/or draining, got a list"},
	{SVC "    attributes: {up: []}\n",
	 "t.yaml:6:22: services[0].attributes.up: expected a mapping of attributes, got a list"},
	{SVC "    attributes: {up: {communities: no-export}}\n",
	 "t.yaml:6:36: services[0].attributes.up.communities: expected a list, got 'no-export'"},
	{SVC "    attributes: {up: {communities: ['1:65536']}}\n",
	 "t.yaml:6:37: services[0].attributes.up.communities[0]: expected a community such as "
	 "64600:100 (ASN:VALUE, each 0..65535) or a well-known name such as no-export, got '1:65536'"},
	{SVC "    attributes: {up: {communities: ['01:1']}}\n",
	 "t.yaml:6:37: services[0].attributes.up.communities[0]: expected a community such as "
	 "64600:100 (ASN:VALUE, each 0..65535) or a well-known name such as no-export, got '01:1'"},
	{SVC "    attributes: {up: {communities: [NO-EXPORT]}}\n",
	 "t.yaml:6:37: services[0].attributes.up.communities[0]: expected a community such as "
	 "64600:100 (ASN:VALUE, each 0..65535) or a well-known name such as no-export, got "
	 "'NO-EXPORT'"},
	{SVC "    attributes: {up: {communities: ['1:2', '1:2']}}\n",
	 "t.yaml:6:44: services[0].attributes.up.communities[1]: duplicate community '1:2' (first at "
	 "line 6)"},
	{SVC "    attributes: {up: {communities: [blackhole, '65535:666']}}\n",
	 "t.yaml:6:48: services[0].attributes.up.communities[1]: duplicate community '65535:666' "
	 "(blackhole, first at line 6)"},
	{SVC "    attributes: {draining: {communities: ['65535:0', graceful-shutdown]}}\n",
	 "t.yaml:6:54: services[0].attributes.draining.communities[1]: duplicate community "
	 "'graceful-shutdown' (65535:0, first at line 6)"},
	{SVC "    attributes: {up: {large-communities: ['1:2:4294967296']}}\n",
	 "t.yaml:6:43: services[0].attributes.up.large-communities[0]: expected a large community "
	 "such as 64600:1:2 (GLOBAL:LOCAL1:LOCAL2, each 0..4294967295), got '1:2:4294967296'"},
	{SVC "    attributes: {up: {large-communities: ['1:2:3', '1:2:3']}}\n",
	 "t.yaml:6:52: services[0].attributes.up.large-communities[1]: duplicate large community "
	 "'1:2:3' (first at line 6)"},
	{SVC "    attributes: {up: {med: -1}}\n",
	 "t.yaml:6:28: services[0].attributes.up.med: expected a number in 0..4294967295, got '-1'"},
	{SVC "    attributes: {up: {local-pref: 4294967296}}\n",
	 "t.yaml:6:35: services[0].attributes.up.local-pref: 4294967296 is out of range "
	 "(0..4294967295)"},
	{SVC "    attributes: {up: {as-path-prepend: 1}}\n",
	 "t.yaml:6:23: services[0].attributes.up: unknown key 'as-path-prepend'"},
	{SVC "    attributes: {up: {}, up: {}}\n",
	 "t.yaml:6:26: services[0].attributes: duplicate key 'up' (first at line 6)"},
	/* checks: structure and common keys */
	{SVC "    checks:\n", "t.yaml:6:12: services[0].checks: expected a list, got an empty value "
				"(write [] for none)"},
	{CHECKS "      - tcp\n", "t.yaml:7:9: services[0].checks[0]: expected a mapping (one check), "
				   "got 'tcp'"},
	{CHECKS "      - {type: [tcp]}\n",
	 "t.yaml:7:16: services[0].checks[0].type: expected a check type, got a list"},
	{CHECKS "      - {type: TCP}\n",
	 "t.yaml:7:16: services[0].checks[0].type: unknown check type 'TCP' (dns, http, tcp, exec or "
	 "process)"},
	{CHECKS TCP ", name: 'a b'}\n", "t.yaml:7:50: services[0].checks[0].name: invalid name 'a b' "
					"(letters, digits, '_', '.' and '-' only)"},
	{CHECKS TCP ", interval: 1s, interval: 2s}\n",
	 "t.yaml:7:58: services[0].checks[0]: duplicate key 'interval' (first at line 7)"},
	{CHECKS TCP ", timeout: 0s}\n",
	 "t.yaml:7:53: services[0].checks[0].timeout: '0s' is too short (at least 1ms)"},
	{CHECKS TCP ", fast-interval: 9ms}\n",
	 "t.yaml:7:59: services[0].checks[0].fast-interval: '9ms' is too short (at least 10ms)"},
	{CHECKS TCP ", interval: 100ms, timeout: 101ms}\n",
	 "t.yaml:7:70: services[0].checks[0].timeout: timeout 101ms is longer than interval 100ms"},
	{CHECKS TCP ", timeout: 1001ms}\n",
	 "t.yaml:7:53: services[0].checks[0].timeout: timeout 1001ms is longer than interval 1s"},
	{CHECKS TCP ", max-age: 2s}\n",
	 "t.yaml:7:53: services[0].checks[0].max-age: max-age 2s must be longer than interval + timeout "
	 "(2s): results may come that far apart"},
	{CHECKS TCP ", rise: 1.5}\n",
	 "t.yaml:7:50: services[0].checks[0].rise: expected a number in 1..100, got '1.5'"},
	/* a key of another type: the first in the file is named */
	{CHECKS TCP ", user: x, query: a.}\n",
	 "t.yaml:7:44: services[0].checks[0]: key 'user' does not apply to tcp checks (it is for exec "
	 "checks)"},
	{CHECKS "      - {query: a., type: http, url: 'http://x/'}\n",
	 "t.yaml:7:10: services[0].checks[0]: key 'query' does not apply to http checks (it is for dns "
	 "checks)"},
	{CHECKS "      - {type: tcp, target: '127.0.0.1:1', command: [/bin/true]}\n",
	 "t.yaml:7:44: services[0].checks[0]: key 'command' does not apply to tcp checks (it is for "
	 "exec checks)"},
	{CHECKS TCP ", name: x}\n" TCP ", name: tcp}\n" TCP ", name: x}\n",
	 "t.yaml:9:50: services[0].checks[2].name: duplicate check name 'x' (first at line 7)"},
	/* dns */
	{CHECKS "      - {type: dns, query: example..com.}\n",
	 "t.yaml:7:28: services[0].checks[0].query: query 'example..com.' has an empty label"},
	{CHECKS "      - {type: dns, query: .example.}\n",
	 "t.yaml:7:28: services[0].checks[0].query: query '.example.' has an empty label"},
	{CHECKS "      - {type: dns, query: 'a b.'}\n",
	 "t.yaml:7:28: services[0].checks[0].query: query 'a b.' has a character other than letters, "
	 "digits, '-', '_' and dots"},
	{CHECKS "      - {type: dns, query: "
		"a0123456789012345678901234567890123456789012345678901234567890123.}\n",
	 "t.yaml:7:28: services[0].checks[0].query: query 'a012345678901234567890123456789012345678..."
	 "' has a label longer than 63 characters"},
	{CHECKS "      - {type: dns, query: 'a b'}\n",
	 "t.yaml:7:28: services[0].checks[0].query: query 'a b' is not absolute: it must end with a "
	 "dot"},
	{CHECKS "      - {type: dns, query: a., qtype: TYPE0}\n",
	 "t.yaml:7:39: services[0].checks[0].qtype: expected a DNS type such as A, AAAA, SOA or "
	 "TYPE65, got 'TYPE0'"},
	{CHECKS "      - {type: dns, query: a., qtype: TYPE65536}\n",
	 "t.yaml:7:39: services[0].checks[0].qtype: expected a DNS type such as A, AAAA, SOA or "
	 "TYPE65, got 'TYPE65536'"},
	{CHECKS "      - {type: dns, query: a., server: '0.0.0.0'}\n",
	 "t.yaml:7:40: services[0].checks[0].server: the unspecified address 0.0.0.0 is not allowed"},
	{CHECKS "      - {type: dns, query: a., server: 'localhost:53'}\n",
	 "t.yaml:7:40: services[0].checks[0].server: expected an address, ADDRESS:PORT or "
	 "[IPv6]:PORT, got 'localhost:53' (not an address)"},
	{CHECKS "      - {type: dns, query: a., server: '127.0.0.1:0'}\n",
	 "t.yaml:7:40: services[0].checks[0].server: expected an address, ADDRESS:PORT or "
	 "[IPv6]:PORT, got '127.0.0.1:0' (the port is not a number in 1..65535)"},
	{CHECKS "      - {type: dns, query: a., server: '[127.0.0.1]:53'}\n",
	 "t.yaml:7:40: services[0].checks[0].server: expected an address, ADDRESS:PORT or "
	 "[IPv6]:PORT, got '[127.0.0.1]:53' (not an address)"},
	/* tcp */
	{CHECKS "      - {type: tcp}\n",
	 "t.yaml:7:9: services[0].checks[0]: missing required key 'target' (tcp checks need it)"},
	{CHECKS "      - {type: tcp, target: '2001:db8::1:53'}\n",
	 "t.yaml:7:29: services[0].checks[0].target: expected ADDRESS:PORT such as 127.0.0.1:443 or "
	 "[::1]:443, got '2001:db8::1:53' (an IPv6 address with a port is written [ADDRESS]:PORT)"},
	{CHECKS "      - {type: tcp, target: '[::1]'}\n",
	 "t.yaml:7:29: services[0].checks[0].target: expected ADDRESS:PORT such as 127.0.0.1:443 or "
	 "[::1]:443, got '[::1]' (the port is missing)"},
	{CHECKS "      - {type: tcp, target: '[::1]:'}\n",
	 "t.yaml:7:29: services[0].checks[0].target: expected ADDRESS:PORT such as 127.0.0.1:443 or "
	 "[::1]:443, got '[::1]:' (the port is not a number in 1..65535)"},
	{CHECKS TCP ", send: ''}\n", "t.yaml:7:50: services[0].checks[0].send: expected a string, got ''"},
	/* http */
	{CHECKS "      - {type: http, url: 'http://a b/'}\n",
	 "t.yaml:7:27: services[0].checks[0].url: URL 'http://a b/' has spaces, control or non-ASCII "
	 "characters (percent-encode them)"},
	{CHECKS "      - {type: http, url: 'http://'}\n",
	 "t.yaml:7:27: services[0].checks[0].url: URL 'http://' has no host"},
	{CHECKS "      - {type: http, url: 'http:/x'}\n",
	 "t.yaml:7:27: services[0].checks[0].url: expected an http:// or https:// URL, got 'http:/x'"},
	{CHECKS "      - {type: http, url: 'http://x/', expect-status: 99}\n",
	 "t.yaml:7:55: services[0].checks[0].expect-status: 99 is out of range (100..599)"},
	{CHECKS "      - {type: http, url: 'http://x/', verify-tls: 1}\n",
	 "t.yaml:7:52: services[0].checks[0].verify-tls: expected true or false, got '1'"},
	/* exec */
	{CHECKS "      - {type: exec, command: /bin/true}\n",
	 "t.yaml:7:31: services[0].checks[0].command: expected a list, got '/bin/true'"},
	{CHECKS "      - {type: exec, command: ['']}\n",
	 "t.yaml:7:32: services[0].checks[0].command[0]: expected an absolute path, got ''"},
	{CHECKS "      - {type: exec, command: [/bin/x, [a]]}\n",
	 "t.yaml:7:40: services[0].checks[0].command[1]: expected an argument, got a list"},
	{CHECKS "      - {type: exec, command: [/bin/x, ~]}\n",
	 "t.yaml:7:40: services[0].checks[0].command[1]: expected an argument, got an empty value"},
	{CHECKS "      - {type: exec, command: [/bin/x], user: 'a b'}\n",
	 "t.yaml:7:47: services[0].checks[0].user: invalid user name 'a b' (letters, digits, '_', '.' "
	 "and '-', not first)"},
	{CHECKS "      - {type: exec}\n",
	 "t.yaml:7:9: services[0].checks[0]: missing required key 'command' (exec checks need it)"},
	/* process */
	{CHECKS "      - {type: process, pidfile: run/x.pid}\n",
	 "t.yaml:7:34: services[0].checks[0].pidfile: expected an absolute path, got 'run/x.pid'"},
	{CHECKS "      - {type: process, pidfile: /x, unit: x.service}\n",
	 "t.yaml:7:44: services[0].checks[0].unit: pidfile and unit cannot be used together"},
	{CHECKS "      - {type: process, unit: 'a b.service'}\n",
	 "t.yaml:7:31: services[0].checks[0].unit: invalid unit name 'a b.service'"},
	{CHECKS "      - {type: process, unit: .service}\n",
	 "t.yaml:7:31: services[0].checks[0].unit: unit '.service' is not a service unit (only those "
	 "have a main process): write it as NAME.service"},
};

static void rejections(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		failed += !check_error(bad_cases[i].yaml, bad_cases[i].error);
	assert_int_equal(failed, 0);
}

/* Builds "PREFIX item0, item1, ... SUFFIX" with n items: "HEAD<i>TAIL". */
static const char *many(const char *prefix, const char *head, const char *tail, int n,
			const char *suffix)
{
	static char y[1 << 16];
	struct strbuf sb;
	strbuf_init(&sb, y, sizeof y);
	strbuf_printf(&sb, "%s", prefix);
	for (int i = 0; i < n; i++)
		strbuf_printf(&sb, "%s%s%d%s", i ? ", " : "", head, i, tail);
	strbuf_printf(&sb, "%s", suffix);
	assert_false(sb.truncated);
	return y;
}

static void limits(void **state)
{
	(void)state;
	size_t failed = 0;
	/* 64 checks fit, the 65th does not */
	struct conf *c = parse_ok(many(SVC "    checks: [", "{type: tcp, target: '127.0.0.1:1", "'}", 64, "]\n"));
	assert_int_equal(c->services[0].n_checks, 64);
	assert_string_equal(c->services[0].checks[63].name, "tcp64");
	conf_free(c);
	failed += !check_error(many(SVC "    checks: [", "{type: tcp, target: '127.0.0.1:1", "'}", 65, "]\n"),
			       "t.yaml:6:2436: services[0].checks[64]: too many checks (at most 64 per "
			       "service)");
	failed += !check_error(many(SVC "    attributes: {up: {communities: [", "'1:", "'", 65, "]}}\n"),
			       "t.yaml:6:539: services[0].attributes.up.communities[64]: too many "
			       "communities (at most 64)");
	failed += !check_error(many(SVC "    attributes: {draining: {communities: [", "'1:", "'", 64, "]}}\n"),
			       "t.yaml:6:42: services[0].attributes.draining.communities: too many "
			       "communities (at most 63 while draining: graceful-shutdown is added to "
			       "them)");
	failed += !check_error(many(SVC "    attributes: {up: {large-communities: [", "'1:1:", "'", 33, "]}}\n"),
			       "t.yaml:6:353: services[0].attributes.up.large-communities[32]: too many "
			       "large communities (at most 32)");
	/* a 253-character name (plus the dot) is the longest */
	char label[64];
	memset(label, 'a', 63);
	label[63] = '\0';
	char y[2048];
	snprintf(y, sizeof y, CHECKS "      - {type: dns, query: %s.%s.%s.%.61s.}\n", label, label,
		 label, label);
	c = parse_ok(y);
	assert_int_equal(strlen(c->services[0].checks[0].u.dns.qname), 254);
	conf_free(c);
	snprintf(y, sizeof y, CHECKS "      - {type: dns, query: %s.%s.%s.%.62s.}\n", label, label,
		 label, label);
	failed += !check_error(y, "t.yaml:7:28: services[0].checks[0].query: query "
				  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is longer than 253 "
				  "characters");
	/* URLs up to 1023 bytes; arguments up to 1024 */
	char url[1100];
	memset(url, 'a', sizeof url);
	memcpy(url, "http://", 7);
	url[1023] = '\0';
	snprintf(y, sizeof y, CHECKS "      - {type: http, url: '%s'}\n", url);
	c = parse_ok(y);
	conf_free(c);
	url[1023] = 'a';
	url[1024] = '\0';
	snprintf(y, sizeof y, CHECKS "      - {type: http, url: '%s'}\n", url);
	failed += !check_error(y, "t.yaml:7:27: services[0].checks[0].url: a URL is 1024 bytes long; "
				  "at most 1023 are allowed");
	memset(url, 'a', sizeof url);
	url[1025] = '\0';
	snprintf(y, sizeof y, CHECKS "      - {type: exec, command: [/x, %s]}\n", url);
	failed += !check_error(y, "t.yaml:7:36: services[0].checks[0].command[1]: the argument is 1025 "
				  "bytes long; at most 1024 are allowed");
	assert_int_equal(failed, 0);
}

static void values(void **state)
{
	(void)state;
	char t[64];
	uint32_t comm;
	struct bgp_large_community lc;
	static const char *const comms[] = {"0:0", "65535:65535", "64600:100", "graceful-shutdown",
					    "no-export", "no-advertise", "no-export-subconfed",
					    "blackhole", "no-peer"};
	for (size_t i = 0; i < sizeof comms / sizeof comms[0]; i++) {
		assert_true(conf_community_parse(comms[i], &comm));
		conf_community_format(comm, t, sizeof t);
		assert_string_equal(t, comms[i]);
	}
	assert_true(conf_community_parse("65535:0", &comm));
	assert_int_equal(comm, BGP_COMM_GRACEFUL_SHUTDOWN);
	static const char *const bad_comms[] = {"", ":", "1:", ":1", "1:2:3", "65536:0", "-1:0",
						"1 :2", "0x1:2", "00:1", "accept-own"};
	for (size_t i = 0; i < sizeof bad_comms / sizeof bad_comms[0]; i++)
		if (conf_community_parse(bad_comms[i], &comm))
			fail_msg("accepted community '%s'", bad_comms[i]);
	assert_true(conf_large_community_parse("4294967295:0:1", &lc));
	conf_large_community_format(&lc, t, sizeof t);
	assert_string_equal(t, "4294967295:0:1");
	static const char *const bad_large[] = {"", "1:2", "1:2:3:4", "1::3", "4294967296:0:0", "a:b:c"};
	for (size_t i = 0; i < sizeof bad_large / sizeof bad_large[0]; i++)
		if (conf_large_community_parse(bad_large[i], &lc))
			fail_msg("accepted large community '%s'", bad_large[i]);
	uint16_t qt;
	assert_true(conf_qtype_parse("aaaa", &qt) && qt == 28);
	assert_true(conf_qtype_parse("Type28", &qt) && qt == 28);
	assert_true(conf_qtype_parse("TYPE65535", &qt) && qt == 65535);
	assert_false(conf_qtype_parse("TYPE", &qt) || conf_qtype_parse("TYPE01", &qt) ||
		     conf_qtype_parse("AXFR", &qt));
	conf_qtype_format(6, t, sizeof t);
	assert_string_equal(t, "SOA");
	conf_qtype_format(99, t, sizeof t);
	assert_string_equal(t, "TYPE99");
	int rc;
	assert_true(conf_rcode_parse("servfail", &rc) && rc == 2);
	assert_true(conf_rcode_parse("ANY", &rc) && rc == -1);
	assert_false(conf_rcode_parse("FORMERR", &rc));
	assert_string_equal(conf_rcode_name(5), "REFUSED");
	assert_null(conf_rcode_name(9));
	assert_string_equal(conf_probe_type_name(PROBE_PROCESS), "process");
	assert_string_equal(conf_probe_type_name(0), "?");
	struct addr a;
	uint16_t port = 7;
	assert_null(conf_endpoint_parse("::1", false, &a, &port));
	assert_int_equal(port, 7);
	assert_null(conf_endpoint_parse("[2001:db8::1]:853", true, &a, &port));
	conf_endpoint_format(&a, port, t, sizeof t);
	assert_string_equal(t, "[2001:db8::1]:853");
	assert_null(conf_endpoint_parse("192.0.2.1:65535", true, &a, &port));
	conf_endpoint_format(&a, port, t, sizeof t);
	assert_string_equal(t, "192.0.2.1:65535");
	static const char *const bad_ep[] = {"", ":53", "[::1", "[::1]x", "[::1]:", "1.2.3.4:",
					     "1.2.3.4:65536", "1.2.3.4:053", "[]:53", "1.2.3.4: 53"};
	for (size_t i = 0; i < sizeof bad_ep / sizeof bad_ep[0]; i++)
		if (!conf_endpoint_parse(bad_ep[i], false, &a, &port))
			fail_msg("accepted endpoint '%s'", bad_ep[i]);
	assert_non_null(conf_endpoint_parse("1.2.3.4", true, &a, &port));
}

#define DIFF_PFX "services:\n  - name: dns\n    prefixes: "
#define DIFF_CHECKS                                                                      \
	"    checks:\n"                                                                  \
	"      - {type: dns, query: example.com., interval: 1s}\n"                       \
	"      - {type: exec, command: [/bin/check, a]}\n"
#define DIFF_ATTRS "    attributes: {up: {communities: ['1:1', '1:2']}}\n"
#define DIFF_OLD BASE DIFF_PFX "[203.0.113.53/32]\n" DIFF_CHECKS DIFF_ATTRS

/* Diffs DIFF_OLD against the service with prefixes pfx (NULL: the same)
 * and the other keys in tail; returns the `what` bits (0: unchanged). */
static unsigned what_of(const char *pfx, const char *tail)
{
	char y[4096];
	struct conf_diff d;
	snprintf(y, sizeof y, BASE DIFF_PFX "%s\n%s", pfx ? pfx : "[203.0.113.53/32]", tail);
	struct conf *o = parse_ok(DIFF_OLD), *n = parse_ok(y);
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.services_changed + d.services_unchanged, 1);
	unsigned what = d.new_services[0].what;
	assert_int_equal(d.old_services[0].what, what);
	assert_int_equal(d.new_services[0].change, what ? CONF_CHANGED : CONF_UNCHANGED);
	conf_diff_clear(&d);
	conf_free(o);
	conf_free(n);
	return what;
}

static void diff_what(void **state)
{
	(void)state;
	/* the same, written differently: defaults explicit, other order */
	assert_int_equal(
		what_of(NULL,
			"    attributes: {up: {communities: ['1:2', '1:1'], prepend: 0}, degraded: {}}\n"
			"    require: all\n    drain-time: 30000ms\n    damping: {half-life: 15m}\n"
			"    checks:\n"
			"      - {type: dns, name: dns, query: example.com., qtype: type1, server: "
			"'127.0.0.1:53', fast-interval: 250ms}\n"
			"      - {type: exec, command: [/bin/check, a], jitter: 10}\n"),
		0);
	static const struct {
		const char *pfx, *tail;
		unsigned what;
	} cases[] = {
		{"[203.0.113.54/32, 203.0.113.53/32]", DIFF_CHECKS DIFF_ATTRS, CONF_SVC_PREFIXES},
		{NULL, "    checks:\n      - {type: dns, query: example.com., interval: 2s}\n"
		       "      - {type: exec, command: [/bin/check, a]}\n" DIFF_ATTRS, CONF_SVC_CHECKS},
		{NULL, "    checks:\n      - {type: dns, query: example.com.}\n"
		       "      - {type: exec, command: [/bin/check, b]}\n" DIFF_ATTRS, CONF_SVC_CHECKS},
		{NULL, "    checks:\n      - {type: dns, query: example.com.}\n"
		       "      - {type: exec, command: [/bin/check, a], name: x}\n" DIFF_ATTRS,
		 CONF_SVC_CHECKS},
		{NULL, "    checks:\n      - {type: exec, command: [/bin/check, a]}\n"
		       "      - {type: dns, query: example.com.}\n" DIFF_ATTRS, CONF_SVC_CHECKS},
		{NULL, "    checks:\n      - {type: dns, query: example.com.}\n" DIFF_ATTRS,
		 CONF_SVC_CHECKS},
		{NULL, "    checks:\n      - {type: dns, query: example.com., interval: 1s}\n"
		       "      - {type: exec, command: [/bin/check, a], dependency: true}\n" DIFF_ATTRS,
		 CONF_SVC_CHECKS},
		{NULL, DIFF_CHECKS "    attributes: {up: {communities: ['1:1']}}\n", CONF_SVC_ATTRS},
		{NULL, DIFF_CHECKS "    attributes: {up: {communities: ['1:1', '1:2']}, draining: "
				   "{med: 0}}\n", CONF_SVC_ATTRS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    require: any\n", CONF_SVC_PARAMS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    on-failure: degrade\n", CONF_SVC_PARAMS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    drain-time: 0s\n", CONF_SVC_PARAMS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    fail-static-time: 1m\n", CONF_SVC_PARAMS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    damping: {enabled: false}\n", CONF_SVC_PARAMS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    address: {interface: lo}\n", CONF_SVC_ADDRESS},
		{NULL, DIFF_CHECKS DIFF_ATTRS "    maintenance-file: /m\n", CONF_SVC_MAINTENANCE},
		{"[203.0.113.54/32]", "    maintenance-file: /m\n    address: {interface: lo}\n",
		 CONF_SVC_PREFIXES | CONF_SVC_CHECKS | CONF_SVC_ATTRS | CONF_SVC_MAINTENANCE |
			 CONF_SVC_ADDRESS},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned got = what_of(cases[i].pfx, cases[i].tail);
		if (got != cases[i].what)
			fail_msg("case %zu: what 0x%x, want 0x%x", i, got, cases[i].what);
	}
	/* peers never carry `what` */
	struct conf *o = parse_ok(BASE "peers: [{name: a, address: 192.0.2.1, remote-as: 1}]\n");
	struct conf *n = parse_ok(BASE "peers: [{name: a, address: 192.0.2.1, remote-as: 2}]\n");
	struct conf_diff d;
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.new_peers[0].change, CONF_CHANGED);
	assert_int_equal(d.new_peers[0].what, 0);
	conf_diff_clear(&d);
	conf_free(o);
	conf_free(n);
}

static void copies(void **state)
{
	(void)state;
	struct conf *c = parse_ok(DIFF_OLD "    maintenance-file: /m\n");
	struct conf_service copy;
	assert_int_equal(conf_service_copy(&copy, &c->services[0]), 0);
	struct conf_service again;
	assert_int_equal(conf_service_copy(&again, &copy), 0);
	assert_ptr_not_equal(copy.checks, c->services[0].checks);
	assert_ptr_not_equal(copy.checks[1].u.exec.argv[0], c->services[0].checks[1].u.exec.argv[0]);
	conf_free(c); /* the copies own everything they point at */
	assert_string_equal(copy.name, "dns");
	assert_int_equal(copy.n_prefixes, 1);
	assert_int_equal(copy.n_checks, 2);
	assert_string_equal(copy.checks[1].u.exec.argv[1], "a");
	assert_null(copy.checks[1].u.exec.argv[2]);
	assert_string_equal(copy.maintenance_file, "/m");
	assert_int_equal(copy.attrs_up.n_communities, 2);
	struct probe_spec spec;
	assert_int_equal(conf_probe_spec_copy(&spec, &copy.checks[1]), 0);
	conf_service_clear(&copy);
	assert_null(copy.checks);
	conf_service_clear(&copy); /* twice is fine */
	assert_string_equal(spec.u.exec.argv[0], "/bin/check");
	conf_probe_spec_clear(&spec);
	assert_int_equal(spec.type, 0);
	assert_string_equal(again.checks[0].u.dns.qname, "example.com.");
	conf_service_clear(&again);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(service_keys),
	cmocka_unit_test(service_defaults),
	cmocka_unit_test(attributes),
	cmocka_unit_test(check_defaults),
	cmocka_unit_test(check_every_key),
	cmocka_unit_test(check_timing_defaults),
	cmocka_unit_test(check_names),
	cmocka_unit_test(rejections),
	cmocka_unit_test(limits),
	cmocka_unit_test(values),
	cmocka_unit_test(diff_what),
	cmocka_unit_test(copies),
};

TEST_MAIN(tests)
