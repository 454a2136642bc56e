/* The strict YAML walker under the key tables: events, errors with marks,
 * typed scalars, mappings and lists.  See parser.h. */
#include "conf/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 4, 0))) static void vfail(struct conf_parser *p, struct conf_mark m,
							   bool path, const char *fmt, va_list ap)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err->line = m.line ? m.line : 1;
	p->err->col = m.col ? m.col : 1;
	size_t off = 0;
	if (path && p->path_len) {
		int n = snprintf(p->err->reason, sizeof p->err->reason, "%s: ", p->path);
		off = n > 0 && (size_t)n < sizeof p->err->reason ? (size_t)n : 0;
	}
	vsnprintf(p->err->reason + off, sizeof p->err->reason - off, fmt, ap);
}

int conf_fail(struct conf_parser *p, struct conf_mark m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, m, true, fmt, ap);
	va_end(ap);
	return -1;
}

int conf_fail_nopath(struct conf_parser *p, struct conf_mark m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, m, false, fmt, ap);
	va_end(ap);
	return -1;
}

/* True when a line break as YAML 1.1 sees it (\n, \r, NEL, LS, PS; \r\n
 * counts once, at its \n) starts at t[i]. */
static bool is_break(const unsigned char *t, size_t len, size_t i)
{
	if (t[i] == '\r')
		return i + 1 >= len || t[i + 1] != '\n';
	if (t[i] == '\n')
		return true;
	if (t[i] == 0xc2)
		return i + 1 < len && t[i + 1] == 0x85;
	return t[i] == 0xe2 && i + 2 < len && t[i + 1] == 0x80 && (t[i + 2] == 0xa8 || t[i + 2] == 0xa9);
}

/* Reader errors carry a byte offset rather than a mark: count lines and
 * characters (not bytes) up to it as libyaml would. */
static struct conf_mark mark_at_offset(const char *text, size_t len, size_t off)
{
	const unsigned char *t = (const unsigned char *)text;
	struct conf_mark m = {1, 1};
	for (size_t i = 0; i < off && i < len; i++) {
		unsigned char c = t[i];
		if (is_break(t, len, i)) {
			m.line++;
			m.col = 1;
		} else if ((c & 0xc0) != 0x80) {
			m.col++;
		}
	}
	return m;
}

int conf_yaml_fail(struct conf_parser *p, const yaml_parser_t *y)
{
	struct conf_mark m = {(unsigned)y->problem_mark.line + 1, (unsigned)y->problem_mark.column + 1};
	const char *problem = y->problem ? y->problem : "unknown error";
	switch (y->error) {
	case YAML_READER_ERROR:
		m = mark_at_offset(p->text, p->len, y->problem_offset);
		if (y->problem_value >= 0)
			return conf_fail_nopath(p, m, "invalid text: %s (#x%X)", problem,
						(unsigned)y->problem_value);
		return conf_fail_nopath(p, m, "invalid text: %s", problem);
	case YAML_MEMORY_ERROR:
		return conf_fail_nopath(p, (struct conf_mark){1, 1}, "out of memory");
	default:
		break;
	}
	if (y->context)
		return conf_fail_nopath(p, m, "syntax error: %s (%s at %u:%u)", problem, y->context,
					(unsigned)y->context_mark.line + 1,
					(unsigned)y->context_mark.column + 1);
	return conf_fail_nopath(p, m, "syntax error: %s", problem);
}

static const char *event_anchor(const yaml_event_t *ev, const yaml_char_t **tag)
{
	*tag = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		*tag = ev->data.scalar.tag;
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		*tag = ev->data.sequence_start.tag;
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		*tag = ev->data.mapping_start.tag;
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

int conf_next(struct conf_parser *p, yaml_event_t *ev)
{
	char q[64];
	const yaml_char_t *tag;
	if (!yaml_parser_parse(&p->yaml, ev))
		return conf_yaml_fail(p, &p->yaml);
	struct conf_mark m = conf_mark_of(ev);
	const char *anchor = event_anchor(ev, &tag);
	int rc = 0;
	if (ev->type == YAML_ALIAS_EVENT) {
		const char *a = (const char *)ev->data.alias.anchor;
		conf_quote(a, strlen(a), q, sizeof q);
		rc = conf_fail_nopath(p, m, "YAML aliases are not supported (*%s)", q);
	} else if (anchor) {
		conf_quote(anchor, strlen(anchor), q, sizeof q);
		rc = conf_fail_nopath(p, m, "YAML anchors are not supported (&%s)", q);
	} else if (tag) {
		static const char core[] = "tag:yaml.org,2002:";
		const char *t = (const char *)tag;
		bool short_form = strncmp(t, core, sizeof core - 1) == 0;
		if (short_form)
			t += sizeof core - 1;
		conf_quote(t, strlen(t), q, sizeof q);
		rc = conf_fail_nopath(p, m, "YAML tags are not supported (%s%s)", short_form ? "!!" : "", q);
	}
	if (rc < 0)
		yaml_event_delete(ev);
	return rc;
}

static size_t path_append(struct conf_parser *p, const char *text)
{
	size_t old = p->path_len;
	size_t n = strlen(text);
	if (n < sizeof p->path - old) { /* too deep to say: keep the shorter path */
		memcpy(p->path + old, text, n + 1);
		p->path_len += n;
	}
	return old;
}

size_t conf_path_key(struct conf_parser *p, const char *name)
{
	char seg[64];
	snprintf(seg, sizeof seg, "%s%s", p->path_len ? "." : "", name);
	return path_append(p, seg);
}

size_t conf_path_index(struct conf_parser *p, size_t index)
{
	char seg[32];
	snprintf(seg, sizeof seg, "[%zu]", index);
	return path_append(p, seg);
}

void conf_quote(const char *s, size_t len, char *out, size_t cap)
{
	struct strbuf sb;
	strbuf_init(&sb, out, cap);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 40 && len > 44) {
			strbuf_printf(&sb, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			strbuf_printf(&sb, "%c", c);
		else
			strbuf_printf(&sb, "\\x%02x", c);
	}
}

bool conf_is_null(const yaml_event_t *ev)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < CONF_ARRAY_LEN(nulls); i++)
		if (strcmp((const char *)ev->data.scalar.value, nulls[i]) == 0)
			return true;
	return false;
}

void conf_describe(const yaml_event_t *ev, char *out, size_t cap)
{
	char q[200];
	if (ev->type == YAML_MAPPING_START_EVENT) {
		snprintf(out, cap, "a mapping");
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		snprintf(out, cap, "a list");
	} else if (conf_is_null(ev)) {
		snprintf(out, cap, "an empty value");
	} else {
		conf_quote((const char *)ev->data.scalar.value, ev->data.scalar.length, q, sizeof q);
		snprintf(out, cap, "'%s'", q);
	}
}

int conf_want(struct conf_parser *p, const yaml_event_t *ev, const char *what)
{
	char got[240];
	conf_describe(ev, got, sizeof got);
	return conf_fail(p, conf_mark_of(ev), "expected %s, got %s", what, got);
}

int conf_string(struct conf_parser *p, const yaml_event_t *ev, const char *what, const char **s)
{
	if (ev->type != YAML_SCALAR_EVENT || conf_is_null(ev) || ev->data.scalar.length == 0)
		return conf_want(p, ev, what);
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
		return conf_fail(p, conf_mark_of(ev), "NUL characters are not allowed");
	*s = (const char *)ev->data.scalar.value;
	return 0;
}

int conf_string_copy(struct conf_parser *p, const yaml_event_t *ev, const char *what, size_t max,
		     char *out)
{
	const char *s;
	if (conf_string(p, ev, what, &s) < 0)
		return -1;
	size_t len = ev->data.scalar.length;
	if (len > max)
		return conf_fail(p, conf_mark_of(ev), "%s is %zu bytes long; at most %zu are allowed",
				 what, len, max);
	memcpy(out, s, len + 1);
	return 0;
}

int conf_abs_path(struct conf_parser *p, const yaml_event_t *ev, size_t max, char *out)
{
	char q[200];
	if (conf_string_copy(p, ev, "an absolute path", max, out) < 0)
		return -1;
	if (out[0] != '/') {
		conf_quote(out, strlen(out), q, sizeof q);
		out[0] = '\0';
		return conf_fail(p, conf_mark_of(ev), "expected an absolute path, got '%s'", q);
	}
	return 0;
}

int conf_grow(struct conf_parser *p, const yaml_event_t *ev, void **arr, size_t *cap, size_t n,
	      size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *a = ncap < SIZE_MAX / sz ? realloc(*arr, ncap * sz) : NULL;
	if (!a)
		return conf_fail_nopath(p, conf_mark_of(ev), "out of memory");
	memset((char *)a + *cap * sz, 0, (ncap - *cap) * sz);
	*arr = a;
	*cap = ncap;
	return 0;
}

int conf_fail_key(struct conf_parser *p, const char *key, struct conf_mark m, const char *msg)
{
	size_t old = conf_path_key(p, key);
	conf_fail(p, m, "%s", msg);
	conf_path_pop(p, old);
	return -1;
}

bool conf_mark_before(struct conf_mark a, struct conf_mark b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

int conf_uint(struct conf_parser *p, const yaml_event_t *ev, uint64_t min, uint64_t max,
	      uint64_t *v)
{
	char what[64], q[200];
	snprintf(what, sizeof what, "a number in %llu..%llu", (unsigned long long)min,
		 (unsigned long long)max);
	if (ev->type != YAML_SCALAR_EVENT || conf_is_null(ev))
		return conf_want(p, ev, what);
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return conf_fail(p, conf_mark_of(ev), "expected %s, got the quoted string '%s'",
				 what, q);
	uint64_t n = 0;
	bool overflow = false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return conf_fail(p, conf_mark_of(ev), "expected %s, got '%s'", what, q);
		unsigned d = (unsigned)(s[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			n = n * 10 + d;
	}
	if (len > 1 && s[0] == '0')
		return conf_fail(p, conf_mark_of(ev), "leading zeros are not allowed in '%s'", q);
	if (overflow || n < min || n > max)
		return conf_fail(p, conf_mark_of(ev), "%s is out of range (%llu..%llu)", q,
				 (unsigned long long)min, (unsigned long long)max);
	*v = n;
	return 0;
}

int conf_bool(struct conf_parser *p, const yaml_event_t *ev, bool *v)
{
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *s = (const char *)ev->data.scalar.value;
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
			*v = s[0] == 't';
			return 0;
		}
	}
	return conf_want(p, ev, "true or false");
}

static bool addr_is_multicast(const struct addr *a)
{
	return a->family == ADDR_V4 ? (a->b[0] & 0xf0) == 0xe0 : a->b[0] == 0xff;
}

static bool addr_is_zero(const struct addr *a)
{
	static const uint8_t zero[16];
	return memcmp(a->b, zero, sizeof zero) == 0;
}

int conf_address(struct conf_parser *p, const yaml_event_t *ev, uint8_t family, struct addr *a)
{
	const char *what = family == ADDR_V4   ? "an IPv4 address"
			   : family == ADDR_V6 ? "an IPv6 address"
					       : "an IPv4 or IPv6 address";
	const char *s;
	char q[200];
	if (conf_string(p, ev, what, &s) < 0)
		return -1;
	conf_quote(s, ev->data.scalar.length, q, sizeof q);
	if (!addr_parse(s, a) || (family != ADDR_NONE && a->family != family))
		return conf_fail(p, conf_mark_of(ev), "expected %s, got '%s'", what, q);
	if (addr_is_zero(a))
		return conf_fail(p, conf_mark_of(ev), "the unspecified address %s is not allowed", q);
	if (addr_is_multicast(a))
		return conf_fail(p, conf_mark_of(ev), "the multicast address %s is not allowed", q);
	return 0;
}

int conf_asn(struct conf_parser *p, const yaml_event_t *ev, uint32_t *as)
{
	uint64_t v;
	if (conf_uint(p, ev, 1, UINT32_MAX, &v) < 0)
		return -1;
	if (v == 23456)
		return conf_fail(p, conf_mark_of(ev),
				 "23456 is AS_TRANS (RFC 6793) and cannot be used as an AS number");
	*as = (uint32_t)v;
	return 0;
}

int conf_duration(struct conf_parser *p, const yaml_event_t *ev, int64_t *ms)
{
	const char *what = "a duration such as 250ms, 90s or 5m";
	const char *s;
	char q[200];
	if (conf_string(p, ev, what, &s) < 0)
		return -1;
	conf_quote(s, ev->data.scalar.length, q, sizeof q);
	switch (conf_duration_parse(s, ms)) {
	case CONF_DURATION_OK:
		return 0;
	case CONF_DURATION_RANGE:
		return conf_fail(p, conf_mark_of(ev), "duration '%s' is too large (at most %lldms)",
				 q, (long long)CONF_DURATION_MAX_MS);
	default:
		return conf_fail(p, conf_mark_of(ev),
				 "invalid duration '%s' (expected digits and a unit: ms, s or m)", q);
	}
}

int conf_name(struct conf_parser *p, const yaml_event_t *ev, char out[CONF_NAME_MAX + 1])
{
	const char *what = "a name";
	const char *s;
	char q[200];
	if (conf_string(p, ev, what, &s) < 0)
		return -1;
	size_t len = ev->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (len > CONF_NAME_MAX)
		return conf_fail(p, conf_mark_of(ev), "name '%s' is longer than %d characters", q,
				 CONF_NAME_MAX);
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != len)
		return conf_fail(p, conf_mark_of(ev),
				 "invalid name '%s' (letters, digits, '_', '.' and '-' only)", q);
	memcpy(out, s, len + 1);
	return 0;
}

/* Optimal string alignment distance (Levenshtein plus transpositions) of
 * short strings; anything long counts as far. */
static unsigned edit_distance(const char *a, const char *b)
{
	enum { MAX = 32 };
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[MAX + 1][MAX + 1];
	if (la > MAX || lb > MAX)
		return 100;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

static int unknown_key(struct conf_parser *p, const yaml_event_t *k, const struct conf_key *keys,
		       size_t n)
{
	const char *name = (const char *)k->data.scalar.value;
	const char *best = NULL;
	unsigned best_d = 3;
	char q[200];
	for (size_t i = 0; i < n && strlen(name) == k->data.scalar.length; i++) {
		unsigned dist = edit_distance(name, keys[i].name);
		if (dist < best_d) {
			best_d = dist;
			best = keys[i].name;
		}
	}
	conf_quote(name, k->data.scalar.length, q, sizeof q);
	if (best)
		return conf_fail(p, conf_mark_of(k), "unknown key '%s' (did you mean '%s'?)", q, best);
	return conf_fail(p, conf_mark_of(k), "unknown key '%s'", q);
}

/* Handles one key (k, already pulled) and its value.  Returns 0 or -1. */
static int map_entry(struct conf_parser *p, const yaml_event_t *k, const struct conf_key *keys,
		     size_t n, struct conf_seen *seen, void *obj)
{
	if (k->type != YAML_SCALAR_EVENT || conf_is_null(k))
		return conf_want(p, k, "a key");
	const char *name = (const char *)k->data.scalar.value;
	size_t i = 0;
	while (i < n && (strcmp(name, keys[i].name) != 0 ||
			 strlen(name) != k->data.scalar.length))
		i++;
	if (i == n)
		return unknown_key(p, k, keys, n);
	if (seen[i].key.line)
		return conf_fail(p, conf_mark_of(k), "duplicate key '%s' (first at line %u)",
				 keys[i].name, seen[i].key.line);
	yaml_event_t v;
	if (conf_next(p, &v) < 0)
		return -1;
	seen[i].key = conf_mark_of(k);
	seen[i].value = conf_mark_of(&v);
	size_t old = conf_path_key(p, keys[i].name);
	int rc = keys[i].fn(p, &v, obj);
	conf_path_pop(p, old);
	yaml_event_delete(&v);
	return rc;
}

int conf_map(struct conf_parser *p, const yaml_event_t *ev, const struct conf_key *keys,
	     size_t n, struct conf_seen *seen, void *obj)
{
	if (ev->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, ev, "a mapping");
	memset(seen, 0, n * sizeof *seen);
	for (;;) {
		yaml_event_t k;
		if (conf_next(p, &k) < 0)
			return -1;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			break;
		}
		int rc = map_entry(p, &k, keys, n, seen, obj);
		yaml_event_delete(&k);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (keys[i].required && !seen[i].key.line)
			return conf_fail(p, conf_mark_of(ev), "missing required key '%s'",
					 keys[i].name);
	return 0;
}

int conf_list(struct conf_parser *p, const yaml_event_t *ev, conf_item_fn item, void *obj)
{
	if (ev->type != YAML_SEQUENCE_START_EVENT) {
		if (conf_is_null(ev))
			return conf_fail(p, conf_mark_of(ev),
					 "expected a list, got an empty value (write [] for none)");
		return conf_want(p, ev, "a list");
	}
	for (size_t i = 0;; i++) {
		yaml_event_t v;
		if (conf_next(p, &v) < 0)
			return -1;
		if (v.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&v);
			return 0;
		}
		size_t old = conf_path_index(p, i);
		int rc = item(p, &v, i, obj);
		conf_path_pop(p, old);
		yaml_event_delete(&v);
		if (rc < 0)
			return -1;
	}
}
