/* UPDATE decoding with RFC 7606 error handling.  Each attribute type has a
 * row in attr_rules: its expected Optional/Transitive bits, its checker,
 * and the approach for a flag conflict.  Checkers return a verdict; the
 * strongest verdict of the message wins. */
#include <string.h>

#include "bgp/nlri.h"
#include "bgp/update.h"

#define OT_WELLKNOWN BGP_ATTR_FLAG_TRANSITIVE
#define OT_OPTIONAL BGP_ATTR_FLAG_OPTIONAL
#define OT_OPT_TRANS (BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE)

struct attr_ctx {
	const struct bgp_session_params *sess;
	struct bgp_update *u;
	uint8_t flags;
	uint8_t type;
	struct buf_view val;
	const uint8_t *whole; /* the attribute including its header, for NOTIFICATION data */
	size_t whole_len;
};

/* A checker returns OK and stores the attribute, or another verdict and
 * sets the reason through attr_problem(). */
typedef enum bgp_verdict (*attr_check_fn)(struct attr_ctx *c);

struct attr_rule {
	uint8_t ot; /* expected Optional|Transitive bits */
	attr_check_fn check;
	enum bgp_verdict on_flags; /* approach for an O/T conflict */
};

const char *bgp_verdict_name(enum bgp_verdict v)
{
	static const char *const names[] = {"ok", "attribute-discard", "treat-as-withdraw",
					    "session-reset"};
	return (unsigned)v < sizeof names / sizeof *names ? names[v] : "?";
}

static void attr_mark(struct bgp_attrs *a, uint8_t type, uint8_t flags)
{
	a->seen[type >> 3] |= (uint8_t)(1u << (type & 7));
	a->flags[type] = flags;
}

/* Records a problem; the first problem of the strongest verdict names it. */
static enum bgp_verdict update_problem(struct bgp_update *u, enum bgp_verdict v, uint8_t type,
				       uint8_t subcode, const void *data, size_t dlen,
				       const char *reason)
{
	u->n_problems++;
	if (v > u->verdict || u->error.code == 0) {
		if (v > u->verdict)
			u->verdict = v;
		bgp_error_set(&u->error, BGP_ERR_UPDATE, subcode, data, dlen, reason);
		u->error_attr = type;
	}
	return v;
}

static enum bgp_verdict attr_problem(struct attr_ctx *c, enum bgp_verdict v, uint8_t subcode,
				     const char *reason)
{
	return update_problem(c->u, v, c->type, subcode, c->whole, c->whole_len, reason);
}

static void attr_keep_raw(struct attr_ctx *c)
{
	struct bgp_attrs *a = &c->u->attrs;
	if (a->n_raw < BGP_MAX_RAW_ATTRS)
		a->raw[a->n_raw++] = (struct bgp_attr_raw){c->flags, c->type, c->val};
	else
		a->raw_overflow = true;
}

static enum bgp_verdict check_origin(struct attr_ctx *c)
{
	if (c->val.len != 1)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH, "ORIGIN length is not 1");
	if (c->val.p[0] > BGP_ORIGIN_INCOMPLETE)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_INVALID_ORIGIN, "ORIGIN value undefined");
	c->u->attrs.origin = c->val.p[0];
	return BGP_VERDICT_OK;
}

/* Walks AS path segments of width w (2 or 4).  Returns NULL if well-formed,
 * or the reason.  *confed is set if confederation segments appear. */
static const char *aspath_check(struct buf_view v, unsigned w, bool *confed, bool *zero)
{
	struct buf_reader r;
	buf_reader_init(&r, v.p, v.len);
	*confed = *zero = false;
	while (buf_left(&r) > 0) {
		uint8_t type = buf_get_u8(&r);
		uint8_t n = buf_get_u8(&r);
		if (!buf_ok(&r))
			return "AS path segment header truncated";
		if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET)
			return "AS path segment type undefined";
		if (n == 0)
			return "AS path segment of length 0";
		if ((size_t)n * w > buf_left(&r))
			return "AS path segment overruns the attribute";
		*confed |= type >= BGP_AS_CONFED_SEQUENCE;
		for (unsigned i = 0; i < n; i++)
			*zero |= (w == 4 ? buf_get_u32(&r) : buf_get_u16(&r)) == 0;
	}
	return NULL;
}

static enum bgp_verdict check_as_path(struct attr_ctx *c)
{
	const struct bgp_session_params *s = c->sess;
	unsigned w = s->as4 ? 4 : 2;
	bool confed, zero;
	const char *why = aspath_check(c->val, w, &confed, &zero);
	if (why)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_AS_PATH, why);
	if (zero) /* RFC 7607 */
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_AS_PATH, "AS path contains AS 0");
	if (!s->ibgp && confed)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_AS_PATH,
				    "confederation segment from an external peer");
	if (s->enforce_first_as) {
		const uint8_t *p = c->val.p;
		uint32_t first = c->val.len < 2 + w ? 0 : (w == 4 ? buf_load_u32(p + 2) : buf_load_u16(p + 2));
		uint32_t want = s->as4 || s->peer_as <= 0xffff ? s->peer_as : BGP_AS_TRANS;
		if (c->val.len < 2 + w || p[0] != BGP_AS_SEQUENCE || first != want)
			return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_MALFORMED_AS_PATH,
					    "leftmost AS is not the peer's");
	}
	c->u->attrs.as_path = c->val;
	c->u->attrs.as_path_4 = s->as4;
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_next_hop(struct attr_ctx *c)
{
	if (c->val.len != 4)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH, "NEXT_HOP length is not 4");
	uint8_t b0 = c->val.p[0];
	if (buf_load_u32(c->val.p) == 0 || b0 >= 224)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_INVALID_NEXTHOP,
				    "NEXT_HOP is 0.0.0.0, multicast or reserved");
	c->u->attrs.next_hop = (struct addr){.family = ADDR_V4};
	memcpy(c->u->attrs.next_hop.b, c->val.p, 4);
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_u32(struct attr_ctx *c, uint32_t *dst, const char *why)
{
	if (c->val.len != 4)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH, why);
	*dst = buf_load_u32(c->val.p);
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_med(struct attr_ctx *c)
{
	return check_u32(c, &c->u->attrs.med, "MULTI_EXIT_DISC length is not 4");
}

static enum bgp_verdict check_local_pref(struct attr_ctx *c)
{
	if (!c->sess->ibgp) /* RFC 7606 §7.5: disregarded from external peers */
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_ATTR_LENGTH,
				    "LOCAL_PREF from an external peer");
	return check_u32(c, &c->u->attrs.local_pref, "LOCAL_PREF length is not 4");
}

static enum bgp_verdict check_atomic(struct attr_ctx *c)
{
	if (c->val.len != 0)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_ATTR_LENGTH, "ATOMIC_AGGREGATE length is not 0");
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_aggregator(struct attr_ctx *c)
{
	unsigned w = c->sess->as4 ? 4 : 2;
	if (c->val.len != w + 4)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_ATTR_LENGTH, "AGGREGATOR length wrong");
	uint32_t as = w == 4 ? buf_load_u32(c->val.p) : buf_load_u16(c->val.p);
	if (as == 0)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR, "AGGREGATOR AS is 0");
	c->u->attrs.aggregator_as = as;
	c->u->attrs.aggregator_id = (struct addr){.family = ADDR_V4};
	memcpy(c->u->attrs.aggregator_id.b, c->val.p + w, 4);
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_multiple(struct attr_ctx *c, size_t unit, bool zero_ok,
				       struct buf_view *dst, const char *why)
{
	if ((c->val.len == 0 && !zero_ok) || c->val.len % unit != 0)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_OPTIONAL_ATTR, why);
	if (dst)
		*dst = c->val;
	else
		attr_keep_raw(c);
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_communities(struct attr_ctx *c)
{
	return check_multiple(c, 4, false, &c->u->attrs.communities, "COMMUNITIES length 0 or not a multiple of 4");
}

static enum bgp_verdict check_large(struct attr_ctx *c)
{
	return check_multiple(c, 12, false, &c->u->attrs.large_communities,
			      "LARGE_COMMUNITY length 0 or not a multiple of 12");
}

static enum bgp_verdict check_ext_comm(struct attr_ctx *c)
{
	return check_multiple(c, 8, false, NULL, "EXTENDED_COMMUNITIES length 0 or not a multiple of 8");
}

static enum bgp_verdict check_ipv6_ext_comm(struct attr_ctx *c)
{
	return check_multiple(c, 20, false, NULL, "IPv6 extended communities length 0 or not a multiple of 20");
}

static enum bgp_verdict check_otc(struct attr_ctx *c)
{
	if (c->val.len != 4) /* RFC 9234 §5 */
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH, "OTC length is not 4");
	attr_keep_raw(c);
	return BGP_VERDICT_OK;
}

/* ORIGINATOR_ID and CLUSTER_LIST: route-reflection attributes (RFC 4456). */
static enum bgp_verdict check_rr_attr(struct attr_ctx *c)
{
	if (!c->sess->ibgp)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR,
				    "route-reflection attribute from an external peer");
	if (c->type == BGP_ATTR_ORIGINATOR_ID && c->val.len != 4)
		return attr_problem(c, BGP_VERDICT_TREAT_AS_WITHDRAW, BGP_UPD_ATTR_LENGTH, "ORIGINATOR_ID length is not 4");
	return check_multiple(c, 4, false, NULL, "CLUSTER_LIST length 0 or not a multiple of 4");
}

static enum bgp_verdict check_as4_path(struct attr_ctx *c)
{
	bool confed, zero;
	if (c->sess->as4) /* RFC 6793 §4.1: never between NEW speakers */
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR, "AS4_PATH on a 4-octet session");
	const char *why = aspath_check(c->val, 4, &confed, &zero);
	/* RFC 6793 §6: confederation segments are skipped when merging, the
	 * rest of the attribute is used; anything malformed drops it all. */
	if (why || zero || c->val.len == 0)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR,
				    why ? why : "AS4_PATH empty or with AS 0");
	if (confed) /* kept, but these segments are skipped by the merge */
		attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_MALFORMED_AS_PATH,
			     "confederation segments in AS4_PATH discarded");
	c->u->attrs.as4_path = c->val;
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_as4_aggregator(struct attr_ctx *c)
{
	if (c->sess->as4 || c->val.len != 8 || buf_load_u32(c->val.p) == 0)
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_OPTIONAL_ATTR,
				    "AS4_AGGREGATOR on a 4-octet session, length not 8, or AS 0");
	c->u->attrs.as4_aggregator_as = buf_load_u32(c->val.p);
	c->u->attrs.as4_aggregator_id = (struct addr){.family = ADDR_V4};
	memcpy(c->u->attrs.as4_aggregator_id.b, c->val.p + 4, 4);
	return BGP_VERDICT_OK;
}

/* MP_REACH/MP_UNREACH problems make the NLRI unrecoverable: RFC 7606 §5.3
 * and RFC 4760 §7 ask for a session reset (or AFI/SAFI disable). */
static enum bgp_verdict mp_fail(struct attr_ctx *c, const char *why)
{
	return attr_problem(c, BGP_VERDICT_SESSION_RESET, BGP_UPD_OPTIONAL_ATTR, why);
}

static enum bgp_verdict check_mp_reach(struct attr_ctx *c)
{
	struct bgp_mp_reach *m = &c->u->attrs.mp_reach;
	struct buf_reader r;
	buf_reader_init(&r, c->val.p, c->val.len);
	m->afi = buf_get_u16(&r);
	m->safi = buf_get_u8(&r);
	m->nh_len = buf_get_u8(&r);
	const uint8_t *nh = buf_get_ptr(&r, m->nh_len);
	buf_skip(&r, 1); /* reserved (formerly SNPA count) */
	if (!buf_ok(&r))
		return mp_fail(c, "MP_REACH_NLRI truncated");
	m->nh_raw = (struct buf_view){nh, m->nh_len};
	m->raw_nlri = (struct buf_view){r.p + r.off, buf_left(&r)};
	unsigned fam = bgp_family_of(m->afi, m->safi);
	if (!fam)
		return BGP_VERDICT_OK; /* a family we do not speak: kept opaque */
	uint8_t af = fam == BGP_FAM_IPV6 ? ADDR_V6 : ADDR_V4;
	unsigned alen = addr_bytes(af);
	if (m->nh_len != alen && !(af == ADDR_V6 && m->nh_len == 32))
		return mp_fail(c, "MP_REACH_NLRI next-hop length invalid for its family");
	m->nh = (struct addr){.family = af};
	memcpy(m->nh.b, nh, alen);
	if (m->nh_len == 32) {
		m->nh_ll = (struct addr){.family = ADDR_V6};
		memcpy(m->nh_ll.b, nh + 16, 16);
	}
	m->nlri = (struct bgp_nlri){.family = af, .raw = m->raw_nlri};
	if (!bgp_nlri_scan(m->raw_nlri.p, m->raw_nlri.len, af, &m->nlri.count))
		return mp_fail(c, "MP_REACH_NLRI prefixes malformed");
	m->parsed = true;
	return BGP_VERDICT_OK;
}

static enum bgp_verdict check_mp_unreach(struct attr_ctx *c)
{
	struct bgp_mp_unreach *m = &c->u->attrs.mp_unreach;
	if (c->val.len < 3)
		return mp_fail(c, "MP_UNREACH_NLRI truncated");
	m->afi = buf_load_u16(c->val.p);
	m->safi = c->val.p[2];
	m->raw_nlri = (struct buf_view){c->val.p + 3, c->val.len - 3};
	unsigned fam = bgp_family_of(m->afi, m->safi);
	if (!fam)
		return BGP_VERDICT_OK;
	uint8_t af = fam == BGP_FAM_IPV6 ? ADDR_V6 : ADDR_V4;
	m->nlri = (struct bgp_nlri){.family = af, .raw = m->raw_nlri};
	if (!bgp_nlri_scan(m->raw_nlri.p, m->raw_nlri.len, af, &m->nlri.count))
		return mp_fail(c, "MP_UNREACH_NLRI prefixes malformed");
	m->parsed = true;
	return BGP_VERDICT_OK;
}

static const struct attr_rule attr_rules[256] = {
	[BGP_ATTR_ORIGIN] = {OT_WELLKNOWN, check_origin, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_AS_PATH] = {OT_WELLKNOWN, check_as_path, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_NEXT_HOP] = {OT_WELLKNOWN, check_next_hop, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_MED] = {OT_OPTIONAL, check_med, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_LOCAL_PREF] = {OT_WELLKNOWN, check_local_pref, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_ATOMIC_AGGREGATE] = {OT_WELLKNOWN, check_atomic, BGP_VERDICT_ATTR_DISCARD},
	[BGP_ATTR_AGGREGATOR] = {OT_OPT_TRANS, check_aggregator, BGP_VERDICT_ATTR_DISCARD},
	[BGP_ATTR_COMMUNITIES] = {OT_OPT_TRANS, check_communities, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_ORIGINATOR_ID] = {OT_OPTIONAL, check_rr_attr, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_CLUSTER_LIST] = {OT_OPTIONAL, check_rr_attr, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_MP_REACH] = {OT_OPTIONAL, check_mp_reach, BGP_VERDICT_SESSION_RESET},
	[BGP_ATTR_MP_UNREACH] = {OT_OPTIONAL, check_mp_unreach, BGP_VERDICT_SESSION_RESET},
	[BGP_ATTR_EXT_COMMUNITIES] = {OT_OPT_TRANS, check_ext_comm, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_AS4_PATH] = {OT_OPT_TRANS, check_as4_path, BGP_VERDICT_ATTR_DISCARD},
	[BGP_ATTR_AS4_AGGREGATOR] = {OT_OPT_TRANS, check_as4_aggregator, BGP_VERDICT_ATTR_DISCARD},
	[BGP_ATTR_IPV6_EXT_COMMUNITIES] = {OT_OPT_TRANS, check_ipv6_ext_comm, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_LARGE_COMMUNITIES] = {OT_OPT_TRANS, check_large, BGP_VERDICT_TREAT_AS_WITHDRAW},
	[BGP_ATTR_OTC] = {OT_OPT_TRANS, check_otc, BGP_VERDICT_TREAT_AS_WITHDRAW},
};

static enum bgp_verdict attr_dispatch(struct attr_ctx *c, uint8_t *seen_raw)
{
	struct bgp_update *u = c->u;
	uint8_t t = c->type;
	if (seen_raw[t >> 3] & (1u << (t & 7))) {
		if (t == BGP_ATTR_MP_REACH || t == BGP_ATTR_MP_UNREACH) /* RFC 7606 §3(g) */
			return update_problem(u, BGP_VERDICT_SESSION_RESET, t, BGP_UPD_MALFORMED_ATTR_LIST,
					      NULL, 0, "MP_REACH_NLRI or MP_UNREACH_NLRI more than once");
		return attr_problem(c, BGP_VERDICT_ATTR_DISCARD, BGP_UPD_MALFORMED_ATTR_LIST,
				    "duplicate attribute discarded");
	}
	seen_raw[t >> 3] |= (uint8_t)(1u << (t & 7));
	const struct attr_rule *rule = &attr_rules[t];
	if (!rule->check) {
		if (!(c->flags & BGP_ATTR_FLAG_OPTIONAL))
			return attr_problem(c, BGP_VERDICT_SESSION_RESET, BGP_UPD_UNRECOGNIZED_WELLKNOWN,
					    "unrecognized well-known attribute");
		attr_keep_raw(c);
		attr_mark(&u->attrs, t, c->flags);
		return BGP_VERDICT_OK;
	}
	if ((c->flags & OT_OPT_TRANS) != rule->ot) {
		enum bgp_verdict v = rule->on_flags;
		/* LOCAL_PREF from eBGP is dropped whatever its flags. */
		if (t == BGP_ATTR_LOCAL_PREF && !c->sess->ibgp)
			v = BGP_VERDICT_ATTR_DISCARD;
		/* RFC 7606 §5.3: MP attributes with wrong flags are "incorrect":
		 * Optional Attribute Error (RFC 4760 §7). */
		bool mp = t == BGP_ATTR_MP_REACH || t == BGP_ATTR_MP_UNREACH;
		return attr_problem(c, v, mp ? BGP_UPD_OPTIONAL_ATTR : BGP_UPD_ATTR_FLAGS,
				    "Optional/Transitive flags conflict with the type");
	}
	enum bgp_verdict v = rule->check(c);
	if (v == BGP_VERDICT_OK)
		attr_mark(&u->attrs, t, c->flags);
	return v;
}

/* Walks the path attributes.  Length conflicts (RFC 7606 §4) end the walk
 * with treat-as-withdraw; the caller still finds the NLRI through the
 * Total Path Attribute Length. */
static void attrs_decode(struct buf_reader *r, const struct bgp_session_params *sess,
			 struct bgp_update *u)
{
	uint8_t seen_raw[32] = {0};
	while (buf_left(r) > 0) {
		struct attr_ctx c = {.sess = sess, .u = u, .whole = r->p + r->off};
		size_t left = buf_left(r);
		if (left < 3) {
			update_problem(u, BGP_VERDICT_TREAT_AS_WITHDRAW, 0, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				       "fewer than 3 octets left in the attribute block");
			return;
		}
		c.flags = buf_get_u8(r);
		c.type = buf_get_u8(r);
		bool ext = c.flags & BGP_ATTR_FLAG_EXTLEN;
		if (ext && left < 4) {
			update_problem(u, BGP_VERDICT_TREAT_AS_WITHDRAW, c.type, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				       "extended-length attribute header truncated");
			return;
		}
		size_t alen = ext ? buf_get_u16(r) : buf_get_u8(r);
		const uint8_t *val = buf_get_ptr(r, alen);
		if (!val) {
			update_problem(u, BGP_VERDICT_TREAT_AS_WITHDRAW, c.type, BGP_UPD_ATTR_LENGTH, NULL, 0,
				       "attribute length overruns the attribute block");
			return;
		}
		c.val = (struct buf_view){val, alen};
		c.whole_len = (size_t)(val + alen - c.whole);
		attr_dispatch(&c, seen_raw);
		if (u->verdict == BGP_VERDICT_SESSION_RESET)
			return;
	}
}

static bool nlri_field(struct bgp_nlri *n, const uint8_t *p, size_t len)
{
	*n = (struct bgp_nlri){.family = ADDR_V4, .raw = {p, len}};
	return bgp_nlri_scan(p, len, ADDR_V4, &n->count);
}

static void update_check_mandatory(struct bgp_update *u)
{
	static const uint8_t mandatory[] = {BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH, BGP_ATTR_NEXT_HOP};
	const struct bgp_attrs *a = &u->attrs;
	bool classic = u->nlri.count > 0;
	bool mp = bgp_attr_has(a, BGP_ATTR_MP_REACH) && (!a->mp_reach.parsed || a->mp_reach.nlri.count > 0);
	if (!classic && !mp)
		return;
	for (size_t i = 0; i < sizeof mandatory; i++) {
		uint8_t t = mandatory[i];
		if (t == BGP_ATTR_NEXT_HOP && !classic)
			continue; /* RFC 4760: MP_REACH carries its own next hop */
		if (!bgp_attr_has(a, t)) {
			update_problem(u, BGP_VERDICT_TREAT_AS_WITHDRAW, t, BGP_UPD_MISSING_WELLKNOWN, &t, 1,
				       "well-known mandatory attribute missing");
			return;
		}
	}
}

/* RFC 7606 §5.2: attribute errors in an UPDATE without reachable NLRI
 * cast doubt on the whole parse, so anything stronger than attribute
 * discard becomes a session reset.  error still names the first
 * treat-as-withdraw problem, which is the NOTIFICATION to send. */
static void update_check_unreachable(struct bgp_update *u)
{
	const struct bgp_mp_reach *m = &u->attrs.mp_reach;
	bool reachable = u->nlri.count > 0 || m->nlri.count > 0 || m->raw_nlri.len > 0;
	if (u->verdict == BGP_VERDICT_TREAT_AS_WITHDRAW && !reachable)
		u->verdict = BGP_VERDICT_SESSION_RESET;
}

static void update_check_eor(struct bgp_update *u)
{
	const struct bgp_attrs *a = &u->attrs;
	if (u->withdrawn.raw.len || u->nlri.raw.len)
		return;
	unsigned n = 0;
	for (unsigned i = 0; i < sizeof a->seen; i++)
		n += (unsigned)__builtin_popcount(a->seen[i]);
	if (n == 0 && u->n_problems == 0) {
		u->eor = true;
		u->eor_family = BGP_FAM_IPV4;
	} else if (n == 1 && bgp_attr_has(a, BGP_ATTR_MP_UNREACH) && a->mp_unreach.raw_nlri.len == 0 &&
		   bgp_family_of(a->mp_unreach.afi, a->mp_unreach.safi) == BGP_FAM_IPV6) {
		/* RFC 4724 §2: IPv4 unicast has its own marker (above). */
		u->eor = true;
		u->eor_family = (uint8_t)bgp_family_of(a->mp_unreach.afi, a->mp_unreach.safi);
	}
}

enum bgp_verdict bgp_update_decode(const uint8_t *msg, size_t len,
				   const struct bgp_session_params *sess, struct bgp_update *u)
{
	struct buf_reader r, wr, ar;
	memset(u, 0, sizeof *u);
	if (len < BGP_UPDATE_MIN_LEN)
		return update_problem(u, BGP_VERDICT_SESSION_RESET, 0, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				      "UPDATE shorter than 23 octets");
	buf_reader_init(&r, msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	buf_get_sub(&r, buf_get_u16(&r), &wr);
	if (!buf_ok(&r))
		return update_problem(u, BGP_VERDICT_SESSION_RESET, 0, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				      "Withdrawn Routes Length overruns the message");
	buf_get_sub(&r, buf_get_u16(&r), &ar);
	if (!buf_ok(&r))
		return update_problem(u, BGP_VERDICT_SESSION_RESET, 0, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				      "Total Path Attribute Length overruns the message");
	if (!nlri_field(&u->withdrawn, wr.p, wr.len)) /* RFC 7606 §3(i), §5.3 */
		return update_problem(u, BGP_VERDICT_SESSION_RESET, 0, BGP_UPD_INVALID_NETWORK, NULL, 0,
				      "withdrawn routes malformed");
	if (!nlri_field(&u->nlri, r.p + r.off, buf_left(&r)))
		return update_problem(u, BGP_VERDICT_SESSION_RESET, 0, BGP_UPD_INVALID_NETWORK, NULL, 0,
				      "NLRI field malformed");
	attrs_decode(&ar, sess, u);
	if (u->verdict == BGP_VERDICT_SESSION_RESET)
		return u->verdict;
	update_check_mandatory(u);
	update_check_unreachable(u);
	update_check_eor(u);
	return u->verdict;
}
