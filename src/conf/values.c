/* Value syntax of the service keys, shared by the parser, the printer and
 * whoever shows these values to people: check types, communities, DNS
 * types and rcodes, ADDRESS:PORT endpoints.  Tables, not if-chains. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Strict decimal: digits only, no sign, no leading zeros, at most max.
 * s[0..len). */
static bool dec(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (uint64_t)(s[i] - '0');
		if (n > max)
			return false;
	}
	*out = n;
	return true;
}

static const char *const probe_types[] = {
	[PROBE_DNS] = "dns",   [PROBE_HTTP] = "http",       [PROBE_TCP] = "tcp",
	[PROBE_EXEC] = "exec", [PROBE_PROCESS] = "process",
};

const char *conf_probe_type_name(enum probe_type t)
{
	return (unsigned)t < LEN(probe_types) && probe_types[t] ? probe_types[t] : "?";
}

/* ---- communities ---- */

static const struct {
	const char *name;
	uint32_t value;
} well_known[] = {
	{"graceful-shutdown", BGP_COMM_GRACEFUL_SHUTDOWN},
	{"blackhole", BGP_COMM_BLACKHOLE},
	{"no-export", BGP_COMM_NO_EXPORT},
	{"no-advertise", BGP_COMM_NO_ADVERTISE},
	{"no-export-subconfed", BGP_COMM_NO_EXPORT_SUBCONFED},
	{"no-peer", BGP_COMM_NOPEER},
};

void conf_community_format(uint32_t c, char *out, size_t cap)
{
	for (size_t i = 0; i < LEN(well_known); i++) {
		if (well_known[i].value == c) {
			snprintf(out, cap, "%s", well_known[i].name);
			return;
		}
	}
	snprintf(out, cap, "%u:%u", c >> 16, c & 0xffff);
}

bool conf_community_parse(const char *s, uint32_t *c)
{
	for (size_t i = 0; i < LEN(well_known); i++) {
		if (strcmp(s, well_known[i].name) == 0) {
			*c = well_known[i].value;
			return true;
		}
	}
	const char *colon = strchr(s, ':');
	uint64_t hi, lo;
	if (!colon || !dec(s, (size_t)(colon - s), 65535, &hi) ||
	    !dec(colon + 1, strlen(colon + 1), 65535, &lo))
		return false;
	*c = (uint32_t)(hi << 16 | lo);
	return true;
}

void conf_large_community_format(const struct bgp_large_community *lc, char *out, size_t cap)
{
	snprintf(out, cap, "%u:%u:%u", lc->global, lc->local1, lc->local2);
}

bool conf_large_community_parse(const char *s, struct bgp_large_community *lc)
{
	uint64_t v[3];
	for (int i = 0; i < 3; i++) {
		const char *end = i < 2 ? strchr(s, ':') : s + strlen(s);
		if (!end || !dec(s, (size_t)(end - s), UINT32_MAX, &v[i]))
			return false;
		s = end + 1;
	}
	*lc = (struct bgp_large_community){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2]};
	return true;
}

/* ---- DNS ---- */

static const struct {
	const char *name;
	uint16_t value;
} qtypes[] = {
	{"A", 1},    {"NS", 2},    {"CNAME", 5}, {"SOA", 6},  {"PTR", 12},
	{"MX", 15},  {"TXT", 16},  {"AAAA", 28}, {"SRV", 33}, {"ANY", 255},
};

void conf_qtype_format(uint16_t qtype, char *out, size_t cap)
{
	for (size_t i = 0; i < LEN(qtypes); i++) {
		if (qtypes[i].value == qtype) {
			snprintf(out, cap, "%s", qtypes[i].name);
			return;
		}
	}
	snprintf(out, cap, "TYPE%u", qtype);
}

bool conf_qtype_parse(const char *s, uint16_t *qtype)
{
	uint64_t v;
	for (size_t i = 0; i < LEN(qtypes); i++) {
		if (strcasecmp(s, qtypes[i].name) == 0) {
			*qtype = qtypes[i].value;
			return true;
		}
	}
	/* RFC 3597 generic form; type 0 is reserved */
	if (strncasecmp(s, "TYPE", 4) != 0 || !dec(s + 4, strlen(s + 4), 65535, &v) || v == 0)
		return false;
	*qtype = (uint16_t)v;
	return true;
}

static const struct {
	const char *name;
	int value;
} rcodes[] = {
	{"NOERROR", 0}, {"SERVFAIL", 2}, {"NXDOMAIN", 3}, {"REFUSED", 5}, {"any", -1},
};

const char *conf_rcode_name(int rcode)
{
	for (size_t i = 0; i < LEN(rcodes); i++)
		if (rcodes[i].value == rcode)
			return rcodes[i].name;
	return NULL;
}

bool conf_rcode_parse(const char *s, int *rcode)
{
	for (size_t i = 0; i < LEN(rcodes); i++) {
		if (strcasecmp(s, rcodes[i].name) == 0) {
			*rcode = rcodes[i].value;
			return true;
		}
	}
	return false;
}

/* ---- endpoints ---- */

static const char *endpoint_addr(const char *s, size_t len, uint8_t family, struct addr *a)
{
	char buf[ADDR_STRLEN];
	if (len == 0 || len >= sizeof buf)
		return "not an address";
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!addr_parse(buf, a) || (family && a->family != family))
		return "not an address";
	return NULL;
}

const char *conf_endpoint_parse(const char *s, bool need_port, struct addr *a, uint16_t *port)
{
	const char *host = s, *colon = strrchr(s, ':');
	size_t host_len;
	uint8_t family = ADDR_V4;
	uint64_t v;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || (close[1] != '\0' && close[1] != ':'))
			return "not an address";
		host = s + 1;
		host_len = (size_t)(close - host);
		family = ADDR_V6;
		colon = close[1] == ':' ? close + 1 : NULL;
	} else if (colon && strchr(s, ':') != colon) {
		/* more than one colon: a bare IPv6 address */
		if (need_port)
			return "an IPv6 address with a port is written [ADDRESS]:PORT";
		host_len = strlen(s);
		family = ADDR_V6;
		colon = NULL;
	} else {
		host_len = colon ? (size_t)(colon - s) : strlen(s);
	}
	if (endpoint_addr(host, host_len, family, a))
		return "not an address";
	if (!colon)
		return need_port ? "the port is missing" : NULL;
	if (!dec(colon + 1, strlen(colon + 1), 65535, &v) || v == 0)
		return "the port is not a number in 1..65535";
	*port = (uint16_t)v;
	return NULL;
}

void conf_endpoint_format(const struct addr *a, uint16_t port, char *out, size_t cap)
{
	char t[ADDR_STRLEN];
	addr_format(a, t, sizeof t);
	snprintf(out, cap, a->family == ADDR_V6 ? "[%s]:%u" : "%s:%u", t, port);
}
