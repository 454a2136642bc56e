#include <stdio.h>
#include <stdlib.h>

#include "bgp/notify.h"
#include "bgp/print.h"
#include "bgp/update.h"

static const struct {
	uint32_t value;
	const char *name;
} well_known_communities[] = {
	{BGP_COMM_GRACEFUL_SHUTDOWN, "graceful-shutdown"},
	{BGP_COMM_ACCEPT_OWN, "accept-own"},
	{BGP_COMM_BLACKHOLE, "blackhole"},
	{BGP_COMM_NO_EXPORT, "no-export"},
	{BGP_COMM_NO_ADVERTISE, "no-advertise"},
	{BGP_COMM_NO_EXPORT_SUBCONFED, "no-export-subconfed"},
	{BGP_COMM_NOPEER, "nopeer"},
};

void bgp_community_format(uint32_t c, char *out, size_t cap)
{
	for (size_t i = 0; i < sizeof well_known_communities / sizeof *well_known_communities; i++) {
		if (well_known_communities[i].value == c) {
			snprintf(out, cap, "%u:%u(%s)", c >> 16, c & 0xffff, well_known_communities[i].name);
			return;
		}
	}
	snprintf(out, cap, "%u:%u", c >> 16, c & 0xffff);
}

static void print_hex(struct strbuf *s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_printf(s, "%02x", p[i]);
}

static void print_escaped(struct strbuf *s, struct buf_view v)
{
	char esc[4 * 255 + 1];
	bgp_escape(v.p, v.len, esc, sizeof esc);
	strbuf_printf(s, "\"%s\"", esc);
}

static void print_error(struct strbuf *s, const struct bgp_error *e)
{
	strbuf_printf(s, "error %u/%u \"%s\"", e->code, e->subcode, e->reason ? e->reason : "");
	if (e->data_len) {
		strbuf_printf(s, " data=");
		print_hex(s, e->data, e->data_len);
	}
	strbuf_printf(s, "\n");
}

static void print_family(struct strbuf *s, uint16_t afi, uint8_t safi)
{
	unsigned f = bgp_family_of(afi, safi);
	if (f == BGP_FAM_IPV4)
		strbuf_printf(s, "ipv4-unicast");
	else if (f == BGP_FAM_IPV6)
		strbuf_printf(s, "ipv6-unicast");
	else
		strbuf_printf(s, "afi%u-safi%u", afi, safi);
}

static void print_caps(struct strbuf *s, const struct bgp_caps *c)
{
	if (c->families & BGP_FAM_IPV4)
		strbuf_printf(s, "cap mp ipv4-unicast\n");
	if (c->families & BGP_FAM_IPV6)
		strbuf_printf(s, "cap mp ipv6-unicast\n");
	for (unsigned i = 0; i < c->n_other_families; i++) {
		strbuf_printf(s, "cap mp ");
		print_family(s, c->other_families[i].afi, c->other_families[i].safi);
		strbuf_printf(s, "\n");
	}
	if (c->route_refresh)
		strbuf_printf(s, "cap route-refresh\n");
	if (c->enhanced_rr)
		strbuf_printf(s, "cap enhanced-route-refresh\n");
	if (c->ext_message)
		strbuf_printf(s, "cap extended-message\n");
	if (c->as4)
		strbuf_printf(s, "cap as4 %u\n", c->as4_asn);
	if (c->graceful_restart) {
		strbuf_printf(s, "cap graceful-restart flags=0x%x time=%u", c->gr_flags, c->gr_time);
		for (unsigned i = 0; i < c->n_gr_families; i++) {
			strbuf_printf(s, " ");
			print_family(s, c->gr_families[i].afi, c->gr_families[i].safi);
			strbuf_printf(s, "/0x%02x", c->gr_families[i].flags);
		}
		strbuf_printf(s, "\n");
	}
	if (c->fqdn) {
		strbuf_printf(s, "cap fqdn host=");
		print_escaped(s, c->fqdn_host);
		strbuf_printf(s, " domain=");
		print_escaped(s, c->fqdn_domain);
		strbuf_printf(s, "\n");
	}
	if (c->software_version) {
		strbuf_printf(s, "cap software-version ");
		print_escaped(s, c->software);
		strbuf_printf(s, "\n");
	}
	for (unsigned i = 0; i < c->n_unknown; i++) {
		strbuf_printf(s, "cap code=%u data=", c->unknown[i].code);
		print_hex(s, c->unknown[i].val.p, c->unknown[i].val.len);
		strbuf_printf(s, "\n");
	}
	if (c->n_ignored_malformed)
		strbuf_printf(s, "cap ignored-malformed %u\n", c->n_ignored_malformed);
}

static void print_open(struct strbuf *s, const uint8_t *msg, size_t len)
{
	struct bgp_open o;
	struct bgp_error err = {0};
	char id[ADDR_STRLEN];
	if (!bgp_open_decode(msg, len, &o, &err)) {
		print_error(s, &err);
		return;
	}
	struct addr a;
	addr_v4(&a, o.bgp_id);
	addr_format(&a, id, sizeof id);
	strbuf_printf(s, "version %u\nmy-as %u\nhold-time %u\nbgp-id %s\n", o.version, o.my_as,
		      o.hold_time, id);
	if (o.ext_params)
		strbuf_printf(s, "extended-parameters\n");
	print_caps(s, &o.caps);
}

static void print_nlri(struct strbuf *s, const char *label, const struct bgp_nlri *n)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p)) {
		prefix_format(&p, buf, sizeof buf);
		strbuf_printf(s, "%s %s\n", label, buf);
	}
}

static void print_aspath(struct strbuf *s, struct buf_view v, unsigned w)
{
	static const char *const seg[] = {"?", "set", "seq", "confed-seq", "confed-set"};
	size_t off = 0;
	while (off + 2 <= v.len) {
		uint8_t t = v.p[off], c = v.p[off + 1];
		if ((size_t)c * w > v.len - off - 2)
			break;
		strbuf_printf(s, " %s(", t <= 4 ? seg[t] : "?");
		for (unsigned i = 0; i < c; i++) {
			const uint8_t *p = v.p + off + 2 + (size_t)i * w;
			strbuf_printf(s, "%s%u", i ? " " : "", w == 4 ? buf_load_u32(p) : buf_load_u16(p));
		}
		strbuf_printf(s, ")");
		off += 2 + (size_t)c * w;
	}
}

static void print_addr_line(struct strbuf *s, const char *label, const struct addr *a)
{
	char buf[ADDR_STRLEN];
	addr_format(a, buf, sizeof buf);
	strbuf_printf(s, "%s %s\n", label, buf);
}

static void print_attr(struct strbuf *s, const struct bgp_attrs *a, uint8_t t)
{
	static const char *const origins[] = {"igp", "egp", "incomplete"};
	char buf[64];
	strbuf_printf(s, "attr %u flags=0x%02x ", t, a->flags[t]);
	switch (t) {
	case BGP_ATTR_ORIGIN:
		strbuf_printf(s, "origin %s\n", origins[a->origin]);
		return;
	case BGP_ATTR_AS_PATH:
		strbuf_printf(s, "as-path");
		print_aspath(s, a->as_path, a->as_path_4 ? 4 : 2);
		strbuf_printf(s, "\n");
		return;
	case BGP_ATTR_AS4_PATH:
		strbuf_printf(s, "as4-path");
		print_aspath(s, a->as4_path, 4);
		strbuf_printf(s, "\n");
		return;
	case BGP_ATTR_NEXT_HOP:
		print_addr_line(s, "next-hop", &a->next_hop);
		return;
	case BGP_ATTR_MED:
		strbuf_printf(s, "med %u\n", a->med);
		return;
	case BGP_ATTR_LOCAL_PREF:
		strbuf_printf(s, "local-pref %u\n", a->local_pref);
		return;
	case BGP_ATTR_ATOMIC_AGGREGATE:
		strbuf_printf(s, "atomic-aggregate\n");
		return;
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_AS4_AGGREGATOR: {
		bool four = t == BGP_ATTR_AS4_AGGREGATOR;
		addr_format(four ? &a->as4_aggregator_id : &a->aggregator_id, buf, sizeof buf);
		strbuf_printf(s, "%s %u %s\n", four ? "as4-aggregator" : "aggregator",
			      four ? a->as4_aggregator_as : a->aggregator_as, buf);
		return;
	}
	case BGP_ATTR_COMMUNITIES:
		strbuf_printf(s, "communities");
		for (size_t i = 0; i + 4 <= a->communities.len; i += 4) {
			bgp_community_format(buf_load_u32(a->communities.p + i), buf, sizeof buf);
			strbuf_printf(s, " %s", buf);
		}
		strbuf_printf(s, "\n");
		return;
	case BGP_ATTR_LARGE_COMMUNITIES:
		strbuf_printf(s, "large-communities");
		for (size_t i = 0; i + 12 <= a->large_communities.len; i += 12) {
			const uint8_t *p = a->large_communities.p + i;
			strbuf_printf(s, " %u:%u:%u", buf_load_u32(p), buf_load_u32(p + 4), buf_load_u32(p + 8));
		}
		strbuf_printf(s, "\n");
		return;
	case BGP_ATTR_MP_REACH: {
		const struct bgp_mp_reach *m = &a->mp_reach;
		strbuf_printf(s, "mp-reach ");
		print_family(s, m->afi, m->safi);
		strbuf_printf(s, "\n");
		if (m->parsed) {
			print_addr_line(s, "  next-hop", &m->nh);
			if (m->nh_len == 32)
				print_addr_line(s, "  next-hop-ll", &m->nh_ll);
			print_nlri(s, "  nlri", &m->nlri);
		} else {
			strbuf_printf(s, "  raw-next-hop ");
			print_hex(s, m->nh_raw.p, m->nh_raw.len);
			strbuf_printf(s, "\n  raw-nlri ");
			print_hex(s, m->raw_nlri.p, m->raw_nlri.len);
			strbuf_printf(s, "\n");
		}
		return;
	}
	case BGP_ATTR_MP_UNREACH: {
		const struct bgp_mp_unreach *m = &a->mp_unreach;
		strbuf_printf(s, "mp-unreach ");
		print_family(s, m->afi, m->safi);
		strbuf_printf(s, "\n");
		if (m->parsed) {
			print_nlri(s, "  withdrawn", &m->nlri);
		} else {
			strbuf_printf(s, "  raw-nlri ");
			print_hex(s, m->raw_nlri.p, m->raw_nlri.len);
			strbuf_printf(s, "\n");
		}
		return;
	}
	default:
		for (unsigned i = 0; i < a->n_raw; i++) {
			if (a->raw[i].type == t) {
				strbuf_printf(s, "raw len=%zu data=", a->raw[i].val.len);
				print_hex(s, a->raw[i].val.p, a->raw[i].val.len);
			}
		}
		strbuf_printf(s, "\n");
		return;
	}
}

static void print_update(struct strbuf *s, const uint8_t *msg, size_t len,
			 const struct bgp_session_params *sess)
{
	struct bgp_update u;
	enum bgp_verdict v = bgp_update_decode(msg, len, sess, &u);
	strbuf_printf(s, "verdict %s\n", bgp_verdict_name(v));
	if (u.n_problems) {
		strbuf_printf(s, "problems %u first-attr %u ", u.n_problems, u.error_attr);
		print_error(s, &u.error);
	}
	if (v == BGP_VERDICT_SESSION_RESET)
		return;
	print_nlri(s, "withdrawn", &u.withdrawn);
	for (unsigned t = 0; t < 256; t++)
		if (bgp_attr_has(&u.attrs, (uint8_t)t))
			print_attr(s, &u.attrs, (uint8_t)t);
	print_nlri(s, "nlri", &u.nlri);
	if (!u.attrs.as_path_4 && bgp_attr_has(&u.attrs, BGP_ATTR_AS4_PATH)) {
		size_t cap = 2 * u.attrs.as_path.len + u.attrs.as4_path.len;
		uint8_t *merged = malloc(cap ? cap : 1);
		size_t n = merged ? bgp_aspath_merged(&u.attrs, merged, cap) : (size_t)-1;
		if (n != (size_t)-1) {
			strbuf_printf(s, "merged-as-path");
			print_aspath(s, (struct buf_view){merged, n}, 4);
			strbuf_printf(s, "\n");
		}
		free(merged);
	}
	if (u.eor)
		strbuf_printf(s, "end-of-rib %s\n", u.eor_family == BGP_FAM_IPV6 ? "ipv6-unicast" : "ipv4-unicast");
}

static void print_notification(struct strbuf *s, const uint8_t *msg, size_t len)
{
	struct bgp_notification n;
	char buf[1200];
	bgp_notification_decode(msg, len, &n);
	bgp_notification_describe(&n, buf, sizeof buf);
	strbuf_printf(s, "notification %u/%u %s\n", n.code, n.subcode, buf);
	if (n.data.len) {
		strbuf_printf(s, "data ");
		print_hex(s, n.data.p, n.data.len);
		strbuf_printf(s, "\n");
	}
}

static void print_route_refresh(struct strbuf *s, const uint8_t *msg, size_t len)
{
	struct bgp_route_refresh rr;
	struct bgp_error err = {0};
	static const char *const sub[] = {"request", "begin", "end"};
	if (!bgp_route_refresh_decode(msg, len, &rr, &err)) {
		print_error(s, &err);
		return;
	}
	strbuf_printf(s, "route-refresh ");
	print_family(s, rr.afi, rr.safi);
	if (rr.subtype <= BGP_RR_EORR)
		strbuf_printf(s, " %s", sub[rr.subtype]);
	else
		strbuf_printf(s, " subtype=%u", rr.subtype);
	if (rr.extra)
		strbuf_printf(s, " orf-octets=%zu", rr.extra);
	strbuf_printf(s, "\n");
}

size_t bgp_msg_print(const uint8_t *msg, size_t len, const struct bgp_session_params *sess,
		     struct strbuf *out)
{
	uint8_t type;
	size_t mlen;
	struct bgp_error err = {0};
	char scratch[16];
	enum bgp_frame_result fr = bgp_frame(msg, len, sess->max_msg_len, &type, &mlen, &err);
	if (fr == BGP_FRAME_NEED_MORE) {
		strbuf_printf(out, "incomplete %zu octets\n", len);
		return 0;
	}
	if (fr == BGP_FRAME_ERROR) {
		print_error(out, &err);
		return 0;
	}
	strbuf_printf(out, "%s length %zu\n", bgp_msg_type_name(type, scratch, sizeof scratch), mlen);
	switch (type) {
	case BGP_OPEN:
		print_open(out, msg, mlen);
		break;
	case BGP_UPDATE:
		print_update(out, msg, mlen, sess);
		break;
	case BGP_NOTIFICATION:
		print_notification(out, msg, mlen);
		break;
	case BGP_ROUTE_REFRESH:
		print_route_refresh(out, msg, mlen);
		break;
	default:
		break;
	}
	return mlen;
}
