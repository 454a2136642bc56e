/* The encoder never emits what the decoder would refuse: announcement
 * attributes and prefixes are drawn from the input, packed into as many
 * UPDATEs as needed, and every message must decode with verdict ok and
 * give back exactly the prefixes, in order. */
#include "bgp/update.h"
#include "fuzz.h"

struct src {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct src *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

static uint32_t take32(struct src *s)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(s);
	return v;
}

static void route_attrs(struct src *s, const struct bgp_session_params *sp, struct bgp_route_attrs *ra)
{
	memset(ra, 0, sizeof *ra);
	ra->origin = take8(s) % 3;
	ra->as_path_len = sp->ibgp ? 0 : 1 + take8(s) % 8;
	for (unsigned i = 0; i < ra->as_path_len; i++) {
		uint32_t as = i == 0 ? sp->peer_as : take32(s);
		ra->as_path[i] = as ? as : 1;
	}
	addr_v4(&ra->next_hop_v4, 0xc6336401);
	addr_parse("2001:db8::1", &ra->next_hop_v6);
	if (take8(s) & 1)
		addr_parse("fe80::1", &ra->next_hop_v6_ll);
	ra->has_med = take8(s) & 1;
	ra->med = take32(s);
	ra->has_local_pref = take8(s) & 1;
	ra->local_pref = take32(s);
	ra->n_communities = take8(s) % (BGP_MAX_COMMUNITIES + 1);
	for (unsigned i = 0; i < ra->n_communities; i++)
		ra->communities[i] = take32(s);
	ra->n_large = take8(s) % (BGP_MAX_LARGE_COMMUNITIES + 1);
	for (unsigned i = 0; i < ra->n_large; i++)
		ra->large[i] = (struct bgp_large_community){take32(s), take32(s), take32(s)};
}

static size_t collect(const struct bgp_nlri *n, const struct prefix *want, size_t at, size_t total)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p)) {
		FUZZ_CHECK(at < total && prefix_equal(&p, &want[at]));
		at++;
	}
	return at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = {data, size};
	if (size < 2)
		return 0;
	struct bgp_session_params sp;
	fuzz_session(take8(&s), &sp);
	sp.enforce_first_as = !sp.ibgp;
	unsigned family = take8(&s) & 1 ? BGP_FAM_IPV6 : BGP_FAM_IPV4;
	bool withdraw = take8(&s) & 1;
	static struct bgp_route_attrs ra;
	route_attrs(&s, &sp, &ra);
	static struct prefix pfx[4096];
	size_t n = 0;
	uint8_t af = family == BGP_FAM_IPV6 ? ADDR_V6 : ADDR_V4;
	while (s.n > 0 && n < sizeof pfx / sizeof *pfx) {
		struct prefix p = {.addr.family = af};
		p.len = (uint8_t)(take8(&s) % (addr_bits(af) + 1));
		for (unsigned i = 0; i < addr_bytes(af); i += 4) {
			uint32_t v = take32(&s);
			memcpy(p.addr.b + i, &v, 4);
		}
		prefix_mask(&p);
		pfx[n++] = p;
	}
	static uint8_t attrs[BGP_MAX_LEN], msg[BGP_EXT_MAX_LEN];
	size_t alen = bgp_attrs_encode(&ra, family, &sp, attrs, sizeof attrs);
	FUZZ_CHECK(alen > 0);
	static struct bgp_update u;
	size_t done = 0, seen = 0;
	while (done < n) {
		size_t used = 0;
		size_t mlen = withdraw
				  ? bgp_update_pack_withdraw(&sp, family, pfx + done, n - done, &used, msg, sizeof msg)
				  : bgp_update_pack_announce(&sp, family, attrs, alen, &ra, pfx + done, n - done,
							     &used, msg, sizeof msg);
		FUZZ_CHECK(mlen > 0 && used > 0 && mlen <= sp.max_msg_len);
		uint8_t type;
		size_t flen;
		struct bgp_error err;
		FUZZ_CHECK(bgp_frame(msg, mlen, sp.max_msg_len, &type, &flen, &err) == BGP_FRAME_OK);
		FUZZ_CHECK(type == BGP_UPDATE && flen == mlen);
		FUZZ_CHECK(bgp_update_decode(msg, mlen, &sp, &u) == BGP_VERDICT_OK);
		if (family == BGP_FAM_IPV4)
			seen = collect(withdraw ? &u.withdrawn : &u.nlri, pfx, seen, n);
		else
			seen = collect(withdraw ? &u.attrs.mp_unreach.nlri : &u.attrs.mp_reach.nlri, pfx, seen, n);
		done += used;
		FUZZ_CHECK(seen == done);
	}
	size_t elen = bgp_update_encode_eor(family, msg, sizeof msg);
	FUZZ_CHECK(elen > 0 && bgp_update_decode(msg, elen, &sp, &u) == BGP_VERDICT_OK);
	FUZZ_CHECK(u.eor && u.eor_family == family);
	return 0;
}
