#include "lib/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool addr_parse(const char *s, struct addr *out)
{
	*out = (struct addr){0};
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = ADDR_V4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->b) == 1) {
		out->family = ADDR_V6;
		return true;
	}
	*out = (struct addr){0};
	return false;
}

bool prefix_parse(const char *s, struct prefix *out)
{
	char tmp[ADDR_STRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	*out = (struct prefix){0};
	if (alen == 0 || alen >= sizeof tmp)
		return false;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	if (!addr_parse(tmp, &out->addr))
		return false;
	unsigned max = addr_bits(out->addr.family);
	if (!slash) {
		out->len = (uint8_t)max;
		return true;
	}
	const char *d = slash + 1;
	if (*d < '0' || *d > '9' || strlen(d) > 3 || (d[0] == '0' && d[1] != '\0'))
		return false;
	char *end;
	unsigned long len = strtoul(d, &end, 10);
	if (*end != '\0' || len > max)
		return false;
	out->len = (uint8_t)len;
	return true;
}

void addr_format(const struct addr *a, char *out, size_t cap)
{
	int af = a->family == ADDR_V6 ? AF_INET6 : AF_INET;
	if (cap == 0)
		return;
	if (a->family == ADDR_NONE || !inet_ntop(af, a->b, out, (socklen_t)cap))
		snprintf(out, cap, "-");
}

void prefix_format(const struct prefix *p, char *out, size_t cap)
{
	char a[ADDR_STRLEN];
	addr_format(&p->addr, a, sizeof a);
	snprintf(out, cap, "%s/%u", a, p->len);
}

bool addr_equal(const struct addr *a, const struct addr *b)
{
	return a->family == b->family && memcmp(a->b, b->b, sizeof a->b) == 0;
}

bool prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return a->len == b->len && addr_equal(&a->addr, &b->addr);
}

bool prefix_is_canonical(const struct prefix *p)
{
	struct prefix m = *p;
	prefix_mask(&m);
	return memcmp(m.addr.b, p->addr.b, sizeof m.addr.b) == 0;
}

void prefix_mask(struct prefix *p)
{
	unsigned len = p->len;
	for (unsigned i = 0; i < 16; i++) {
		unsigned bit = i * 8;
		if (bit >= len)
			p->addr.b[i] = 0;
		else if (len - bit < 8)
			p->addr.b[i] &= (uint8_t)(0xff00u >> (len - bit));
	}
}

int prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	int c = memcmp(a->addr.b, b->addr.b, sizeof a->addr.b);
	if (c)
		return c < 0 ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool prefix_covers(const struct prefix *outer, const struct prefix *inner)
{
	if (outer->addr.family != inner->addr.family || outer->len > inner->len)
		return false;
	unsigned full = outer->len / 8, rest = outer->len % 8;
	if (memcmp(outer->addr.b, inner->addr.b, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (outer->addr.b[full] & mask) == (inner->addr.b[full] & mask);
}

const char *prefix_special_use(const struct prefix *p)
{
	static const struct {
		const char *net, *why;
	} table[] = {
		{"0.0.0.0/8", "\"this network\" (0.0.0.0/8)"},
		{"127.0.0.0/8", "loopback (127.0.0.0/8)"},
		{"169.254.0.0/16", "link-local (169.254.0.0/16)"},
		{"224.0.0.0/4", "multicast (224.0.0.0/4)"},
		{"240.0.0.0/4", "reserved (240.0.0.0/4)"},
		{"::/128", "the unspecified address (::/128)"},
		{"::1/128", "loopback (::1/128)"},
		{"::ffff:0:0/96", "IPv4-mapped (::ffff:0:0/96)"},
		{"fe80::/10", "link-local (fe80::/10)"},
		{"ff00::/8", "multicast (ff00::/8)"},
	};
	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		struct prefix n;
		if (!prefix_parse(table[i].net, &n))
			continue;
		/* either contains the other: they overlap */
		if (prefix_covers(&n, p) || prefix_covers(p, &n))
			return table[i].why;
	}
	return NULL;
}
