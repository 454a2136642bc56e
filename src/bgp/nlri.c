#include "bgp/nlri.h"

#include <string.h>

#include "bgp/update.h"

bool bgp_nlri_scan(const uint8_t *p, size_t len, uint8_t family, uint32_t *count)
{
	unsigned max = addr_bits(family);
	size_t off = 0;
	uint32_t n = 0;
	while (off < len) {
		unsigned pl = p[off];
		size_t nb = (pl + 7u) / 8u;
		if (pl > max || nb > len - off - 1)
			return false;
		off += 1 + nb;
		n++;
	}
	*count = n;
	return true;
}

void bgp_nlri_put(struct buf_writer *w, const struct prefix *p)
{
	size_t nb = (p->len + 7u) / 8u;
	if (p->len > addr_bits(p->addr.family)) { /* would read beyond addr.b */
		w->err = true;
		return;
	}
	uint8_t *o = buf_put_space(w, 1 + nb);
	if (!o)
		return;
	o[0] = p->len;
	memcpy(o + 1, p->addr.b, nb);
	if (p->len & 7u) /* clear host bits: only the last octet can have any */
		o[nb] &= (uint8_t)(0xff00u >> (p->len & 7u));
}

void bgp_nlri_iter_init(struct bgp_nlri_iter *it, const struct bgp_nlri *n)
{
	buf_reader_init(&it->r, n->raw.p, n->raw.len);
	it->family = n->family;
}

bool bgp_nlri_next(struct bgp_nlri_iter *it, struct prefix *out)
{
	struct buf_reader *r = &it->r;
	if (r->err || r->off >= r->len)
		return false;
	const uint8_t *p = r->p + r->off;
	unsigned pl = p[0];
	size_t nb = (pl + 7u) / 8u;
	if (pl > addr_bits(it->family) || nb > r->len - r->off - 1) {
		/* Unreachable for NLRI that passed bgp_nlri_scan; stay safe. */
		r->err = true;
		return false;
	}
	*out = (struct prefix){.addr.family = it->family, .len = (uint8_t)pl};
	memcpy(out->addr.b, p + 1, nb);
	if (pl & 7u) /* the octets past nb are zero already */
		out->addr.b[nb - 1] &= (uint8_t)(0xff00u >> (pl & 7u));
	r->off += 1 + nb;
	return true;
}

void bgp_attr_put_header(struct buf_writer *w, uint8_t flags, uint8_t type, size_t len)
{
	flags &= (uint8_t)~(BGP_ATTR_FLAG_EXTLEN | 0x0f);
	if (len > 0xffff) {
		w->err = true;
		return;
	}
	if (len > 255) {
		buf_put_u8(w, flags | BGP_ATTR_FLAG_EXTLEN);
		buf_put_u8(w, type);
		buf_put_u16(w, (uint16_t)len);
	} else {
		buf_put_u8(w, flags);
		buf_put_u8(w, type);
		buf_put_u8(w, (uint8_t)len);
	}
}

void bgp_attr_put(struct buf_writer *w, uint8_t flags, uint8_t type, const void *val, size_t len)
{
	bgp_attr_put_header(w, flags, type, len);
	buf_put_bytes(w, val, len);
}
