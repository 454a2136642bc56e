/* OPEN decode/encode and negotiation (RFC 4271 §4.2/§6.2, RFC 5492, RFC 9072). */
#include <string.h>

#include "bgp/open.h"

static bool open_fail(struct bgp_error *err, uint8_t sub, const char *reason)
{
	bgp_error_set(err, BGP_ERR_OPEN, sub, NULL, 0, reason);
	return false;
}

/* Capabilities that shape the session must be well-formed; a malformed
 * informational one (GR, FQDN, software version) is ignored and counted,
 * because refusing a session over a hostname would be worse than useless. */
static bool cap_decode_one(struct bgp_caps *c, uint8_t code, struct buf_reader *v,
			   struct bgp_error *err)
{
	size_t n = buf_left(v);
	switch (code) {
	case BGP_CAP_MP: {
		if (n != 4)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "multiprotocol capability length is not 4");
		uint16_t afi = buf_get_u16(v);
		buf_skip(v, 1);
		uint8_t safi = buf_get_u8(v);
		unsigned fam = bgp_family_of(afi, safi);
		if (fam)
			c->families |= fam;
		else if (c->n_other_families < BGP_MAX_OTHER_FAMILIES)
			c->other_families[c->n_other_families++] = (struct bgp_afi_safi){afi, safi};
		else
			c->other_families_overflow = true;
		return true;
	}
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_EXT_MESSAGE:
	case BGP_CAP_ENHANCED_RR:
		if (n != 0)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "capability must be empty");
		if (code == BGP_CAP_ROUTE_REFRESH)
			c->route_refresh = true;
		else if (code == BGP_CAP_EXT_MESSAGE)
			c->ext_message = true;
		else
			c->enhanced_rr = true;
		return true;
	case BGP_CAP_AS4:
		if (n != 4)
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "4-octet AS capability length is not 4");
		if (!c->as4) { /* the first instance wins */
			c->as4 = true;
			c->as4_asn = buf_get_u32(v);
		}
		return true;
	case BGP_CAP_GRACEFUL: {
		if (n < 2 || (n - 2) % 4 != 0) {
			c->n_ignored_malformed++;
			return true;
		}
		uint16_t ft = buf_get_u16(v);
		c->graceful_restart = true;
		c->gr_flags = (uint8_t)(ft >> 12);
		c->gr_time = ft & 0x0fff;
		c->n_gr_families = 0;
		while (buf_left(v) >= 4) {
			struct bgp_gr_family f;
			f.afi = buf_get_u16(v);
			f.safi = buf_get_u8(v);
			f.flags = buf_get_u8(v);
			if (c->n_gr_families < BGP_MAX_GR_FAMILIES)
				c->gr_families[c->n_gr_families++] = f;
		}
		return true;
	}
	case BGP_CAP_FQDN: {
		uint8_t hl = buf_get_u8(v);
		const uint8_t *h = buf_get_ptr(v, hl);
		uint8_t dl = buf_get_u8(v);
		const uint8_t *d = buf_get_ptr(v, dl);
		if (!buf_ok(v) || buf_left(v) != 0) {
			c->n_ignored_malformed++;
			return true;
		}
		c->fqdn = true;
		c->fqdn_host = (struct buf_view){h, hl};
		c->fqdn_domain = (struct buf_view){d, dl};
		return true;
	}
	case BGP_CAP_SOFTWARE_VER: {
		uint8_t sl = buf_get_u8(v);
		const uint8_t *s = buf_get_ptr(v, sl);
		if (!buf_ok(v) || buf_left(v) != 0) {
			c->n_ignored_malformed++;
			return true;
		}
		c->software_version = true;
		c->software = (struct buf_view){s, sl};
		return true;
	}
	default:
		if (c->n_unknown < BGP_MAX_UNKNOWN_CAPS)
			c->unknown[c->n_unknown++] =
			    (struct bgp_cap_raw){code, {buf_get_ptr(v, n), n}};
		else
			c->unknown_overflow = true;
		return true;
	}
}

static bool caps_decode(struct bgp_caps *c, struct buf_reader *r, struct bgp_error *err)
{
	while (buf_left(r) > 0) {
		uint8_t code = buf_get_u8(r);
		uint8_t len = buf_get_u8(r);
		struct buf_reader v;
		buf_get_sub(r, len, &v);
		if (!buf_ok(r))
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "capability overruns its parameter");
		c->any = true;
		if (!cap_decode_one(c, code, &v, err))
			return false;
	}
	return true;
}

static bool params_decode(struct bgp_open *o, struct buf_reader *r, bool ext,
			  struct bgp_error *err)
{
	while (buf_left(r) > 0) {
		uint8_t type = buf_get_u8(r);
		size_t plen = ext ? buf_get_u16(r) : buf_get_u8(r);
		struct buf_reader pv;
		buf_get_sub(r, plen, &pv);
		if (!buf_ok(r))
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "optional parameter overruns the OPEN");
		if (type != BGP_OPT_PARAM_CAPABILITIES)
			return open_fail(err, BGP_OPEN_UNSUPP_PARAM, "unsupported optional parameter");
		if (!caps_decode(&o->caps, &pv, err))
			return false;
	}
	return true;
}

static bool open_check(const struct bgp_open *o, struct bgp_error *err)
{
	if (o->my_as == 0 || (o->caps.as4 && (o->caps.as4_asn == 0 || o->caps.as4_asn == BGP_AS_TRANS)))
		return open_fail(err, BGP_OPEN_BAD_PEER_AS, "peer AS is 0 or AS_TRANS");
	if (o->hold_time == 1 || o->hold_time == 2) {
		bgp_error_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, NULL, 0, "hold time of 1 or 2 seconds");
		return false;
	}
	if (o->bgp_id == 0)
		return open_fail(err, BGP_OPEN_BAD_BGP_ID, "BGP identifier is 0");
	return true;
}

bool bgp_open_decode(const uint8_t *msg, size_t len, struct bgp_open *out, struct bgp_error *err)
{
	struct buf_reader r;
	memset(out, 0, sizeof *out);
	if (len < BGP_OPEN_MIN_LEN) {
		bgp_error_set_u16(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, (uint16_t)len, "OPEN too short");
		return false;
	}
	buf_reader_init(&r, msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	out->version = buf_get_u8(&r);
	if (out->version != BGP_VERSION) {
		bgp_error_set_u16(err, BGP_ERR_OPEN, BGP_OPEN_BAD_VERSION, BGP_VERSION,
				  "unsupported BGP version");
		return false;
	}
	out->my_as = buf_get_u16(&r);
	out->hold_time = buf_get_u16(&r);
	out->bgp_id = buf_get_u32(&r);
	size_t optlen = buf_get_u8(&r);
	/* RFC 9072 §2: a non-zero length followed by type 255 announces the
	 * extended format, whatever the length says.  A lone length octet at
	 * the very end (CVE-2022-43681) is just an overrun. */
	if (optlen != 0 && buf_left(&r) >= 1 && r.p[r.off] == 255) {
		buf_skip(&r, 1);
		optlen = buf_get_u16(&r);
		if (!buf_ok(&r))
			return open_fail(err, BGP_OPEN_UNSPECIFIC, "extended optional parameters length truncated");
		out->ext_params = true;
	}
	if (optlen != buf_left(&r))
		return open_fail(err, BGP_OPEN_UNSPECIFIC, "optional parameters length does not match the OPEN");
	if (!params_decode(out, &r, out->ext_params, err))
		return false;
	return open_check(out, err);
}

uint32_t bgp_open_asn(const struct bgp_open *o)
{
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

static void cap_put(struct buf_writer *w, uint8_t code, const void *val, size_t n)
{
	if (n > 255) {
		w->err = true;
		return;
	}
	buf_put_u8(w, code);
	buf_put_u8(w, (uint8_t)n);
	buf_put_bytes(w, val, n);
}

static void cap_put_mp(struct buf_writer *w, uint16_t afi, uint8_t safi)
{
	uint8_t v[4] = {(uint8_t)(afi >> 8), (uint8_t)afi, 0, safi};
	cap_put(w, BGP_CAP_MP, v, sizeof v);
}

static void cap_put_str2(struct buf_writer *w, uint8_t code, struct buf_view a,
			 const struct buf_view *b)
{
	size_t n = 1 + a.len + (b ? 1 + b->len : 0);
	if (a.len > 255 || (b && b->len > 255) || n > 255) {
		w->err = true;
		return;
	}
	buf_put_u8(w, code);
	buf_put_u8(w, (uint8_t)n);
	buf_put_u8(w, (uint8_t)a.len);
	buf_put_bytes(w, a.p, a.len);
	if (b) {
		buf_put_u8(w, (uint8_t)b->len);
		buf_put_bytes(w, b->p, b->len);
	}
}

/* Capabilities in a fixed order, so that encoding is canonical. */
static void caps_encode(const struct bgp_caps *c, struct buf_writer *w)
{
	if (c->families & BGP_FAM_IPV4)
		cap_put_mp(w, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	if (c->families & BGP_FAM_IPV6)
		cap_put_mp(w, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	for (unsigned i = 0; i < c->n_other_families; i++)
		cap_put_mp(w, c->other_families[i].afi, c->other_families[i].safi);
	if (c->route_refresh)
		cap_put(w, BGP_CAP_ROUTE_REFRESH, NULL, 0);
	if (c->enhanced_rr)
		cap_put(w, BGP_CAP_ENHANCED_RR, NULL, 0);
	if (c->ext_message)
		cap_put(w, BGP_CAP_EXT_MESSAGE, NULL, 0);
	if (c->as4) {
		uint8_t v[4] = {(uint8_t)(c->as4_asn >> 24), (uint8_t)(c->as4_asn >> 16),
				(uint8_t)(c->as4_asn >> 8), (uint8_t)c->as4_asn};
		cap_put(w, BGP_CAP_AS4, v, sizeof v);
	}
	if (c->graceful_restart) {
		uint8_t v[2 + 4 * BGP_MAX_GR_FAMILIES];
		struct buf_writer gw;
		buf_writer_init(&gw, v, sizeof v);
		buf_put_u16(&gw, (uint16_t)((c->gr_flags & 0xf) << 12 | (c->gr_time & 0x0fff)));
		for (unsigned i = 0; i < c->n_gr_families && i < BGP_MAX_GR_FAMILIES; i++) {
			buf_put_u16(&gw, c->gr_families[i].afi);
			buf_put_u8(&gw, c->gr_families[i].safi);
			buf_put_u8(&gw, c->gr_families[i].flags);
		}
		cap_put(w, BGP_CAP_GRACEFUL, v, gw.len);
	}
	if (c->fqdn)
		cap_put_str2(w, BGP_CAP_FQDN, c->fqdn_host, &c->fqdn_domain);
	if (c->software_version)
		cap_put_str2(w, BGP_CAP_SOFTWARE_VER, c->software, NULL);
	for (unsigned i = 0; i < c->n_unknown; i++)
		cap_put(w, c->unknown[i].code, c->unknown[i].val.p, c->unknown[i].val.len);
}

bool bgp_open_encode(const struct bgp_open *o, struct buf_writer *w)
{
	uint8_t caps[4096];
	struct buf_writer cw;
	buf_writer_init(&cw, caps, sizeof caps);
	caps_encode(&o->caps, &cw);
	if (!buf_wok(&cw)) {
		w->err = true;
		return false;
	}
	size_t start = bgp_header_start(w, BGP_OPEN);
	buf_put_u8(w, o->version);
	buf_put_u16(w, o->my_as);
	buf_put_u16(w, o->hold_time);
	buf_put_u32(w, o->bgp_id);
	/* One capabilities parameter when it fits; RFC 9072 only when not. */
	if (o->ext_params || cw.len > 253) {
		buf_put_u8(w, 255);
		buf_put_u8(w, 255);
		buf_put_u16(w, (uint16_t)(cw.len ? cw.len + 3 : 0));
		if (cw.len) {
			buf_put_u8(w, BGP_OPT_PARAM_CAPABILITIES);
			buf_put_u16(w, (uint16_t)cw.len);
			buf_put_bytes(w, caps, cw.len);
		}
	} else if (cw.len) {
		buf_put_u8(w, (uint8_t)(cw.len + 2));
		buf_put_u8(w, BGP_OPT_PARAM_CAPABILITIES);
		buf_put_u8(w, (uint8_t)cw.len);
		buf_put_bytes(w, caps, cw.len);
	} else {
		buf_put_u8(w, 0);
	}
	bgp_header_finish(w, start);
	if (buf_wok(w) && w->len - start > BGP_MAX_LEN)
		w->err = true;
	return buf_wok(w);
}

static unsigned open_families(const struct bgp_open *o)
{
	/* RFC 4760 §8: without any MP capability only IPv4 unicast is spoken. */
	if (!o->caps.families && !o->caps.n_other_families)
		return BGP_FAM_IPV4;
	return o->caps.families;
}

bool bgp_open_negotiate(const struct bgp_open *local, const struct bgp_open *remote,
			const struct bgp_neg_policy *pol, struct bgp_session_params *out,
			struct bgp_error *err)
{
	memset(out, 0, sizeof *out);
	uint32_t pas = bgp_open_asn(remote);
	if (pol->peer_as && pas != pol->peer_as)
		return open_fail(err, BGP_OPEN_BAD_PEER_AS, "peer AS differs from the configured remote-as");
	out->peer_as = pas;
	out->ibgp = pas == pol->local_as;
	if (out->ibgp && remote->bgp_id == pol->local_id)
		return open_fail(err, BGP_OPEN_BAD_BGP_ID, "iBGP peer uses our BGP identifier");
	uint16_t minh = pol->min_hold_time < 3 ? 3 : pol->min_hold_time;
	if (remote->hold_time < minh || (pol->max_hold_time && remote->hold_time > pol->max_hold_time)) {
		bgp_error_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD, NULL, 0, "hold time outside the accepted range");
		return false;
	}
	out->hold_time = remote->hold_time < local->hold_time ? remote->hold_time : local->hold_time;
	out->keepalive = out->hold_time / 3;
	out->peer_id = remote->bgp_id;
	out->as4 = local->caps.as4 && remote->caps.as4;
	out->ext_message = local->caps.ext_message && remote->caps.ext_message;
	out->max_msg_len = out->ext_message ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
	out->families = open_families(local) & open_families(remote);
	out->route_refresh = local->caps.route_refresh && remote->caps.route_refresh;
	out->enhanced_rr = local->caps.enhanced_rr && remote->caps.enhanced_rr;
	out->enforce_first_as = !out->ibgp;
	return true;
}

void bgp_session_params_default(struct bgp_session_params *p)
{
	memset(p, 0, sizeof *p);
	p->max_msg_len = BGP_MAX_LEN;
	p->families = BGP_FAM_IPV4;
	p->hold_time = 90;
	p->keepalive = 30;
}
