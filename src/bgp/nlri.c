#include "bgp/nlri.h"

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
	struct prefix m = *p;
	prefix_mask(&m);
	buf_put_u8(w, m.len);
	buf_put_bytes(w, m.addr.b, (m.len + 7u) / 8u);
}

void bgp_nlri_iter_init(struct bgp_nlri_iter *it, const struct bgp_nlri *n)
{
	buf_reader_init(&it->r, n->raw.p, n->raw.len);
	it->family = n->family;
}

bool bgp_nlri_next(struct bgp_nlri_iter *it, struct prefix *out)
{
	if (buf_left(&it->r) == 0)
		return false;
	*out = (struct prefix){.addr.family = it->family};
	uint8_t pl = buf_get_u8(&it->r);
	size_t nb = (pl + 7u) / 8u;
	if (pl > addr_bits(it->family) || nb > buf_left(&it->r)) {
		/* Unreachable for NLRI that passed bgp_nlri_scan; stay safe. */
		it->r.err = true;
		return false;
	}
	buf_get_bytes(&it->r, out->addr.b, nb);
	out->len = pl;
	prefix_mask(out);
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
