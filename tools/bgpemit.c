/* bgpemit: write every kind of message our encoder emits, as hex streams.
 *
 *   bgpemit OUTDIR
 *
 * Writes OUTDIR/NAME.hex, one file per message stream, in the format
 * bgpdecode reads: a `# session:` directive naming the session parameters
 * the stream was encoded under, then one hex block per message (each
 * preceded by a `# ...` comment saying what it is).  tests/tshark/oracle
 * decodes every stream with bgpdecode and with Wireshark's dissector.
 *
 * Messages are built only through the public encoder API (bgp_open_encode,
 * bgp_keepalive_encode, bgp_notification_encode[_shutdown],
 * bgp_route_refresh_encode, bgp_attrs_encode, bgp_update_pack_announce,
 * bgp_update_pack_withdraw, bgp_update_encode_eor).  The tool checks what it
 * can itself: every message's header length matches what the encoder
 * returned and is within the session's maximum (OPEN and KEEPALIVE 4096);
 * every UPDATE decodes with verdict ok under the session and carries the
 * attributes asked for (AS path after AS4_PATH merging, LOCAL_PREF only on
 * iBGP, next hops, communities); packed UPDATEs are full and together carry
 * exactly the input prefixes; shutdown communications are UTF-8 prefixes of
 * the text, cut at a character boundary.
 * Exit: 0 ok, 1 a check failed, 2 usage or I/O error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bgp/notify.h"
#include "bgp/open.h"
#include "bgp/update.h"

#define MSG_CAP BGP_EXT_MAX_LEN
#define ATTR_CAP 4096

/* Our own AS numbers: a 4-octet one and a 2-octet one. */
#define ASN4 4200000001u
#define ASN2 64500u

struct emit {
	const char *dir;
	FILE *f;
	char name[128];
	struct bgp_session_params sess;
	unsigned n_msgs;
	unsigned n_files;
	unsigned failures;
};

static void fail(struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bgpemit: %s: ", e->name[0] ? e->name : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	e->failures++;
}

/* ---- session parameters, mirroring bgpdecode's `# session:` words ---- */

struct sess_spec {
	bool as4;
	bool ibgp;
	uint32_t peer_as; /* the AS the receiver expects first in AS_PATH: ours */
	bool ext_msg;
};

static void sess_from_spec(const struct sess_spec *sp, struct bgp_session_params *s)
{
	/* Same defaults as bgpdecode's parse_session. */
	bgp_session_params_default(s);
	s->families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	s->as4 = sp->as4;
	s->ibgp = sp->ibgp;
	s->enforce_first_as = !sp->ibgp;
	s->peer_as = sp->peer_as;
	if (sp->ext_msg) {
		s->ext_message = true;
		s->max_msg_len = BGP_EXT_MAX_LEN;
	}
}

/* ---- output ---- */

static bool stream_open(struct emit *e, const char *name, const struct sess_spec *sp,
			const char *what)
{
	char path[4096];
	snprintf(e->name, sizeof e->name, "%s", name);
	snprintf(path, sizeof path, "%s/%s.hex", e->dir, name);
	e->f = fopen(path, "w");
	if (!e->f) {
		fprintf(stderr, "bgpemit: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	sess_from_spec(sp, &e->sess);
	fprintf(e->f, "# %s\n# written by tools/bgpemit from the public encoder API\n", what);
	fprintf(e->f, "# session: %s %s peer-as=%u%s\n", sp->as4 ? "as4" : "as2",
		sp->ibgp ? "ibgp" : "ebgp", sp->peer_as, sp->ext_msg ? " ext-msg" : "");
	e->n_msgs = 0;
	e->n_files++;
	return true;
}

static void stream_close(struct emit *e)
{
	if (fclose(e->f) != 0) {
		fprintf(stderr, "bgpemit: %s: write error\n", e->name);
		exit(2);
	}
	e->f = NULL;
	if (e->n_msgs == 0)
		fail(e, "%s", "no message written");
	e->name[0] = '\0';
}

/* Checks the framing of one encoded message and appends it to the stream. */
static void put_msg(struct emit *e, const uint8_t *m, size_t n, const char *what)
{
	size_t max = e->sess.max_msg_len;
	if (n < BGP_HEADER_LEN) {
		fail(e, "%s: encoder returned fewer octets than a header", what);
		return;
	}
	if (m[18] == BGP_OPEN || m[18] == BGP_KEEPALIVE)
		max = BGP_MAX_LEN;
	for (unsigned i = 0; i < BGP_MARKER_LEN; i++)
		if (m[i] != 0xff)
			fail(e, "%s: marker is not all ones", what);
	if (buf_load_u16(m + 16) != n)
		fail(e, "%s: header length differs from the encoded length", what);
	if (n > max)
		fail(e, "%s: message longer than the session allows", what);
	fprintf(e->f, "# %s (%zu octets)\n", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(e->f, "%02x%s", m[i], (i % 32 == 31 || i + 1 == n) ? "\n" : "");
	e->n_msgs++;
}

/* Encodes with a buf_writer-style encoder result and writes the message. */
static void put_writer(struct emit *e, bool ok, const struct buf_writer *w, const char *what)
{
	if (!ok || !buf_wok(w)) {
		fail(e, "%s: encoder failed", what);
		return;
	}
	put_msg(e, w->p, w->len, what);
}

/* ---- OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ---- */

struct open_case {
	const char *name;
	const char *what;
	uint32_t asn;
	unsigned families;
	bool ext_message;
	bool gr;
	bool gr_families;
	bool enhanced_rr;
	bool ext_params;
	bool fqdn;
};

static const struct open_case open_cases[] = {
	{"open-as4-v4v6", "OPEN, 4-octet AS, MP IPv4+IPv6, route refresh, enhanced RR, extended message",
	 ASN4, BGP_FAM_IPV4 | BGP_FAM_IPV6, true, false, false, true, false, false},
	{"open-as2-v4v6", "OPEN, 2-octet AS, MP IPv4+IPv6, route refresh", ASN2,
	 BGP_FAM_IPV4 | BGP_FAM_IPV6, false, false, false, false, false, false},
	{"open-as2-v4", "OPEN, 2-octet AS, MP IPv4 only", ASN2, BGP_FAM_IPV4, false, false, false,
	 false, false, false},
	{"open-as4-v6", "OPEN, 4-octet AS, MP IPv6 only, extended message", ASN4, BGP_FAM_IPV6, true,
	 false, false, false, false, false},
	{"open-as4-gr", "OPEN, 4-octet AS, graceful restart with IPv4+IPv6 forwarding state", ASN4,
	 BGP_FAM_IPV4 | BGP_FAM_IPV6, true, true, true, true, false, false},
	{"open-as2-gr-helper", "OPEN, 2-octet AS, graceful restart without families (helper)", ASN2,
	 BGP_FAM_IPV4 | BGP_FAM_IPV6, false, true, false, false, false, false},
	{"open-as4-fqdn", "OPEN, 4-octet AS, hostname and software version capabilities", ASN4,
	 BGP_FAM_IPV4 | BGP_FAM_IPV6, true, false, false, true, false, true},
	{"open-as4-extparams", "OPEN, 4-octet AS, RFC 9072 extended optional parameters", ASN4,
	 BGP_FAM_IPV4 | BGP_FAM_IPV6, true, false, false, true, true, false},
};

static void emit_opens(struct emit *e)
{
	static const char host[] = "site1", domain[] = "example.net", sw[] = "anycastd/0.1";
	for (size_t i = 0; i < sizeof open_cases / sizeof *open_cases; i++) {
		const struct open_case *c = &open_cases[i];
		struct sess_spec sp = {true, false, c->asn, false};
		struct bgp_open o;
		uint8_t buf[MSG_CAP];
		struct buf_writer w;
		memset(&o, 0, sizeof o);
		o.version = BGP_VERSION;
		o.my_as = (uint16_t)(c->asn > 0xffff ? BGP_AS_TRANS : c->asn);
		o.hold_time = 90;
		o.bgp_id = 0xc0000201; /* 192.0.2.1 */
		o.ext_params = c->ext_params;
		o.caps.any = true;
		o.caps.families = c->families;
		o.caps.route_refresh = true;
		o.caps.enhanced_rr = c->enhanced_rr;
		o.caps.ext_message = c->ext_message;
		o.caps.as4 = true;
		o.caps.as4_asn = c->asn;
		if (c->gr) {
			o.caps.graceful_restart = true;
			o.caps.gr_flags = 0x8 | 0x4; /* restart state, notification */
			o.caps.gr_time = 120;
			if (c->gr_families) {
				o.caps.n_gr_families = 2;
				o.caps.gr_families[0] = (struct bgp_gr_family){BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0x80};
				o.caps.gr_families[1] = (struct bgp_gr_family){BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0x80};
			}
		}
		if (c->fqdn) {
			o.caps.fqdn = true;
			o.caps.fqdn_host = (struct buf_view){(const uint8_t *)host, strlen(host)};
			o.caps.fqdn_domain = (struct buf_view){(const uint8_t *)domain, strlen(domain)};
			o.caps.software_version = true;
			o.caps.software = (struct buf_view){(const uint8_t *)sw, strlen(sw)};
		}
		stream_open(e, c->name, &sp, c->what);
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_open_encode(&o, &w), &w, c->what);
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_keepalive_encode(&w), &w, "KEEPALIVE");
		stream_close(e);
	}
}

static void emit_keepalive(struct emit *e)
{
	struct sess_spec sp = {true, false, ASN4, false};
	uint8_t buf[64];
	struct buf_writer w;
	stream_open(e, "keepalive", &sp, "KEEPALIVEs back to back");
	for (int i = 0; i < 3; i++) {
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_keepalive_encode(&w), &w, "KEEPALIVE");
	}
	stream_close(e);
}

/* Checks what bgp_notification_encode_shutdown made of text: the
 * communication is a prefix of the text, valid UTF-8, at most 255 octets,
 * and no shorter than needed (cut less than one character from 255). */
static void check_shutdown(struct emit *e, const struct buf_writer *w, const char *text,
			   size_t want, const char *what)
{
	const uint8_t *d = w->p + BGP_HEADER_LEN + 2;
	size_t n = w->len - BGP_HEADER_LEN - 2;
	if (n < 1 || d[0] != n - 1 || d[0] != want)
		fail(e, "%s: shutdown communication length is wrong", what);
	else if (memcmp(d + 1, text, d[0]) != 0 || !bgp_utf8_valid(d + 1, d[0]))
		fail(e, "%s: shutdown communication is not a UTF-8 prefix of the text", what);
}

static void emit_notifications(struct emit *e)
{
	struct sess_spec sp = {true, false, ASN4, false};
	uint8_t buf[MSG_CAP];
	struct buf_writer w;
	char longa[301], longu[301], longe[301];
	static const struct {
		const char *text;
		const char *what;
	} texts[] = {
		{"maintenance: draining site1, back at 14:00 UTC", "shutdown, ASCII"},
		{"Wartungsarbeiten \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac "
		 "\xf0\x9f\x9b\xa0", "shutdown, UTF-8 of 2, 3 and 4 octets"},
		{"", "shutdown, empty communication"},
	};

	stream_open(e, "notification-shutdown", &sp, "NOTIFICATION Cease with RFC 9003 communications");
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, texts[i].text, &w),
			   &w, texts[i].what);
		check_shutdown(e, &w, texts[i].text, strlen(texts[i].text), texts[i].what);
	}
	/* 300 ASCII octets: cut at 255. */
	memset(longa, 'a', 300);
	longa[300] = '\0';
	buf_writer_init(&w, buf, sizeof buf);
	put_writer(e, bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_RESET, longa, &w), &w,
		   "reset, 300 ASCII octets cut to 255");
	check_shutdown(e, &w, longa, 255, "reset, 300 ASCII octets");
	/* 253 ASCII then 3-octet characters: octet 255 is inside the first
	 * one, so the cut falls before it, at 253. */
	memset(longu, 'x', 253);
	for (size_t i = 253; i + 3 <= 300; i += 3)
		memcpy(longu + i, "\xe6\x97\xa5", 3);
	longu[253 + 45] = '\0';
	buf_writer_init(&w, buf, sizeof buf);
	put_writer(e, bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, longu, &w), &w,
		   "shutdown, >255 octets cut inside a 3-octet character");
	check_shutdown(e, &w, longu, 253, "shutdown, cut inside a 3-octet character");
	/* 4-octet characters from the start: 63 fit in 252, the 64th would
	 * need 256. */
	for (size_t i = 0; i + 4 <= 300; i += 4)
		memcpy(longe + i, "\xf0\x9f\x9b\xa0", 4);
	longe[300] = '\0';
	buf_writer_init(&w, buf, sizeof buf);
	put_writer(e, bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, longe, &w), &w,
		   "shutdown, 4-octet characters cut at 252");
	check_shutdown(e, &w, longe, 252, "shutdown, 4-octet characters");
	stream_close(e);

	stream_open(e, "notification-other", &sp, "NOTIFICATIONs with raw data");
	static const uint8_t bad_as[] = {0xfa, 0x56, 0xea, 0x01}; /* 4200000001 */
	static const uint8_t bad_len[] = {0x10, 0x01};            /* 4097 */
	static const uint8_t bad_hold[] = {0x00, 0x02};
	static const struct {
		uint8_t code, sub;
		const uint8_t *data;
		size_t len;
		const char *what;
	} raws[] = {
		{BGP_ERR_HOLD, 0, NULL, 0, "Hold Timer Expired"},
		{BGP_ERR_SEND_HOLD, 0, NULL, 0, "Send Hold Timer Expired"},
		{BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, bad_len, sizeof bad_len, "Bad Message Length 4097"},
		{BGP_ERR_OPEN, BGP_OPEN_BAD_PEER_AS, bad_as, sizeof bad_as, "Bad Peer AS"},
		{BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, bad_hold, sizeof bad_hold, "Unacceptable Hold Time"},
		{BGP_ERR_FSM, 1, NULL, 0, "FSM error"},
		{BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIX, NULL, 0, "Cease/Maximum Number of Prefixes"},
		{BGP_ERR_CEASE, BGP_CEASE_PEER_DECONF, NULL, 0, "Cease/Peer De-configured"},
		{BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0, "Cease/Connection Collision Resolution"},
		{BGP_ERR_CEASE, BGP_CEASE_HARD_RESET, NULL, 0, "Cease/Hard Reset"},
	};
	for (size_t i = 0; i < sizeof raws / sizeof *raws; i++) {
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_notification_encode(raws[i].code, raws[i].sub, raws[i].data, raws[i].len, &w),
			   &w, raws[i].what);
	}
	stream_close(e);
}

static void emit_route_refresh(struct emit *e)
{
	struct sess_spec sp = {true, false, ASN4, false};
	uint8_t buf[64];
	struct buf_writer w;
	static const struct {
		uint16_t afi;
		uint8_t sub;
		const char *what;
	} rr[] = {
		{BGP_AFI_IPV4, BGP_RR_REQUEST, "ROUTE-REFRESH IPv4 request"},
		{BGP_AFI_IPV6, BGP_RR_REQUEST, "ROUTE-REFRESH IPv6 request"},
		{BGP_AFI_IPV4, BGP_RR_BORR, "ROUTE-REFRESH IPv4 BoRR"},
		{BGP_AFI_IPV4, BGP_RR_EORR, "ROUTE-REFRESH IPv4 EoRR"},
		{BGP_AFI_IPV6, BGP_RR_BORR, "ROUTE-REFRESH IPv6 BoRR"},
		{BGP_AFI_IPV6, BGP_RR_EORR, "ROUTE-REFRESH IPv6 EoRR"},
	};
	stream_open(e, "route-refresh", &sp, "ROUTE-REFRESH (RFC 2918) and enhanced (RFC 7313)");
	for (size_t i = 0; i < sizeof rr / sizeof *rr; i++) {
		buf_writer_init(&w, buf, sizeof buf);
		put_writer(e, bgp_route_refresh_encode(rr[i].afi, BGP_SAFI_UNICAST, rr[i].sub, &w), &w,
			   rr[i].what);
	}
	stream_close(e);
}

/* ---- prefixes ---- */

/* Sets bits [start, start+nbits) of b (network order) to the low bits of v. */
static void set_bits(uint8_t *b, unsigned start, unsigned nbits, uint32_t v)
{
	for (unsigned i = 0; i < nbits; i++) {
		unsigned bit = start + i;
		uint8_t mask = (uint8_t)(0x80u >> (bit & 7));
		if (v >> (nbits - 1 - i) & 1)
			b[bit >> 3] |= mask;
		else
			b[bit >> 3] &= (uint8_t)~mask;
	}
}

/* n distinct canonical prefixes of mixed lengths: IPv4 under 10.0.0.0/8,
 * IPv6 under 2001:db8::/32, the index within each length class written
 * into the 14 bits just above the prefix length (up to 16384 per class). */
static void make_prefixes(struct prefix *p, size_t n, uint8_t family)
{
	static const uint8_t len4[] = {24, 32, 22, 28, 25, 30, 23};
	static const uint8_t len6[] = {48, 64, 128, 56, 127, 96, 60, 49};
	const uint8_t *lens = family == ADDR_V4 ? len4 : len6;
	size_t nl = family == ADDR_V4 ? sizeof len4 : sizeof len6;
	for (size_t i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof p[i]);
		p[i].addr.family = family;
		p[i].len = lens[i % nl];
		if (family == ADDR_V4) {
			p[i].addr.b[0] = 10;
		} else {
			p[i].addr.b[0] = 0x20, p[i].addr.b[1] = 0x01;
			p[i].addr.b[2] = 0x0d, p[i].addr.b[3] = 0xb8;
		}
		set_bits(p[i].addr.b, p[i].len - 14u, 14, (uint32_t)(i / nl));
		if (i / nl >= 1u << 14)
			abort();
	}
}

/* A few hand-picked prefixes per family for the attribute streams. */
static size_t small_prefixes(struct prefix *p, uint8_t family)
{
	static const char *const v4[] = {"203.0.113.53/32", "198.51.100.0/24", "192.0.2.128/25",
					 "100.64.0.0/10", "10.0.0.0/8", "0.0.0.0/0"};
	static const char *const v6[] = {"2001:db8:53::53/128", "2001:db8:1::/48", "2001:db8::/32",
					 "2001:db8:2:3::/64", "2001:db8:4:5:6:7::/97", "::/0"};
	const char *const *s = family == ADDR_V4 ? v4 : v6;
	size_t n = 6;
	for (size_t i = 0; i < n; i++)
		if (!prefix_parse(s[i], &p[i]))
			abort();
	return n;
}

static int prefix_cmp_v(const void *a, const void *b)
{
	return prefix_cmp(a, b);
}

/* ---- UPDATEs ---- */

static void addr_from(struct addr *a, const char *s)
{
	if (!addr_parse(s, a))
		abort();
}

/* Checks that a decoded announcement carries exactly the attributes the
 * agent asked for, as the receiver sees them (AS4_PATH merged). */
static void check_attrs(struct emit *e, const struct bgp_update *u, const struct bgp_route_attrs *ra,
			unsigned family, const char *what)
{
	const struct bgp_attrs *a = &u->attrs;
	const struct bgp_session_params *s = &e->sess;
	uint8_t want[2 + 4 * BGP_MAX_AS_PATH], got[4 * (2 + 4 * BGP_MAX_AS_PATH)];
	struct buf_writer w;
	bool need_as4 = false;
	buf_writer_init(&w, want, sizeof want);
	if (ra->as_path_len) {
		buf_put_u8(&w, BGP_AS_SEQUENCE);
		buf_put_u8(&w, ra->as_path_len);
	}
	for (unsigned i = 0; i < ra->as_path_len; i++) {
		buf_put_u32(&w, ra->as_path[i]);
		need_as4 |= ra->as_path[i] > 0xffff;
	}
	size_t ng = bgp_aspath_merged(a, got, sizeof got);
	if (!bgp_attr_has(a, BGP_ATTR_ORIGIN) || a->origin != ra->origin)
		fail(e, "%s: ORIGIN differs", what);
	if (!bgp_attr_has(a, BGP_ATTR_AS_PATH) || ng != w.len || memcmp(got, want, ng) != 0)
		fail(e, "%s: AS path differs from the one asked for", what);
	if (bgp_attr_has(a, BGP_ATTR_AS4_PATH) != (!s->as4 && need_as4))
		fail(e, "%s: AS4_PATH present when it should not be, or missing", what);
	if (bgp_attr_has(a, BGP_ATTR_MED) != ra->has_med || (ra->has_med && a->med != ra->med))
		fail(e, "%s: MULTI_EXIT_DISC differs", what);
	bool lp = ra->has_local_pref && s->ibgp;
	if (bgp_attr_has(a, BGP_ATTR_LOCAL_PREF) != lp || (lp && a->local_pref != ra->local_pref))
		fail(e, "%s: LOCAL_PREF differs (sent only on iBGP)", what);
	bool comm_ok = a->communities.len == 4u * ra->n_communities;
	for (unsigned i = 0; comm_ok && i < ra->n_communities; i++)
		comm_ok = buf_load_u32(a->communities.p + 4 * i) == ra->communities[i];
	if (!comm_ok || bgp_attr_has(a, BGP_ATTR_COMMUNITIES) != (ra->n_communities > 0))
		fail(e, "%s: COMMUNITIES differ", what);
	bool large_ok = a->large_communities.len == 12u * ra->n_large;
	for (unsigned i = 0; large_ok && i < ra->n_large; i++) {
		const uint8_t *p = a->large_communities.p + 12 * i;
		large_ok = buf_load_u32(p) == ra->large[i].global &&
			   buf_load_u32(p + 4) == ra->large[i].local1 &&
			   buf_load_u32(p + 8) == ra->large[i].local2;
	}
	if (!large_ok)
		fail(e, "%s: LARGE_COMMUNITY differs", what);
	if (family == BGP_FAM_IPV4) {
		if (!bgp_attr_has(a, BGP_ATTR_NEXT_HOP) || !addr_equal(&a->next_hop, &ra->next_hop_v4) ||
		    bgp_attr_has(a, BGP_ATTR_MP_REACH))
			fail(e, "%s: IPv4 NEXT_HOP differs", what);
	} else {
		const struct bgp_mp_reach *m = &a->mp_reach;
		bool ll = ra->next_hop_v6_ll.family == ADDR_V6;
		if (bgp_attr_has(a, BGP_ATTR_NEXT_HOP) || !m->parsed || m->nh_len != (ll ? 32 : 16) ||
		    !addr_equal(&m->nh, &ra->next_hop_v6) || (ll && !addr_equal(&m->nh_ll, &ra->next_hop_v6_ll)))
			fail(e, "%s: IPv6 next hop differs", what);
	}
}

/* Decodes one of our UPDATEs; appends its announced (or withdrawn)
 * prefixes of `family` to got[*ngot] and checks the verdict, and for
 * announcements (ra not NULL) the attributes. */
static bool collect(struct emit *e, const uint8_t *m, size_t n, unsigned family,
		    const struct bgp_route_attrs *ra, struct prefix *got, size_t *ngot, size_t cap,
		    const char *what)
{
	bool withdraw = ra == NULL;
	struct bgp_update *u = malloc(sizeof *u);
	struct bgp_nlri_iter it;
	const struct bgp_nlri *src;
	struct prefix p;
	bool ok = true;
	if (!u)
		abort();
	if (bgp_update_decode(m, n, &e->sess, u) != BGP_VERDICT_OK || u->n_problems) {
		fail(e, "%s: our own decoder does not accept it", what);
		free(u);
		return false;
	}
	if (ra)
		check_attrs(e, u, ra, family, what);
	else
		for (unsigned t = 1; t < 256; t++)
			if (bgp_attr_has(&u->attrs, (uint8_t)t) &&
			    !(family == BGP_FAM_IPV6 && t == BGP_ATTR_MP_UNREACH))
				fail(e, "%s: withdrawal carries attribute %u", what, t);
	if (family == BGP_FAM_IPV4)
		src = withdraw ? &u->withdrawn : &u->nlri;
	else
		src = withdraw ? &u->attrs.mp_unreach.nlri : &u->attrs.mp_reach.nlri;
	if (family == BGP_FAM_IPV6 && !(withdraw ? u->attrs.mp_unreach.parsed : u->attrs.mp_reach.parsed))
		src = NULL;
	if (src) {
		bgp_nlri_iter_init(&it, src);
		while (bgp_nlri_next(&it, &p)) {
			if (*ngot >= cap) {
				ok = false;
				break;
			}
			got[(*ngot)++] = p;
		}
	}
	if (!ok)
		fail(e, "%s: decoded more prefixes than were given", what);
	free(u);
	return ok;
}

/* Compares the prefixes the messages carry with the input, as sets. */
static void check_union(struct emit *e, const struct prefix *in, size_t n, struct prefix *got,
			size_t ngot, const char *what)
{
	struct prefix *want = malloc((n ? n : 1) * sizeof *want);
	if (!want)
		abort();
	memcpy(want, in, n * sizeof *want);
	for (size_t i = 0; i < n; i++)
		prefix_mask(&want[i]);
	qsort(want, n, sizeof *want, prefix_cmp_v);
	qsort(got, ngot, sizeof *got, prefix_cmp_v);
	if (ngot != n)
		fail(e, "%s: the messages carry a different number of prefixes than the input", what);
	else
		for (size_t i = 0; i < n; i++)
			if (!prefix_equal(&want[i], &got[i])) {
				fail(e, "%s: the messages carry other prefixes than the input", what);
				break;
			}
	free(want);
}

/* Packs pfx[0..n) into as many UPDATEs as it takes (announce when attrs is
 * not NULL, withdraw otherwise) and writes them; checks each message's size
 * and fill, and that the messages carry exactly the input prefixes. */
static void pack_all(struct emit *e, unsigned family, const uint8_t *attrs, size_t alen,
		     const struct bgp_route_attrs *ra, const struct prefix *pfx, size_t n,
		     const char *what)
{
	static uint8_t buf[MSG_CAP];
	struct prefix *got = malloc((n ? n : 1) * sizeof *got);
	size_t off = 0, ngot = 0, msgs = 0;
	char label[256];
	if (!got)
		abort();
	while (off < n) {
		size_t used = 0, len;
		if (attrs)
			len = bgp_update_pack_announce(&e->sess, family, attrs, alen, ra, pfx + off,
						       n - off, &used, buf, sizeof buf);
		else
			len = bgp_update_pack_withdraw(&e->sess, family, pfx + off, n - off, &used, buf,
						       sizeof buf);
		if (len == 0 || used == 0 || used > n - off) {
			fail(e, "%s, message %zu: packer made no progress", what, msgs + 1);
			break;
		}
		snprintf(label, sizeof label, "%s, message %zu, prefixes %zu..%zu", what, msgs + 1, off,
			 off + used - 1);
		put_msg(e, buf, len, label);
		if (off + used < n) {
			/* Fill: a message is cut only when the next prefix does not fit. */
			size_t next = 1 + (pfx[off + used].len + 7u) / 8u;
			if (len + next <= e->sess.max_msg_len)
				fail(e, "%s: message not full although more prefixes were left", label);
		}
		if (!collect(e, buf, len, family, attrs ? ra : NULL, got, &ngot, n, label))
			break;
		off += used;
		msgs++;
	}
	check_union(e, pfx, n, got, ngot, what);
	free(got);
}

struct attr_case {
	const char *name;
	const char *what;
	struct sess_spec sp;
	uint32_t asn;
	uint8_t prepend;  /* AS_PATH length on eBGP: our AS this many times */
	bool med;
	bool local_pref;
	bool comms;
	bool large;
	bool ll;          /* IPv6 link-local next hop too */
};

/* Every attribute combination the agent sends, on each kind of session. */
static const struct attr_case attr_cases[] = {
	{"update-ebgp-as4-minimal", "eBGP 4-octet session, 4-octet AS, no optional attributes",
	 {true, false, ASN4, false}, ASN4, 1, false, false, false, false, false},
	{"update-ebgp-as4-full", "eBGP 4-octet session, 4-octet AS prepended 3x, MED, communities incl. 65535:0, large communities",
	 {true, false, ASN4, false}, ASN4, 3, true, false, true, true, false},
	{"update-ebgp-as4-ll", "eBGP 4-octet session, 2-octet AS prepended 2x, IPv6 link-local next hop, communities",
	 {true, false, ASN2, false}, ASN2, 2, false, false, true, false, true},
	{"update-ebgp-as4-drain", "eBGP 4-octet session, drain: 65535:0 and prepend 5x, LOCAL_PREF set but not sent",
	 {true, false, ASN4, false}, ASN4, 5, true, true, true, true, true},
	{"update-ibgp-as4", "iBGP 4-octet session: empty AS_PATH, LOCAL_PREF, MED, communities, large communities",
	 {true, true, ASN4, false}, ASN4, 0, true, true, true, true, false},
	{"update-ebgp-as2-asn2", "eBGP 2-octet session, 2-octet AS prepended 2x, MED, communities",
	 {false, false, ASN2, false}, ASN2, 2, true, false, true, true, false},
	{"update-ebgp-as2-asn4", "eBGP 2-octet session, 4-octet AS: AS_TRANS and AS4_PATH, prepended 3x",
	 {false, false, ASN4, false}, ASN4, 3, true, false, true, true, true},
	{"update-ibgp-as2", "iBGP 2-octet session, 4-octet AS: empty AS_PATH, LOCAL_PREF, no AS4_PATH",
	 {false, true, ASN4, false}, ASN4, 0, true, true, true, true, true},
	{"update-ebgp-as4-extmsg", "eBGP 4-octet session with extended messages, full attributes",
	 {true, false, ASN4, true}, ASN4, 2, true, false, true, true, true},
};

static void route_attrs(const struct attr_case *c, struct bgp_route_attrs *ra)
{
	memset(ra, 0, sizeof *ra);
	ra->origin = BGP_ORIGIN_IGP;
	ra->as_path_len = c->prepend;
	for (unsigned i = 0; i < c->prepend; i++)
		ra->as_path[i] = c->asn;
	addr_from(&ra->next_hop_v4, "192.0.2.1");
	addr_from(&ra->next_hop_v6, "2001:db8::1");
	if (c->ll)
		addr_from(&ra->next_hop_v6_ll, "fe80::1:2ff:fe03:405");
	ra->has_med = c->med;
	ra->med = 100;
	ra->has_local_pref = c->local_pref;
	ra->local_pref = 200;
	if (c->comms) {
		static const uint32_t comms[] = {BGP_COMM_GRACEFUL_SHUTDOWN, 64500u << 16 | 100,
						 BGP_COMM_NO_EXPORT, 64500u << 16 | 65535u, 1u << 16 | 0};
		ra->n_communities = sizeof comms / sizeof *comms;
		memcpy(ra->communities, comms, sizeof comms);
	}
	if (c->large) {
		ra->n_large = 3;
		ra->large[0] = (struct bgp_large_community){ASN4, 1, 2};
		ra->large[1] = (struct bgp_large_community){ASN4, 0, 4294967295u};
		ra->large[2] = (struct bgp_large_community){64500, 100, 53};
	}
}

static size_t attrs_for(struct emit *e, const struct bgp_route_attrs *ra, unsigned family,
			uint8_t *out, const char *what)
{
	size_t n = bgp_attrs_encode(ra, family, &e->sess, out, ATTR_CAP);
	if (n == 0)
		fail(e, "%s: bgp_attrs_encode failed", what);
	return n;
}

static void emit_attr_cases(struct emit *e)
{
	static uint8_t attrs[ATTR_CAP], buf[MSG_CAP];
	struct prefix p4[8], p6[8];
	size_t n4 = small_prefixes(p4, ADDR_V4), n6 = small_prefixes(p6, ADDR_V6);
	for (size_t i = 0; i < sizeof attr_cases / sizeof *attr_cases; i++) {
		const struct attr_case *c = &attr_cases[i];
		struct bgp_route_attrs ra;
		size_t alen, len;
		route_attrs(c, &ra);
		stream_open(e, c->name, &c->sp, c->what);
		/* One UPDATE per prefix first, as a single service comes up, then all together. */
		alen = attrs_for(e, &ra, BGP_FAM_IPV4, attrs, "IPv4 attributes");
		if (alen)
			pack_all(e, BGP_FAM_IPV4, attrs, alen, &ra, p4, 1, "announce IPv4, one prefix");
		if (alen)
			pack_all(e, BGP_FAM_IPV4, attrs, alen, &ra, p4, n4, "announce IPv4");
		alen = attrs_for(e, &ra, BGP_FAM_IPV6, attrs, "IPv6 attributes");
		if (alen)
			pack_all(e, BGP_FAM_IPV6, attrs, alen, &ra, p6, 1, "announce IPv6, one prefix");
		if (alen)
			pack_all(e, BGP_FAM_IPV6, attrs, alen, &ra, p6, n6, "announce IPv6");
		len = bgp_update_encode_eor(BGP_FAM_IPV4, buf, sizeof buf);
		if (len)
			put_msg(e, buf, len, "End-of-RIB IPv4");
		else
			fail(e, "%s", "bgp_update_encode_eor IPv4 failed");
		len = bgp_update_encode_eor(BGP_FAM_IPV6, buf, sizeof buf);
		if (len)
			put_msg(e, buf, len, "End-of-RIB IPv6");
		else
			fail(e, "%s", "bgp_update_encode_eor IPv6 failed");
		pack_all(e, BGP_FAM_IPV4, NULL, 0, NULL, p4, 1, "withdraw IPv4, one prefix");
		pack_all(e, BGP_FAM_IPV4, NULL, 0, NULL, p4, n4, "withdraw IPv4");
		pack_all(e, BGP_FAM_IPV6, NULL, 0, NULL, p6, 1, "withdraw IPv6, one prefix");
		pack_all(e, BGP_FAM_IPV6, NULL, 0, NULL, p6, n6, "withdraw IPv6");
		stream_close(e);
	}
}

struct pack_case {
	const char *name;
	const char *what;
	struct sess_spec sp;
	unsigned family;
	size_t n;
	bool ll;
};

static const struct pack_case pack_cases[] = {
	{"pack-v4-1000", "1000 IPv4 prefixes in UPDATEs of at most 4096 octets",
	 {true, false, ASN4, false}, BGP_FAM_IPV4, 1000, false},
	{"pack-v4-5000", "5000 IPv4 prefixes in UPDATEs of at most 4096 octets",
	 {true, false, ASN4, false}, BGP_FAM_IPV4, 5000, false},
	{"pack-v6-1000", "1000 IPv6 prefixes in UPDATEs of at most 4096 octets",
	 {true, false, ASN4, false}, BGP_FAM_IPV6, 1000, false},
	{"pack-v6-5000-ll", "5000 IPv6 prefixes, link-local next hop, UPDATEs of at most 4096 octets",
	 {true, false, ASN4, false}, BGP_FAM_IPV6, 5000, true},
	{"pack-v4-5000-as2", "5000 IPv4 prefixes on a 2-octet session (AS4_PATH)",
	 {false, false, ASN4, false}, BGP_FAM_IPV4, 5000, false},
	{"pack-v4-5000-ext", "5000 IPv4 prefixes, extended messages (at most 65535 octets)",
	 {true, false, ASN4, true}, BGP_FAM_IPV4, 5000, false},
	{"pack-v6-5000-ext", "5000 IPv6 prefixes, extended messages (at most 65535 octets)",
	 {true, false, ASN4, true}, BGP_FAM_IPV6, 5000, true},
	{"pack-v4-40000-ext", "40000 IPv4 prefixes, extended messages: several of nearly 65535 octets",
	 {true, false, ASN4, true}, BGP_FAM_IPV4, 40000, false},
	{"pack-v6-20000-ext", "20000 IPv6 prefixes, extended messages: several of nearly 65535 octets",
	 {true, false, ASN4, true}, BGP_FAM_IPV6, 20000, false},
};

static void emit_pack_cases(struct emit *e)
{
	static uint8_t attrs[ATTR_CAP];
	for (size_t i = 0; i < sizeof pack_cases / sizeof *pack_cases; i++) {
		const struct pack_case *c = &pack_cases[i];
		const struct attr_case ac = {c->name, c->what, c->sp, ASN4, 2, true, false, true, true, c->ll};
		struct bgp_route_attrs ra;
		struct prefix *p = malloc(c->n * sizeof *p);
		uint8_t fam = c->family == BGP_FAM_IPV4 ? ADDR_V4 : ADDR_V6;
		if (!p)
			abort();
		make_prefixes(p, c->n, fam);
		route_attrs(&ac, &ra);
		stream_open(e, c->name, &c->sp, c->what);
		size_t alen = attrs_for(e, &ra, c->family, attrs, "attributes");
		if (alen)
			pack_all(e, c->family, attrs, alen, &ra, p, c->n, "announce");
		pack_all(e, c->family, NULL, 0, NULL, p, c->n, "withdraw");
		stream_close(e);
		free(p);
	}
}

int main(int argc, char **argv)
{
	struct emit e;
	if (argc != 2) {
		fprintf(stderr, "usage: bgpemit OUTDIR\n");
		return 2;
	}
	memset(&e, 0, sizeof e);
	e.dir = argv[1];
	if (mkdir(e.dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "bgpemit: %s: %s\n", e.dir, strerror(errno));
		return 2;
	}
	emit_opens(&e);
	emit_keepalive(&e);
	emit_notifications(&e);
	emit_route_refresh(&e);
	emit_attr_cases(&e);
	emit_pack_cases(&e);
	fprintf(stderr, "bgpemit: %u files written to %s, %u check failures\n", e.n_files, e.dir,
		e.failures);
	return e.failures ? 1 : 0;
}
