/* IPv4/IPv6 addresses and prefixes as plain values.  Pure. */
#ifndef ANYCASTD_LIB_ADDR_H
#define ANYCASTD_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum addr_family {
	ADDR_NONE = 0,
	ADDR_V4 = 4,
	ADDR_V6 = 6,
};

struct addr {
	uint8_t family; /* enum addr_family */
	uint8_t b[16];  /* network order; IPv4 uses b[0..3], rest zero */
};

struct prefix {
	struct addr addr;
	uint8_t len; /* 0..32 or 0..128 */
};

/* Longest text forms, including the terminating NUL. */
#define ADDR_STRLEN 46
#define PREFIX_STRLEN 50

static inline unsigned addr_bits(uint8_t family) { return family == ADDR_V6 ? 128 : 32; }
static inline unsigned addr_bytes(uint8_t family) { return family == ADDR_V6 ? 16 : 4; }

/* Parses "192.0.2.1" or "2001:db8::1".  Returns false on anything else. */
bool addr_parse(const char *s, struct addr *out);
/* Parses "192.0.2.0/24"; a bare address is taken as a host prefix.
 * Returns false on syntax errors or a length beyond the family's width. */
bool prefix_parse(const char *s, struct prefix *out);
/* Writes the text form into out (at least ADDR_STRLEN / PREFIX_STRLEN bytes). */
void addr_format(const struct addr *a, char *out, size_t cap);
void prefix_format(const struct prefix *p, char *out, size_t cap);

bool addr_equal(const struct addr *a, const struct addr *b);
bool prefix_equal(const struct prefix *a, const struct prefix *b);
/* True when no bit beyond len is set. */
bool prefix_is_canonical(const struct prefix *p);
/* Clears the bits beyond len. */
void prefix_mask(struct prefix *p);
/* Total order: family, then address bytes, then length. */
int prefix_cmp(const struct prefix *a, const struct prefix *b);
/* True when outer contains inner (same family, outer no longer, inner's
 * first outer->len bits equal). */
bool prefix_covers(const struct prefix *outer, const struct prefix *inner);
/* Why p may never be announced (it overlaps loopback, link-local,
 * multicast, "this network", reserved 240/4 and broadcast, the IPv6
 * unspecified address or IPv4-mapped addresses), or NULL.  Private and
 * documentation space pass: internal anycast and labs use them. */
const char *prefix_special_use(const struct prefix *p);

static inline void addr_v4(struct addr *a, uint32_t host_order)
{
	*a = (struct addr){.family = ADDR_V4};
	a->b[0] = (uint8_t)(host_order >> 24);
	a->b[1] = (uint8_t)(host_order >> 16);
	a->b[2] = (uint8_t)(host_order >> 8);
	a->b[3] = (uint8_t)host_order;
}

#endif
