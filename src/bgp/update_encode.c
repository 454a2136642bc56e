/* UPDATE encoding: canonical re-encoding of decoded messages, attribute
 * blocks for our own announcements, and the packer. */
#include <string.h>

#include "bgp/nlri.h"
#include "bgp/update.h"

#define FLAGS_WK BGP_ATTR_FLAG_TRANSITIVE
#define FLAGS_OPT BGP_ATTR_FLAG_OPTIONAL
#define FLAGS_OPT_TRANS (BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE)

static void nlri_copy(struct buf_writer *w, const struct bgp_nlri *n)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p))
		bgp_nlri_put(w, &p);
}

static size_t nlri_bytes(const struct bgp_nlri *n)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	size_t sz = 0;
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p))
		sz += bgp_nlri_size(&p);
	return sz;
}

static void put_mp_reach(struct buf_writer *w, const struct bgp_mp_reach *m, uint8_t flags)
{
	size_t nl = m->parsed ? nlri_bytes(&m->nlri) : m->raw_nlri.len;
	bgp_attr_put_header(w, flags, BGP_ATTR_MP_REACH, 5 + m->nh_raw.len + nl);
	buf_put_u16(w, m->afi);
	buf_put_u8(w, m->safi);
	buf_put_u8(w, m->nh_len);
	buf_put_bytes(w, m->nh_raw.p, m->nh_raw.len);
	buf_put_u8(w, 0);
	if (m->parsed)
		nlri_copy(w, &m->nlri);
	else
		buf_put_bytes(w, m->raw_nlri.p, m->raw_nlri.len);
}

static void put_mp_unreach(struct buf_writer *w, const struct bgp_mp_unreach *m, uint8_t flags)
{
	size_t nl = m->parsed ? nlri_bytes(&m->nlri) : m->raw_nlri.len;
	bgp_attr_put_header(w, flags, BGP_ATTR_MP_UNREACH, 3 + nl);
	buf_put_u16(w, m->afi);
	buf_put_u8(w, m->safi);
	if (m->parsed)
		nlri_copy(w, &m->nlri);
	else
		buf_put_bytes(w, m->raw_nlri.p, m->raw_nlri.len);
}

static void put_u32_attr(struct buf_writer *w, uint8_t flags, uint8_t type, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	bgp_attr_put(w, flags, type, b, 4);
}

static void put_aggregator(struct buf_writer *w, uint8_t flags, uint8_t type, uint32_t as,
			   const struct addr *id, bool as4)
{
	bgp_attr_put_header(w, flags, type, as4 ? 8 : 6);
	if (as4)
		buf_put_u32(w, as);
	else
		buf_put_u16(w, (uint16_t)as);
	buf_put_bytes(w, id->b, 4);
}

/* One attribute of a decoded UPDATE, from its parsed fields or as kept. */
static void put_decoded_attr(struct buf_writer *w, const struct bgp_attrs *a, uint8_t t, bool as4)
{
	uint8_t f = a->flags[t];
	switch (t) {
	case BGP_ATTR_ORIGIN:
		bgp_attr_put(w, f, t, &a->origin, 1);
		return;
	case BGP_ATTR_AS_PATH:
		bgp_attr_put(w, f, t, a->as_path.p, a->as_path.len);
		return;
	case BGP_ATTR_NEXT_HOP:
		bgp_attr_put(w, f, t, a->next_hop.b, 4);
		return;
	case BGP_ATTR_MED:
		put_u32_attr(w, f, t, a->med);
		return;
	case BGP_ATTR_LOCAL_PREF:
		put_u32_attr(w, f, t, a->local_pref);
		return;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		bgp_attr_put(w, f, t, NULL, 0);
		return;
	case BGP_ATTR_AGGREGATOR:
		put_aggregator(w, f, t, a->aggregator_as, &a->aggregator_id, as4);
		return;
	case BGP_ATTR_AS4_AGGREGATOR:
		put_aggregator(w, f, t, a->as4_aggregator_as, &a->as4_aggregator_id, true);
		return;
	case BGP_ATTR_COMMUNITIES:
		bgp_attr_put(w, f, t, a->communities.p, a->communities.len);
		return;
	case BGP_ATTR_LARGE_COMMUNITIES:
		bgp_attr_put(w, f, t, a->large_communities.p, a->large_communities.len);
		return;
	case BGP_ATTR_AS4_PATH:
		bgp_attr_put(w, f, t, a->as4_path.p, a->as4_path.len);
		return;
	default:
		for (unsigned i = 0; i < a->n_raw; i++)
			if (a->raw[i].type == t)
				bgp_attr_put(w, a->raw[i].flags, t, a->raw[i].val.p, a->raw[i].val.len);
		return;
	}
}

bool bgp_update_encode(const struct bgp_update *u, const struct bgp_session_params *sess,
		       struct buf_writer *w)
{
	const struct bgp_attrs *a = &u->attrs;
	if (u->verdict != BGP_VERDICT_OK || a->raw_overflow ||
	    (bgp_attr_has(a, BGP_ATTR_AS_PATH) && a->as_path_4 != sess->as4)) {
		w->err = true;
		return false;
	}
	size_t start = bgp_header_start(w, BGP_UPDATE);
	size_t wl_at = w->len;
	buf_put_u16(w, 0);
	nlri_copy(w, &u->withdrawn);
	buf_patch_u16(w, wl_at, (uint16_t)(w->len - wl_at - 2));
	size_t al_at = w->len;
	buf_put_u16(w, 0);
	if (bgp_attr_has(a, BGP_ATTR_MP_REACH))
		put_mp_reach(w, &a->mp_reach, a->flags[BGP_ATTR_MP_REACH]);
	if (bgp_attr_has(a, BGP_ATTR_MP_UNREACH))
		put_mp_unreach(w, &a->mp_unreach, a->flags[BGP_ATTR_MP_UNREACH]);
	for (unsigned t = 0; t < 256; t++)
		if (t != BGP_ATTR_MP_REACH && t != BGP_ATTR_MP_UNREACH && bgp_attr_has(a, (uint8_t)t))
			put_decoded_attr(w, a, (uint8_t)t, sess->as4);
	size_t alen = w->len - al_at - 2;
	if (alen > 0xffff)
		w->err = true;
	buf_patch_u16(w, al_at, (uint16_t)alen);
	nlri_copy(w, &u->nlri);
	bgp_header_finish(w, start);
	if (buf_wok(w) && w->len - start > sess->max_msg_len)
		w->err = true;
	return buf_wok(w);
}

/* ---- our own announcements ---- */

static bool aspath_needs_as4(const struct bgp_route_attrs *ra)
{
	for (unsigned i = 0; i < ra->as_path_len; i++)
		if (ra->as_path[i] > 0xffff)
			return true;
	return false;
}

static void put_aspath(struct buf_writer *w, uint8_t type, const struct bgp_route_attrs *ra,
		       bool as4)
{
	size_t n = ra->as_path_len;
	size_t len = n ? 2 + n * (as4 ? 4 : 2) : 0;
	bgp_attr_put_header(w, type == BGP_ATTR_AS_PATH ? FLAGS_WK : FLAGS_OPT_TRANS, type, len);
	if (!n)
		return;
	buf_put_u8(w, BGP_AS_SEQUENCE);
	buf_put_u8(w, (uint8_t)n);
	for (size_t i = 0; i < n; i++) {
		uint32_t as = ra->as_path[i];
		if (as4)
			buf_put_u32(w, as);
		else
			buf_put_u16(w, (uint16_t)(as > 0xffff ? BGP_AS_TRANS : as));
	}
}

/* Refuses what a receiver would treat as withdrawn (RFC 7606, RFC 7607):
 * we never emit an announcement the decoder would not accept. */
static bool route_attrs_valid(const struct bgp_route_attrs *ra, unsigned family)
{
	if (ra->as_path_len > BGP_MAX_AS_PATH || ra->n_communities > BGP_MAX_COMMUNITIES ||
	    ra->n_large > BGP_MAX_LARGE_COMMUNITIES || ra->origin > BGP_ORIGIN_INCOMPLETE)
		return false;
	for (unsigned i = 0; i < ra->as_path_len; i++)
		if (ra->as_path[i] == 0)
			return false;
	if (family == BGP_FAM_IPV6)
		return ra->next_hop_v6.family == ADDR_V6 &&
		       (ra->next_hop_v6_ll.family == ADDR_NONE || ra->next_hop_v6_ll.family == ADDR_V6);
	const uint8_t *nh = ra->next_hop_v4.b;
	return family == BGP_FAM_IPV4 && ra->next_hop_v4.family == ADDR_V4 &&
	       buf_load_u32(nh) != 0 && nh[0] < 224;
}

size_t bgp_attrs_encode(const struct bgp_route_attrs *ra, unsigned family,
			const struct bgp_session_params *sess, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	buf_writer_init(&w, out, cap);
	if (!route_attrs_valid(ra, family))
		return 0;
	bgp_attr_put(&w, FLAGS_WK, BGP_ATTR_ORIGIN, &ra->origin, 1);
	put_aspath(&w, BGP_ATTR_AS_PATH, ra, sess->as4);
	if (family == BGP_FAM_IPV4)
		bgp_attr_put(&w, FLAGS_WK, BGP_ATTR_NEXT_HOP, ra->next_hop_v4.b, 4);
	if (ra->has_med)
		put_u32_attr(&w, FLAGS_OPT, BGP_ATTR_MED, ra->med);
	/* RFC 4271 §5.1.5: always on iBGP (100 unless set), never on eBGP;
	 * FRR and OpenBGPD treat its absence as a missing mandatory attribute. */
	if (sess->ibgp)
		put_u32_attr(&w, FLAGS_WK, BGP_ATTR_LOCAL_PREF, ra->has_local_pref ? ra->local_pref : 100);
	if (ra->n_communities) {
		bgp_attr_put_header(&w, FLAGS_OPT_TRANS, BGP_ATTR_COMMUNITIES, 4u * ra->n_communities);
		for (unsigned i = 0; i < ra->n_communities; i++)
			buf_put_u32(&w, ra->communities[i]);
	}
	if (!sess->as4 && aspath_needs_as4(ra))
		put_aspath(&w, BGP_ATTR_AS4_PATH, ra, true);
	if (ra->n_large) {
		bgp_attr_put_header(&w, FLAGS_OPT_TRANS, BGP_ATTR_LARGE_COMMUNITIES, 12u * ra->n_large);
		for (unsigned i = 0; i < ra->n_large; i++) {
			buf_put_u32(&w, ra->large[i].global);
			buf_put_u32(&w, ra->large[i].local1);
			buf_put_u32(&w, ra->large[i].local2);
		}
	}
	return buf_wok(&w) ? w.len : 0;
}

static size_t pack_limit(const struct bgp_session_params *sess, size_t cap)
{
	return cap < sess->max_msg_len ? cap : sess->max_msg_len;
}

/* Takes prefixes while they fit in `room` octets; returns the octets used. */
static size_t pack_take(const struct prefix *pfx, size_t n, size_t room, size_t *used)
{
	size_t sz = 0, i = 0;
	while (i < n && sz + bgp_nlri_size(&pfx[i]) <= room)
		sz += bgp_nlri_size(&pfx[i++]);
	*used = i;
	return sz;
}

size_t bgp_update_pack_announce(const struct bgp_session_params *sess, unsigned family,
				const uint8_t *attrs, size_t attrs_len,
				const struct bgp_route_attrs *ra, const struct prefix *pfx,
				size_t n, size_t *used, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	size_t limit = pack_limit(sess, cap);
	size_t fixed = BGP_UPDATE_MIN_LEN + attrs_len;
	const struct addr *nh = &ra->next_hop_v6;
	bool v6 = family == BGP_FAM_IPV6;
	bool ll = v6 && ra->next_hop_v6_ll.family == ADDR_V6;
	size_t mp_fixed = v6 ? 4 + 5 + (ll ? 32 : 16) : 0; /* worst-case header */
	*used = 0;
	if (n == 0 || fixed + mp_fixed >= limit)
		return 0;
	size_t nl = pack_take(pfx, n, limit - fixed - mp_fixed, used);
	if (*used == 0)
		return 0;
	buf_writer_init(&w, out, cap);
	size_t start = bgp_header_start(&w, BGP_UPDATE);
	buf_put_u16(&w, 0);
	size_t al_at = w.len;
	buf_put_u16(&w, 0);
	if (v6) {
		bgp_attr_put_header(&w, FLAGS_OPT, BGP_ATTR_MP_REACH, 5 + (ll ? 32u : 16u) + nl);
		buf_put_u16(&w, BGP_AFI_IPV6);
		buf_put_u8(&w, BGP_SAFI_UNICAST);
		buf_put_u8(&w, ll ? 32 : 16);
		buf_put_bytes(&w, nh->b, 16);
		if (ll)
			buf_put_bytes(&w, ra->next_hop_v6_ll.b, 16);
		buf_put_u8(&w, 0);
		for (size_t i = 0; i < *used; i++)
			bgp_nlri_put(&w, &pfx[i]);
	}
	buf_put_bytes(&w, attrs, attrs_len);
	buf_patch_u16(&w, al_at, (uint16_t)(w.len - al_at - 2));
	if (!v6)
		for (size_t i = 0; i < *used; i++)
			bgp_nlri_put(&w, &pfx[i]);
	bgp_header_finish(&w, start);
	if (!buf_wok(&w)) {
		*used = 0;
		return 0;
	}
	return w.len;
}

size_t bgp_update_pack_withdraw(const struct bgp_session_params *sess, unsigned family,
				const struct prefix *pfx, size_t n, size_t *used, uint8_t *out,
				size_t cap)
{
	struct buf_writer w;
	size_t limit = pack_limit(sess, cap);
	bool v6 = family == BGP_FAM_IPV6;
	size_t fixed = BGP_UPDATE_MIN_LEN + (v6 ? 4 + 3 : 0);
	*used = 0;
	if (n == 0 || fixed >= limit)
		return 0;
	size_t nl = pack_take(pfx, n, limit - fixed, used);
	if (*used == 0)
		return 0;
	buf_writer_init(&w, out, cap);
	size_t start = bgp_header_start(&w, BGP_UPDATE);
	if (v6) {
		buf_put_u16(&w, 0);
		size_t al_at = w.len;
		buf_put_u16(&w, 0);
		bgp_attr_put_header(&w, FLAGS_OPT, BGP_ATTR_MP_UNREACH, 3 + nl);
		buf_put_u16(&w, BGP_AFI_IPV6);
		buf_put_u8(&w, BGP_SAFI_UNICAST);
		for (size_t i = 0; i < *used; i++)
			bgp_nlri_put(&w, &pfx[i]);
		buf_patch_u16(&w, al_at, (uint16_t)(w.len - al_at - 2));
	} else {
		buf_put_u16(&w, (uint16_t)nl);
		for (size_t i = 0; i < *used; i++)
			bgp_nlri_put(&w, &pfx[i]);
		buf_put_u16(&w, 0);
	}
	bgp_header_finish(&w, start);
	if (!buf_wok(&w)) {
		*used = 0;
		return 0;
	}
	return w.len;
}

size_t bgp_update_encode_eor(unsigned family, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	buf_writer_init(&w, out, cap);
	size_t start = bgp_header_start(&w, BGP_UPDATE);
	buf_put_u16(&w, 0);
	if (family == BGP_FAM_IPV6) {
		static const uint8_t unreach[] = {0, BGP_AFI_IPV6, BGP_SAFI_UNICAST};
		buf_put_u16(&w, 6);
		bgp_attr_put(&w, FLAGS_OPT, BGP_ATTR_MP_UNREACH, unreach, sizeof unreach);
	} else {
		buf_put_u16(&w, 0);
	}
	bgp_header_finish(&w, start);
	return buf_wok(&w) ? w.len : 0;
}
