/* AS path semantics: the merge of AS_PATH and AS4_PATH on 2-octet sessions
 * (RFC 6793 §4.2.3 and §6). */
#include "bgp/update.h"

static bool seg_is_confed(uint8_t t)
{
	return t == BGP_AS_CONFED_SEQUENCE || t == BGP_AS_CONFED_SET;
}

/* Counts ASes as RFC 6793 §4.2.3 does: a SET counts as one, confederation
 * segments not at all. */
static size_t aspath_count(struct buf_view v, unsigned w)
{
	size_t n = 0, off = 0;
	while (off + 2 <= v.len) {
		uint8_t t = v.p[off], c = v.p[off + 1];
		if ((size_t)c * w > v.len - off - 2)
			break; /* only reachable on unvalidated input */
		if (t == BGP_AS_SEQUENCE)
			n += c;
		else if (t == BGP_AS_SET)
			n += 1;
		off += 2 + (size_t)c * w;
	}
	return n;
}

/* Copies segments of width w into 4-octet form.  With a finite limit only
 * the leading part holding `limit` ASes is copied (a sequence is cut to
 * fit), together with confederation segments that lead or follow a copied
 * segment.  drop_confed skips confederation segments (AS4_PATH, §6). */
static void aspath_copy(struct buf_view v, unsigned w, size_t limit, bool drop_confed,
			struct buf_writer *out)
{
	size_t off = 0, n = 0;
	/* Copying stops at the first segment not taken, so a confederation
	 * segment reached here leads or follows a copied one. */
	for (; off + 2 <= v.len; off += 2 + (size_t)v.p[off + 1] * w) {
		uint8_t t = v.p[off], c = v.p[off + 1];
		const uint8_t *p = v.p + off + 2;
		if ((size_t)c * w > v.len - off - 2)
			break;
		size_t take = c;
		if (seg_is_confed(t)) {
			if (drop_confed)
				continue;
		} else {
			if (n >= limit)
				break;
			if (t == BGP_AS_SEQUENCE && n + c > limit)
				take = limit - n;
			n += t == BGP_AS_SEQUENCE ? take : 1;
		}
		buf_put_u8(out, t);
		buf_put_u8(out, (uint8_t)take);
		for (size_t i = 0; i < take; i++)
			buf_put_u32(out, w == 4 ? buf_load_u32(p + i * 4) : buf_load_u16(p + i * 2));
	}
}

size_t bgp_aspath_merged(const struct bgp_attrs *a, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	buf_writer_init(&w, out, cap);
	unsigned width = a->as_path_4 ? 4 : 2;
	size_t n = aspath_count(a->as_path, width);
	size_t n4 = a->as4_path.len ? aspath_count(a->as4_path, 4) : 0;
	/* AS4_PATH is ignored when AGGREGATOR and AS4_AGGREGATOR both came and
	 * AGGREGATOR names a real 2-octet AS, or when it is the longer path. */
	bool agg_real = bgp_attr_has(a, BGP_ATTR_AGGREGATOR) && bgp_attr_has(a, BGP_ATTR_AS4_AGGREGATOR) &&
			a->aggregator_as != BGP_AS_TRANS;
	if (!a->as_path_4 && a->as4_path.len && n >= n4 && !agg_real) {
		aspath_copy(a->as_path, width, n - n4, false, &w);
		aspath_copy(a->as4_path, 4, SIZE_MAX, true, &w);
	} else {
		aspath_copy(a->as_path, width, SIZE_MAX, false, &w);
	}
	return buf_wok(&w) ? w.len : (size_t)-1;
}

void bgp_aggregator_merged(const struct bgp_attrs *a, uint32_t *as, struct addr *id)
{
	*as = a->aggregator_as;
	*id = a->aggregator_id;
	if (!a->as_path_4 && a->aggregator_as == BGP_AS_TRANS &&
	    bgp_attr_has(a, BGP_ATTR_AS4_AGGREGATOR)) {
		*as = a->as4_aggregator_as;
		*id = a->as4_aggregator_id;
	}
}
