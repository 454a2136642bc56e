/* services[i].checks: one key table for every check type (so that keys may
 * come in any order, type last if you like), each key marked with the
 * types it applies to; the checks between keys run once the mapping is
 * read.  The result is a struct probe_spec per check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/schema.h"

/* One check being read: every type's fields side by side (a key of the
 * wrong type must not clobber another's), copied into the spec at the
 * end.  Durations in ms, -1 when not written. */
struct check_build {
	enum probe_type type;
	char name[CONF_NAME_MAX + 1];
	int64_t interval, fast_interval, timeout, max_age;
	unsigned rise, fall, jitter;
	bool dependency;
	struct probe_dns dns;
	struct probe_http http;
	struct probe_tcp tcp;
	struct probe_exec exec; /* argv owned until moved into the spec */
	struct probe_process process;
};

static void build_clear(struct check_build *b)
{
	for (unsigned i = 0; i < b->exec.argc; i++)
		free(b->exec.argv[i]);
	b->exec.argc = 0;
}

/* ---- keys of every type ---- */

static const struct {
	const char *name;
	enum probe_type type;
} type_names[] = {
	{"dns", PROBE_DNS},   {"http", PROBE_HTTP},       {"tcp", PROBE_TCP},
	{"exec", PROBE_EXEC}, {"process", PROBE_PROCESS},
};

static int ck_type(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "a check type", &s) < 0)
		return -1;
	for (size_t i = 0; i < CONF_ARRAY_LEN(type_names); i++) {
		if (strcmp(s, type_names[i].name) == 0 && strlen(s) == v->data.scalar.length) {
			b->type = type_names[i].type;
			return 0;
		}
	}
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (strcmp(s, "https") == 0)
		return conf_fail(p, conf_mark_of(v),
				 "unknown check type 'https' (type http takes https:// URLs too)");
	return conf_fail(p, conf_mark_of(v),
			 "unknown check type '%s' (dns, http, tcp, exec or process)", q);
}

static int ck_name(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_name(p, v, b->name);
}

static int min_duration(struct conf_parser *p, const yaml_event_t *v, int64_t min, int64_t *ms)
{
	char m[CONF_DURATION_STRLEN], q[200];
	if (conf_duration(p, v, ms) < 0)
		return -1;
	if (*ms >= min)
		return 0;
	conf_duration_format(min, m, sizeof m);
	conf_quote((const char *)v->data.scalar.value, v->data.scalar.length, q, sizeof q);
	return conf_fail(p, conf_mark_of(v), "'%s' is too short (at least %s)", q,
			 min == 1 ? "1ms" : m);
}

static int ck_interval(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return min_duration(p, v, CONF_MIN_INTERVAL_MS, &((struct check_build *)obj)->interval);
}

static int ck_fast_interval(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return min_duration(p, v, CONF_MIN_INTERVAL_MS, &((struct check_build *)obj)->fast_interval);
}

static int ck_timeout(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return min_duration(p, v, 1, &((struct check_build *)obj)->timeout);
}

static int ck_max_age(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return min_duration(p, v, 1, &((struct check_build *)obj)->max_age);
}

static int small_uint(struct conf_parser *p, const yaml_event_t *v, unsigned min, unsigned max,
		      unsigned *out)
{
	uint64_t n;
	if (conf_uint(p, v, min, max, &n) < 0)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int ck_rise(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return small_uint(p, v, 1, CONF_MAX_RISE_FALL, &((struct check_build *)obj)->rise);
}

static int ck_fall(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return small_uint(p, v, 1, CONF_MAX_RISE_FALL, &((struct check_build *)obj)->fall);
}

static int ck_jitter(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return small_uint(p, v, 0, CONF_MAX_JITTER, &((struct check_build *)obj)->jitter);
}

/* ---- dns ---- */

static bool addr_usable(const struct addr *a, char *why, size_t cap)
{
	static const uint8_t zero[16];
	char t[ADDR_STRLEN];
	addr_format(a, t, sizeof t);
	if (memcmp(a->b, zero, sizeof zero) == 0)
		snprintf(why, cap, "the unspecified address %s is not allowed", t);
	else if (a->family == ADDR_V4 ? (a->b[0] & 0xf0) == 0xe0 : a->b[0] == 0xff)
		snprintf(why, cap, "the multicast address %s is not allowed", t);
	else
		return true;
	return false;
}

int conf_endpoint(struct conf_parser *p, const yaml_event_t *v, bool need_port, struct addr *a,
		  uint16_t *port)
{
	const char *what = need_port ? "ADDRESS:PORT such as 127.0.0.1:443 or [::1]:443"
				     : "an address, ADDRESS:PORT or [IPv6]:PORT";
	const char *s, *why;
	char q[200], msg[200];
	if (conf_string(p, v, what, &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	why = strlen(s) == v->data.scalar.length ? conf_endpoint_parse(s, need_port, a, port)
						 : "not an address";
	if (why)
		return conf_fail(p, conf_mark_of(v), "expected %s, got '%s' (%s)", what, q, why);
	if (!addr_usable(a, msg, sizeof msg))
		return conf_fail(p, conf_mark_of(v), "%s", msg);
	return 0;
}

static int ck_server(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_endpoint(p, v, false, &b->dns.server, &b->dns.port);
}

/* Why s[0..len) is not an absolute domain name of letters, digits, '-'
 * and '_' (labels of 1..63, at most 253 characters before the final dot),
 * or NULL.  "." (the root) is fine. */
static const char *qname_problem(const char *s, size_t len)
{
	if (len == 0 || s[len - 1] != '.')
		return "is not absolute: it must end with a dot";
	if (len - 1 > 253)
		return "is longer than 253 characters";
	size_t label = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "has an empty label";
			label = 0;
		} else if (s[i] == '\0' || !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
						  "0123456789-_",
						  s[i])) {
			return "has a character other than letters, digits, '-', '_' and dots";
		} else if (++label > 63) {
			return "has a label longer than 63 characters";
		}
	}
	if (len > 1 && label == 0)
		return "has an empty label";
	return NULL;
}

static int ck_query(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	const char *s, *why;
	char q[200], dotted[PROBE_STR_MAX];
	if (conf_string(p, v, "a domain name", &s) < 0)
		return -1;
	size_t len = v->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (len > 254)
		return conf_fail(p, conf_mark_of(v), "query '%s' is longer than 253 characters", q);
	if ((why = qname_problem(s, len)) == NULL) {
		memcpy(b->dns.qname, s, len + 1);
		return 0;
	}
	snprintf(dotted, sizeof dotted, "%s.", s);
	if (s[len - 1] != '.' && len < 64 && !qname_problem(dotted, len + 1))
		return conf_fail(p, conf_mark_of(v), "query '%s' %s (did you mean '%s'?)", q, why,
				 dotted);
	return conf_fail(p, conf_mark_of(v), "query '%s' %s", q, why);
}

static int ck_qtype(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "a DNS type", &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (strlen(s) != v->data.scalar.length || !conf_qtype_parse(s, &b->dns.qtype))
		return conf_fail(p, conf_mark_of(v),
				 "expected a DNS type such as A, AAAA, SOA or TYPE65, got '%s'", q);
	return 0;
}

static int ck_expect_rcode(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "an rcode", &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (strlen(s) != v->data.scalar.length || !conf_rcode_parse(s, &b->dns.expect_rcode))
		return conf_fail(p, conf_mark_of(v),
				 "expected NOERROR, NXDOMAIN, SERVFAIL, REFUSED or any, got '%s'", q);
	return 0;
}

/* ---- http ---- */

/* Printable ASCII without spaces: what may go into a URL or a header. */
static bool is_token_text(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return false;
	return true;
}

static int ck_url(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	char *u = b->http.url, q[200];
	if (conf_string_copy(p, v, "a URL", sizeof b->http.url - 1, u) < 0)
		return -1;
	conf_quote(u, strlen(u), q, sizeof q);
	size_t skip = strncasecmp(u, "http://", 7) == 0 ? 7 : strncasecmp(u, "https://", 8) == 0 ? 8 : 0;
	if (!skip)
		return conf_fail(p, conf_mark_of(v), "expected an http:// or https:// URL, got '%s'", q);
	if (!is_token_text(u))
		return conf_fail(p, conf_mark_of(v),
				 "URL '%s' has spaces, control or non-ASCII characters "
				 "(percent-encode them)",
				 q);
	if (strchr("/?#", u[skip]))
		return conf_fail(p, conf_mark_of(v), "URL '%s' has no host", q);
	return 0;
}

static int ck_expect_status(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	uint64_t n;
	if (conf_uint(p, v, 100, 599, &n) < 0)
		return -1;
	b->http.expect_status = (int)n;
	return 0;
}

static int ck_expect_body(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_string_copy(p, v, "a string", PROBE_STR_MAX - 1, b->http.expect_body);
}

static int ck_host(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	char q[200];
	if (conf_string_copy(p, v, "a host name", PROBE_STR_MAX - 1, b->http.host) < 0)
		return -1;
	if (!is_token_text(b->http.host)) {
		conf_quote(b->http.host, strlen(b->http.host), q, sizeof q);
		return conf_fail(p, conf_mark_of(v),
				 "host '%s' has spaces, control or non-ASCII characters", q);
	}
	return 0;
}

static int ck_dependency(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return conf_bool(p, v, &((struct check_build *)obj)->dependency);
}

static int ck_verify_tls(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_bool(p, v, &b->http.verify_tls);
}

/* ---- tcp ---- */

static int ck_target(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_endpoint(p, v, true, &b->tcp.addr, &b->tcp.port);
}

static int ck_send(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_string_copy(p, v, "a string", PROBE_STR_MAX - 1, b->tcp.send);
}

static int ck_expect(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_string_copy(p, v, "a string", PROBE_STR_MAX - 1, b->tcp.expect);
}

/* ---- exec ---- */

static int command_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct check_build *b = obj;
	const char *s = "";
	char q[200];
	if (index >= PROBE_ARGV_MAX)
		return conf_fail(p, conf_mark_of(v), "too many arguments (at most %d, the program "
						     "included)", PROBE_ARGV_MAX);
	bool empty_quoted = v->type == YAML_SCALAR_EVENT && v->data.scalar.length == 0 &&
			    v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	if (!(index > 0 && empty_quoted) &&
	    conf_string(p, v, index ? "an argument" : "an absolute path", &s) < 0)
		return -1;
	size_t len = empty_quoted ? 0 : v->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (index == 0 && s[0] != '/')
		return conf_fail(p, conf_mark_of(v),
				 "expected the absolute path of the program, got '%s' "
				 "(commands run without a shell or PATH search)",
				 q);
	if (len > CONF_ARG_MAX)
		return conf_fail(p, conf_mark_of(v), "the argument is %zu bytes long; at most %d are "
						     "allowed", len, CONF_ARG_MAX);
	char *copy = malloc(len + 1);
	if (!copy)
		return conf_fail_nopath(p, conf_mark_of(v), "out of memory");
	memcpy(copy, s, len + 1);
	b->exec.argv[b->exec.argc++] = copy;
	return 0;
}

static int ck_command(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	if (conf_list(p, v, command_item, b) < 0)
		return -1;
	if (b->exec.argc == 0)
		return conf_fail(p, conf_mark_of(v), "the command needs at least the program to run");
	return 0;
}

int conf_account_name(struct conf_parser *p, const yaml_event_t *v, const char *what, size_t max,
		      char *out)
{
	char q[200], a_what[64];
	snprintf(a_what, sizeof a_what, "a %s", what);
	if (conf_string_copy(p, v, a_what, max, out) < 0)
		return -1;
	if (out[0] == '-' || strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789_.-") != strlen(out)) {
		conf_quote(out, strlen(out), q, sizeof q);
		return conf_fail(p, conf_mark_of(v),
				 "invalid %s '%s' (letters, digits, '_', '.' and '-', not first)", what, q);
	}
	return 0;
}

static int ck_user(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_account_name(p, v, "user name", sizeof b->exec.user - 1, b->exec.user);
}

/* ---- process ---- */

static int ck_pidfile(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	return conf_abs_path(p, v, PROBE_STR_MAX - 1, b->process.pidfile);
}

static int ck_unit(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct check_build *b = obj;
	char *u = b->process.unit, q[200];
	if (conf_string_copy(p, v, "a systemd unit name", PROBE_STR_MAX - 1, u) < 0)
		return -1;
	size_t len = strlen(u);
	conf_quote(u, len, q, sizeof q);
	if (strspn(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.\\@") != len)
		return conf_fail(p, conf_mark_of(v), "invalid unit name '%s'", q);
	if (len <= 8 || strcmp(u + len - 8, ".service") != 0)
		return conf_fail(p, conf_mark_of(v),
				 "unit '%s' is not a service unit (only those have a main process): "
				 "write it as NAME.service",
				 q);
	return 0;
}

/* ---- the table ---- */

enum {
	CK_TYPE, CK_NAME, CK_INTERVAL, CK_FAST_INTERVAL, CK_TIMEOUT, CK_RISE, CK_FALL, CK_MAX_AGE,
	CK_JITTER,
	CK_DEPENDENCY,
	CK_SERVER, CK_QUERY, CK_QTYPE, CK_EXPECT_RCODE,
	CK_URL, CK_EXPECT_STATUS, CK_EXPECT_BODY, CK_HOST, CK_VERIFY_TLS,
	CK_TARGET, CK_SEND, CK_EXPECT,
	CK_COMMAND, CK_USER,
	CK_PIDFILE, CK_UNIT,
	CK_COUNT
};

static const struct conf_key check_keys[CK_COUNT] = {
	[CK_TYPE] = {"type", ck_type, true},
	[CK_NAME] = {"name", ck_name, false},
	[CK_INTERVAL] = {"interval", ck_interval, false},
	[CK_FAST_INTERVAL] = {"fast-interval", ck_fast_interval, false},
	[CK_TIMEOUT] = {"timeout", ck_timeout, false},
	[CK_RISE] = {"rise", ck_rise, false},
	[CK_FALL] = {"fall", ck_fall, false},
	[CK_MAX_AGE] = {"max-age", ck_max_age, false},
	[CK_JITTER] = {"jitter", ck_jitter, false},
	[CK_DEPENDENCY] = {"dependency", ck_dependency, false},
	[CK_SERVER] = {"server", ck_server, false},
	[CK_QUERY] = {"query", ck_query, false},
	[CK_QTYPE] = {"qtype", ck_qtype, false},
	[CK_EXPECT_RCODE] = {"expect-rcode", ck_expect_rcode, false},
	[CK_URL] = {"url", ck_url, false},
	[CK_EXPECT_STATUS] = {"expect-status", ck_expect_status, false},
	[CK_EXPECT_BODY] = {"expect-body", ck_expect_body, false},
	[CK_HOST] = {"host", ck_host, false},
	[CK_VERIFY_TLS] = {"verify-tls", ck_verify_tls, false},
	[CK_TARGET] = {"target", ck_target, false},
	[CK_SEND] = {"send", ck_send, false},
	[CK_EXPECT] = {"expect", ck_expect, false},
	[CK_COMMAND] = {"command", ck_command, false},
	[CK_USER] = {"user", ck_user, false},
	[CK_PIDFILE] = {"pidfile", ck_pidfile, false},
	[CK_UNIT] = {"unit", ck_unit, false},
};

/* The type a key belongs to (0: every type), and the key each type
 * requires. */
static const enum probe_type key_type[CK_COUNT] = {
	[CK_SERVER] = PROBE_DNS,	[CK_QUERY] = PROBE_DNS,	       [CK_QTYPE] = PROBE_DNS,
	[CK_EXPECT_RCODE] = PROBE_DNS,	[CK_URL] = PROBE_HTTP,	       [CK_EXPECT_STATUS] = PROBE_HTTP,
	[CK_EXPECT_BODY] = PROBE_HTTP,	[CK_HOST] = PROBE_HTTP,	       [CK_VERIFY_TLS] = PROBE_HTTP,
	[CK_TARGET] = PROBE_TCP,	[CK_SEND] = PROBE_TCP,	       [CK_EXPECT] = PROBE_TCP,
	[CK_COMMAND] = PROBE_EXEC,	[CK_USER] = PROBE_EXEC,	       [CK_PIDFILE] = PROBE_PROCESS,
	[CK_UNIT] = PROBE_PROCESS,
};

static const int required_key[] = {
	[PROBE_DNS] = CK_QUERY, [PROBE_HTTP] = CK_URL, [PROBE_TCP] = CK_TARGET,
	[PROBE_EXEC] = CK_COMMAND, [PROBE_PROCESS] = -1,
};

/* ---- checks between the keys of one check ---- */

/* A key written for another type: the first in the file is refused. */
static int check_key_types(struct conf_parser *p, const struct check_build *b,
			   const struct conf_seen *seen)
{
	int bad = -1;
	for (int k = 0; k < CK_COUNT; k++) {
		if (!seen[k].key.line || !key_type[k] || key_type[k] == b->type)
			continue;
		if (bad < 0 || conf_mark_before(seen[k].key, seen[bad].key))
			bad = k;
	}
	if (bad < 0)
		return 0;
	return conf_fail(p, seen[bad].key, "key '%s' does not apply to %s checks (it is for %s checks)",
			 check_keys[bad].name, conf_probe_type_name(b->type),
			 conf_probe_type_name(key_type[bad]));
}

static int check_required(struct conf_parser *p, const yaml_event_t *v,
			  const struct check_build *b, const struct conf_seen *seen)
{
	int k = required_key[b->type];
	char msg[200];
	if (k >= 0 && !seen[k].key.line)
		return conf_fail(p, conf_mark_of(v), "missing required key '%s' (%s checks need it)",
				 check_keys[k].name, conf_probe_type_name(b->type));
	if (b->type != PROBE_PROCESS)
		return 0;
	bool pid = seen[CK_PIDFILE].key.line, unit = seen[CK_UNIT].key.line;
	if (!pid && !unit)
		return conf_fail(p, conf_mark_of(v), "a process check needs pidfile or unit");
	if (pid && unit) {
		bool unit_last = conf_mark_before(seen[CK_PIDFILE].key, seen[CK_UNIT].key);
		snprintf(msg, sizeof msg, "pidfile and unit cannot be used together");
		return conf_fail_key(p, unit_last ? "unit" : "pidfile",
				     seen[unit_last ? CK_UNIT : CK_PIDFILE].value, msg);
	}
	return 0;
}

/* Fills in the timing defaults and checks the timings against each other. */
static int check_timing(struct conf_parser *p, struct check_build *b, const struct conf_seen *seen)
{
	char a[CONF_DURATION_STRLEN], i[CONF_DURATION_STRLEN], msg[300];
	if (b->interval < 0)
		b->interval = CONF_DEFAULT_INTERVAL_MS;
	if (b->timeout < 0)
		b->timeout = b->interval;
	if (b->fast_interval < 0) {
		b->fast_interval = b->interval / 4 > CONF_MIN_INTERVAL_MS ? b->interval / 4
									  : CONF_MIN_INTERVAL_MS;
		if (b->fast_interval > b->interval)
			b->fast_interval = b->interval;
	}
	conf_duration_format(b->interval, i, sizeof i);
	if (b->timeout > b->interval) {
		conf_duration_format(b->timeout, a, sizeof a);
		snprintf(msg, sizeof msg, "timeout %s is longer than interval %s", a, i);
		return conf_fail_key(p, "timeout", seen[CK_TIMEOUT].value, msg);
	}
	if (b->fast_interval > b->interval) {
		conf_duration_format(b->fast_interval, a, sizeof a);
		snprintf(msg, sizeof msg, "fast-interval %s is longer than interval %s", a, i);
		return conf_fail_key(p, "fast-interval", seen[CK_FAST_INTERVAL].value, msg);
	}
	if (b->max_age >= 0 && b->max_age <= b->interval + b->timeout) {
		conf_duration_format(b->interval + b->timeout, i, sizeof i);
		conf_duration_format(b->max_age, a, sizeof a);
		snprintf(msg, sizeof msg,
			 "max-age %s must be longer than interval + timeout (%s): results may "
			 "come that far apart",
			 a, i);
		return conf_fail_key(p, "max-age", seen[CK_MAX_AGE].value, msg);
	}
	return 0;
}

/* Moves the build into spec (exec arguments included). */
static void check_finish(struct check_build *b, struct probe_spec *spec)
{
	*spec = (struct probe_spec){.type = b->type, .dependency = b->dependency};
	memcpy(spec->name, b->name, sizeof b->name);
	spec->params = (struct check_params){
		.rise = b->rise,
		.fall = b->fall,
		.interval = MONOTIME_MS(b->interval),
		.fast_interval = MONOTIME_MS(b->fast_interval),
		.timeout = MONOTIME_MS(b->timeout),
		.max_age = b->max_age < 0 ? 0 : MONOTIME_MS(b->max_age),
		.jitter_pct = b->jitter,
	};
	switch (b->type) {
	case PROBE_DNS:
		spec->u.dns = b->dns;
		break;
	case PROBE_HTTP:
		spec->u.http = b->http;
		break;
	case PROBE_TCP:
		spec->u.tcp = b->tcp;
		break;
	case PROBE_EXEC:
		spec->u.exec = b->exec;
		b->exec = (struct probe_exec){0};
		break;
	case PROBE_PROCESS:
		spec->u.process = b->process;
		break;
	}
}

static void build_init(struct check_build *b)
{
	*b = (struct check_build){
		.interval = -1,
		.fast_interval = -1,
		.timeout = -1,
		.max_age = -1,
		.rise = CONF_DEFAULT_RISE,
		.fall = CONF_DEFAULT_FALL,
		.jitter = CONF_DEFAULT_JITTER,
		.dns = {.port = CONF_DEFAULT_DNS_PORT, .qtype = 1, .expect_rcode = 0},
		.http = {.expect_status = CONF_DEFAULT_HTTP_STATUS, .verify_tls = true},
	};
	addr_v4(&b->dns.server, 0x7f000001);
}

/* ---- the list ---- */

static int check_read(struct conf_parser *p, const yaml_event_t *v, struct check_build *b,
		      struct conf_seen *seen)
{
	if (conf_map(p, v, check_keys, CK_COUNT, seen, b) < 0 || check_key_types(p, b, seen) < 0 ||
	    check_required(p, v, b, seen) < 0 || check_timing(p, b, seen) < 0)
		return -1;
	return 0;
}

static int check_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct conf_service *svc = obj;
	struct conf_seen seen[CK_COUNT];
	struct check_build b;
	char msg[200];
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping (one check)");
	if (index >= CONF_MAX_CHECKS)
		return conf_fail(p, conf_mark_of(v), "too many checks (at most %d per service)",
				 CONF_MAX_CHECKS);
	if (conf_grow(p, v, (void **)&svc->checks, &p->cap_checks, svc->n_checks,
		      sizeof *svc->checks) < 0 ||
	    conf_grow(p, v, (void **)&p->check_marks, &p->cap_check_marks, svc->n_checks,
		      sizeof *p->check_marks) < 0)
		return -1;
	build_init(&b);
	if (check_read(p, v, &b, seen) < 0) {
		build_clear(&b);
		return -1;
	}
	for (size_t i = 0; i < svc->n_checks && b.name[0]; i++) {
		if (strcmp(svc->checks[i].name, b.name) == 0) {
			snprintf(msg, sizeof msg, "duplicate check name '%s' (first at line %u)", b.name,
				 p->check_marks[i].at.line);
			build_clear(&b);
			return conf_fail_key(p, "name", seen[CK_NAME].value, msg);
		}
	}
	p->check_marks[svc->n_checks] = (struct conf_check_mark){
		.at = b.name[0] ? seen[CK_NAME].value : conf_mark_of(v),
	};
	check_finish(&b, &svc->checks[svc->n_checks++]);
	return 0;
}

static bool name_taken(const struct conf_service *svc, const char *name)
{
	for (size_t i = 0; i < svc->n_checks; i++)
		if (strcmp(svc->checks[i].name, name) == 0)
			return true;
	return false;
}

/* Unnamed checks are called after their type: "tcp", then "tcp2", "tcp3"
 * ..., skipping names already given. */
static void default_names(struct conf_service *svc)
{
	char name[CONF_NAME_MAX + 1];
	for (size_t i = 0; i < svc->n_checks; i++) {
		struct probe_spec *c = &svc->checks[i];
		if (c->name[0])
			continue;
		const char *base = conf_probe_type_name(c->type);
		snprintf(name, sizeof name, "%s", base);
		for (unsigned n = 2; name_taken(svc, name); n++)
			snprintf(name, sizeof name, "%s%u", base, n);
		memcpy(c->name, name, sizeof name);
	}
}

int conf_service_checks(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_service *svc = obj;
	if (conf_list(p, v, check_item, svc) < 0)
		return -1;
	default_names(svc);
	return 0;
}
