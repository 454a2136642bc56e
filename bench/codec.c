/* bench/codec: UPDATE decode and encode throughput, in prefixes per second
 * on one core, against bounds measured in the same run.
 *
 * Two deterministic streams, built with the encoder API:
 *   packed     ~200 UPDATEs of ~1,000 IPv4 /24s sharing one attribute set;
 *   realistic  1M IPv4 (/16-/24) and 200k IPv6 (/32-/48) prefixes, 1-8 per
 *              UPDATE, AS paths of 1-10 ASNs, 0-6 communities, sometimes
 *              large communities and MED.
 * Decode is bgp_frame + bgp_update_decode + iterating every NLRI; encode is
 * bgp_attrs_encode + bgp_update_pack_announce.  The bounds are memcpy of
 * the same bytes and a bare loop that only walks the NLRI length octets.
 * Every measurement checks its prefix count; one untimed pass compares
 * every decoded prefix with what was encoded.
 *
 *   codec [--smoke] [--reps N]
 *
 * Ends with: RESULT codec packed_decode_mpps=... packed_bare_mpps=...
 *   packed_ratio=... real_decode_mpps=... real_encode_mpps=...
 *   memcpy_gbps=... targets_met=yes|no
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp/update.h"

#define TARGET_PACKED_RATIO 0.25
#define TARGET_REAL_MPPS 5.0

#define PEER_AS 64500u
#define ATTR_BUF 4096

/* ---- deterministic generator (xorshift64*) ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [lo, hi]. */
static uint32_t rng_range(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)((rng_next() >> 32) % ((uint64_t)hi - lo + 1));
}

static bool rng_pct(unsigned pct) { return rng_range(0, 99) < pct; }

/* ---- streams ---- */

/* One UPDATE to build: prefixes [first, first+n) of one family, with
 * attribute set `attrs` from the pool. */
struct group {
	uint32_t first;
	uint16_t attrs;
	uint8_t n;
	uint8_t family; /* BGP_FAM_* */
};

struct stream {
	const char *name;
	struct prefix *pfx; /* in stream order, canonical */
	size_t n_pfx;
	struct group *groups;
	size_t n_groups;
	struct bgp_route_attrs *pool;
	size_t n_pool;
	uint8_t *bytes; /* the encoded messages */
	size_t len;
	size_t cap;
	size_t n_msgs;
	bool packed;     /* built by encode_packed, else encode_realistic */
	unsigned passes; /* per timed run, so short streams run long enough */
};

struct result {
	double decode_ns, encode_ns, memcpy_ns, bare_ns; /* best run, per pass */
};

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);
	if (!p) {
		fprintf(stderr, "codec: out of memory\n");
		exit(2);
	}
	return p;
}

static void fail(const char *stream, const char *what)
{
	fprintf(stderr, "codec: %s stream: %s\n", stream, what);
	exit(1);
}

static void sess_init(struct bgp_session_params *s)
{
	bgp_session_params_default(s);
	s->as4 = true;
	s->ibgp = false;
	s->ext_message = false;
	s->max_msg_len = BGP_MAX_LEN;
	s->families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	s->peer_as = PEER_AS;
	s->enforce_first_as = true;
}

static void addr_v6_init(struct addr *a, uint16_t w0, uint16_t w1, uint16_t last)
{
	*a = (struct addr){.family = ADDR_V6};
	a->b[0] = (uint8_t)(w0 >> 8);
	a->b[1] = (uint8_t)w0;
	a->b[2] = (uint8_t)(w1 >> 8);
	a->b[3] = (uint8_t)w1;
	a->b[14] = (uint8_t)(last >> 8);
	a->b[15] = (uint8_t)last;
}

/* A 4-octet ASN: mostly 16-bit public ones, some 32-bit; never 0. */
static uint32_t random_asn(void)
{
	if (rng_pct(70))
		return rng_range(1, 64495);
	return rng_range(131072, 4199999999u);
}

static void random_route_attrs(struct bgp_route_attrs *ra)
{
	*ra = (struct bgp_route_attrs){.origin = rng_pct(85) ? BGP_ORIGIN_IGP : BGP_ORIGIN_INCOMPLETE};
	ra->as_path_len = (uint8_t)rng_range(1, 10);
	ra->as_path[0] = PEER_AS; /* eBGP: the peer's AS leads (enforce_first_as) */
	for (unsigned i = 1; i < ra->as_path_len; i++)
		ra->as_path[i] = random_asn();
	addr_v4(&ra->next_hop_v4, 0xc0000201u); /* 192.0.2.1 */
	addr_v6_init(&ra->next_hop_v6, 0x2001, 0x0db8, 1);
	if (rng_pct(50))
		addr_v6_init(&ra->next_hop_v6_ll, 0xfe80, 0, 1);
	if ((ra->has_med = rng_pct(40)))
		ra->med = rng_range(0, 1000);
	ra->n_communities = (uint8_t)rng_range(0, 6);
	for (unsigned i = 0; i < ra->n_communities; i++)
		ra->communities[i] = rng_range(1, 65535) << 16 | rng_range(0, 65535);
	if (rng_pct(25)) {
		ra->n_large = (uint8_t)rng_range(1, 3);
		for (unsigned i = 0; i < ra->n_large; i++)
			ra->large[i] = (struct bgp_large_community){random_asn(), rng_range(0, 999),
								    rng_range(0, 99999)};
	}
}

static void random_prefix(struct prefix *p, unsigned family)
{
	*p = (struct prefix){0};
	if (family == BGP_FAM_IPV4) {
		/* about half the IPv4 table is /24s */
		p->len = (uint8_t)(rng_pct(55) ? 24 : rng_range(16, 23));
		addr_v4(&p->addr, rng_range(0x01000000u, 0xdfffffffu));
	} else {
		p->len = (uint8_t)(rng_pct(45) ? 48 : rng_range(32, 47));
		p->addr.family = ADDR_V6;
		uint64_t hi = rng_next();
		p->addr.b[0] = 0x20; /* 2000::/4-ish global unicast */
		p->addr.b[1] = (uint8_t)(hi >> 8);
		for (unsigned i = 2; i < 8; i++)
			p->addr.b[i] = (uint8_t)(hi >> (8 * i));
	}
	prefix_mask(p);
}

/* The realistic stream's plan: groups of 1-8 prefixes, families
 * interleaved so the totals come out exact. */
static void plan_realistic(struct stream *s, size_t n4, size_t n6, size_t n_pool)
{
	s->name = "realistic";
	s->n_pfx = n4 + n6;
	s->pfx = xcalloc(s->n_pfx, sizeof *s->pfx);
	s->groups = xcalloc(s->n_pfx, sizeof *s->groups);
	s->n_pool = n_pool;
	s->pool = xcalloc(n_pool, sizeof *s->pool);
	for (size_t i = 0; i < n_pool; i++)
		random_route_attrs(&s->pool[i]);
	size_t left4 = n4, left6 = n6, at = 0;
	while (left4 + left6 > 0) {
		unsigned fam = rng_range(0, (uint32_t)(left4 + left6 - 1)) < left6 ? BGP_FAM_IPV6 : BGP_FAM_IPV4;
		size_t *left = fam == BGP_FAM_IPV6 ? &left6 : &left4;
		size_t n = rng_range(1, 8);
		if (n > *left)
			n = *left;
		struct group *g = &s->groups[s->n_groups++];
		*g = (struct group){(uint32_t)at, (uint16_t)rng_range(0, (uint32_t)n_pool - 1), (uint8_t)n,
				    (uint8_t)fam};
		for (size_t i = 0; i < n; i++)
			random_prefix(&s->pfx[at++], fam);
		*left -= n;
	}
	s->cap = s->n_groups * 256 + 4096; /* an UPDATE of <= 8 prefixes is well under 256 */
	s->bytes = xcalloc(s->cap, 1);
	s->passes = 1;
}

/* The packed stream: /24s 11.0.0.0, 11.0.1.0, ... in messages as full as
 * the 4096-octet limit allows, one attribute set. */
static void plan_packed(struct stream *s, size_t n_msgs)
{
	s->name = "packed";
	s->packed = true;
	s->n_pfx = n_msgs * 1100;
	s->pfx = xcalloc(s->n_pfx, sizeof *s->pfx);
	for (size_t i = 0; i < s->n_pfx; i++) {
		addr_v4(&s->pfx[i].addr, 0x0b000000u + ((uint32_t)i << 8));
		s->pfx[i].len = 24;
	}
	s->n_pool = 1;
	s->pool = xcalloc(1, sizeof *s->pool);
	struct bgp_route_attrs *ra = s->pool;
	*ra = (struct bgp_route_attrs){.origin = BGP_ORIGIN_IGP, .as_path_len = 3,
				       .as_path = {PEER_AS, 3356, 4200000001u},
				       .has_med = true, .med = 10, .n_communities = 2,
				       .communities = {PEER_AS << 16 | 100, PEER_AS << 16 | 200}};
	addr_v4(&ra->next_hop_v4, 0xc0000201u);
	/* one group per message; the packer decides how many fit */
	s->n_groups = n_msgs;
	s->groups = xcalloc(n_msgs, sizeof *s->groups);
	s->cap = n_msgs * BGP_MAX_LEN;
	s->bytes = xcalloc(s->cap, 1);
	s->passes = 10;
}

/* ---- the measured loops ---- */

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Encodes the realistic plan into s->bytes; returns the prefix count, or
 * (size_t)-1 on an encoder failure. */
static size_t encode_realistic(struct stream *s, const struct bgp_session_params *sess)
{
	uint8_t attrs[ATTR_BUF];
	size_t off = 0, n_pfx = 0, n_msgs = 0;
	for (size_t gi = 0; gi < s->n_groups; gi++) {
		const struct group *g = &s->groups[gi];
		const struct bgp_route_attrs *ra = &s->pool[g->attrs];
		size_t alen = bgp_attrs_encode(ra, g->family, sess, attrs, sizeof attrs);
		if (!alen)
			return (size_t)-1;
		for (size_t done = 0; done < g->n;) {
			size_t used;
			size_t m = bgp_update_pack_announce(sess, g->family, attrs, alen, ra,
							    &s->pfx[g->first + done], g->n - done, &used,
							    s->bytes + off, s->cap - off);
			if (!m)
				return (size_t)-1;
			off += m;
			done += used;
			n_pfx += used;
			n_msgs++;
		}
	}
	s->len = off;
	s->n_msgs = n_msgs;
	return n_pfx;
}

/* Encodes n_groups full messages from the packed prefix array. */
static size_t encode_packed(struct stream *s, const struct bgp_session_params *sess)
{
	uint8_t attrs[ATTR_BUF];
	size_t off = 0, at = 0;
	const struct bgp_route_attrs *ra = s->pool;
	for (size_t mi = 0; mi < s->n_groups; mi++) {
		size_t alen = bgp_attrs_encode(ra, BGP_FAM_IPV4, sess, attrs, sizeof attrs);
		size_t used;
		size_t m = alen ? bgp_update_pack_announce(sess, BGP_FAM_IPV4, attrs, alen, ra, &s->pfx[at],
							   s->n_pfx - at, &used, s->bytes + off, s->cap - off)
				: 0;
		if (!m)
			return (size_t)-1;
		off += m;
		at += used;
	}
	s->len = off;
	s->n_msgs = s->n_groups;
	return at;
}

static size_t encode_stream(struct stream *s, const struct bgp_session_params *sess)
{
	return s->packed ? encode_packed(s, sess) : encode_realistic(s, sess);
}

static bool nlri_walk(const struct bgp_nlri *n, const struct prefix *expect, size_t *count)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	size_t c = *count;
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p)) {
		if (expect && !prefix_equal(&p, &expect[c]))
			return false;
		c++;
	}
	*count = c;
	return true;
}

/* Frames, decodes and iterates every message; with expect, compares every
 * prefix.  Returns the prefix count, or (size_t)-1 with *why set. */
static size_t decode_stream(const struct stream *s, const struct bgp_session_params *sess,
			    struct bgp_update *u, const struct prefix *expect, const char **why)
{
	size_t off = 0, count = 0;
	while (off < s->len) {
		uint8_t type;
		size_t mlen;
		struct bgp_error err;
		if (bgp_frame(s->bytes + off, s->len - off, sess->max_msg_len, &type, &mlen, &err) !=
			    BGP_FRAME_OK ||
		    type != BGP_UPDATE) {
			*why = "bgp_frame did not return a complete UPDATE";
			return (size_t)-1;
		}
		if (bgp_update_decode(s->bytes + off, mlen, sess, u) != BGP_VERDICT_OK) {
			*why = u->error.reason ? u->error.reason : "verdict not OK";
			return (size_t)-1;
		}
		bool ok = nlri_walk(&u->nlri, expect, &count);
		if (ok && bgp_attr_has(&u->attrs, BGP_ATTR_MP_REACH) && u->attrs.mp_reach.parsed)
			ok = nlri_walk(&u->attrs.mp_reach.nlri, expect, &count);
		if (!ok) {
			*why = "a decoded prefix differs from the encoded one";
			return (size_t)-1;
		}
		off += mlen;
	}
	return count;
}

static size_t bare_run(const uint8_t *p, const uint8_t *end)
{
	size_t n = 0;
	while (p < end) {
		p += 1 + (p[0] + 7u) / 8u;
		n++;
	}
	return n;
}

/* The lower bound on any decoder: per message read the header length, find
 * the NLRI field (and MP_REACH_NLRI's) and walk only the length octets. */
static size_t bare_walk(const uint8_t *buf, size_t len)
{
	size_t off = 0, n = 0;
	while (off + BGP_HEADER_LEN <= len) {
		const uint8_t *m = buf + off;
		size_t mlen = buf_load_u16(m + 16);
		const uint8_t *a = m + BGP_HEADER_LEN + 2 + buf_load_u16(m + BGP_HEADER_LEN);
		const uint8_t *ae = a + 2 + buf_load_u16(a);
		for (a += 2; a < ae;) {
			bool ext = a[0] & BGP_ATTR_FLAG_EXTLEN;
			size_t alen = ext ? buf_load_u16(a + 2) : a[2];
			const uint8_t *v = a + (ext ? 4 : 3);
			if (a[1] == BGP_ATTR_MP_REACH)
				n += bare_run(v + 5 + v[3], v + alen);
			a = v + alen;
		}
		n += bare_run(ae, m + mlen);
		off += mlen;
	}
	return n;
}

enum op { OP_DECODE, OP_ENCODE, OP_MEMCPY, OP_BARE };

struct bench_ctx {
	struct stream *s;
	const struct bgp_session_params *sess;
	struct bgp_update *u;
	uint8_t *copy; /* memcpy destination, s->len octets */
	size_t expect_pfx;
};

/* One timed pass of an operation; returns the prefix count it saw (the
 * expected count for memcpy, which sees none). */
static size_t run_op(struct bench_ctx *c, enum op op)
{
	const char *why = "encoder failed";
	size_t n = 0;
	switch (op) {
	case OP_DECODE:
		n = decode_stream(c->s, c->sess, c->u, NULL, &why);
		break;
	case OP_ENCODE:
		n = encode_stream(c->s, c->sess);
		break;
	case OP_MEMCPY:
		memcpy(c->copy, c->s->bytes, c->s->len);
		__asm__ volatile("" : : "r"(c->copy) : "memory");
		n = c->copy[c->s->len - 1] == c->s->bytes[c->s->len - 1] ? c->expect_pfx : 0;
		why = "memcpy copy differs";
		break;
	case OP_BARE:
		n = bare_walk(c->s->bytes, c->s->len);
		why = "bare walk count differs";
		break;
	}
	if (n != c->expect_pfx) {
		if (n != (size_t)-1)
			why = op == OP_DECODE || op == OP_ENCODE ? "prefix count differs" : why;
		fail(c->s->name, why);
	}
	return n;
}

/* Best (lowest) time of `reps` runs of `passes` passes, per pass. */
static double time_op(struct bench_ctx *c, enum op op, unsigned reps)
{
	double best = 0;
	run_op(c, op); /* warm-up */
	for (unsigned r = 0; r < reps; r++) {
		double t0 = now_ns();
		for (unsigned i = 0; i < c->s->passes; i++)
			run_op(c, op);
		double t = (now_ns() - t0) / c->s->passes;
		if (r == 0 || t < best)
			best = t;
	}
	return best;
}

/* Builds, verifies and measures one stream. */
static void bench_stream(struct stream *s, const struct bgp_session_params *sess,
			 struct bgp_update *u, unsigned reps, struct result *res)
{
	size_t n = encode_stream(s, sess);
	if (n == (size_t)-1 || n == 0)
		fail(s->name, "the encoder produced nothing");
	if (s->packed)
		s->n_pfx = n; /* packed: what the messages hold */
	else if (n != s->n_pfx)
		fail(s->name, "the encoder dropped prefixes");
	const char *why = NULL;
	if (decode_stream(s, sess, u, s->pfx, &why) != n)
		fail(s->name, why ? why : "decoded prefix count differs");
	struct bench_ctx c = {s, sess, u, xcalloc(s->len, 1), n};
	res->decode_ns = time_op(&c, OP_DECODE, reps);
	res->encode_ns = time_op(&c, OP_ENCODE, reps);
	res->memcpy_ns = time_op(&c, OP_MEMCPY, reps);
	res->bare_ns = time_op(&c, OP_BARE, reps);
	/* the timed encodes rewrote the stream: it must still decode the same */
	if (decode_stream(s, sess, u, s->pfx, &why) != n)
		fail(s->name, why ? why : "re-encoded stream differs");
	free(c.copy);
}

static double mpps(size_t n, double ns) { return ns > 0 ? (double)n / ns * 1e3 : 0; }
static double gbps(size_t bytes, double ns) { return ns > 0 ? (double)bytes / ns : 0; }

static void print_row(const struct stream *s, const struct result *r)
{
	printf("%-10s %11zu %9zu %10zu %10.2f %10.2f %9.2f %10.2f %8.3f\n", s->name, s->len,
	       s->n_msgs, s->n_pfx, mpps(s->n_pfx, r->decode_ns), mpps(s->n_pfx, r->encode_ns),
	       gbps(s->len, r->memcpy_ns), mpps(s->n_pfx, r->bare_ns), r->bare_ns / r->decode_ns);
}

static void usage(void)
{
	fprintf(stderr, "usage: codec [--smoke] [--reps N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool smoke = false;
	unsigned reps = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke"))
			smoke = true;
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = (unsigned)strtoul(argv[++i], NULL, 10);
		else
			usage();
	}
	if (!reps)
		reps = smoke ? 2 : 7;

	struct bgp_session_params sess;
	sess_init(&sess);
	struct bgp_update *u = xcalloc(1, sizeof *u);
	struct stream packed = {0}, real = {0};
	plan_packed(&packed, smoke ? 5 : 200);
	plan_realistic(&real, smoke ? 2000 : 1000000, smoke ? 500 : 200000, smoke ? 64 : 8192);
	if (smoke)
		packed.passes = 1;

	printf("bench/codec: UPDATE decode/encode, one core, best of %u runs", reps);
	printf(" (packed: %u passes per run)\n", packed.passes);
	printf("command:");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\ncompiler: %s", __VERSION__);
#ifdef __OPTIMIZE__
	printf(", optimised");
#else
	printf(", not optimised");
#endif
#if defined(__SANITIZE_ADDRESS__)
	printf(", ASan");
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	printf(", ASan");
#endif
#endif
	printf("%s\n", smoke ? " (smoke: tiny sizes, figures meaningless)" : "");
	printf("session: 4-octet AS, eBGP, IPv4+IPv6, max message 4096; bgp_update %zu octets\n\n",
	       sizeof *u);

	struct result rp, rr;
	bench_stream(&packed, &sess, u, reps, &rp);
	bench_stream(&real, &sess, u, reps, &rr);

	printf("%-10s %11s %9s %10s %10s %10s %9s %10s %8s\n", "stream", "bytes", "messages",
	       "prefixes", "decode", "encode", "memcpy", "bare-walk", "decode/");
	printf("%-10s %11s %9s %10s %10s %10s %9s %10s %8s\n", "", "", "", "", "Mpfx/s", "Mpfx/s",
	       "GB/s", "Mpfx/s", "bare");
	print_row(&packed, &rp);
	print_row(&real, &rr);

	double p_dec = mpps(packed.n_pfx, rp.decode_ns), p_bare = mpps(packed.n_pfx, rp.bare_ns);
	double r_dec = mpps(real.n_pfx, rr.decode_ns), r_enc = mpps(real.n_pfx, rr.encode_ns);
	double ratio = rp.bare_ns / rp.decode_ns;
	bool met = ratio >= TARGET_PACKED_RATIO && r_dec >= TARGET_REAL_MPPS && r_enc >= TARGET_REAL_MPPS;
	printf("\ntargets: packed decode >= %.0f%% of bare walk: %.1f%% %s; realistic >= %.0f Mpfx/s "
	       "each way: decode %.2f, encode %.2f %s\n",
	       TARGET_PACKED_RATIO * 100, ratio * 100, ratio >= TARGET_PACKED_RATIO ? "met" : "NOT met",
	       TARGET_REAL_MPPS, r_dec, r_enc,
	       r_dec >= TARGET_REAL_MPPS && r_enc >= TARGET_REAL_MPPS ? "met" : "NOT met");
	printf("RESULT codec packed_decode_mpps=%.2f packed_bare_mpps=%.2f packed_ratio=%.3f "
	       "real_decode_mpps=%.2f real_encode_mpps=%.2f memcpy_gbps=%.2f targets_met=%s\n",
	       p_dec, p_bare, ratio, r_dec, r_enc, gbps(real.len, rr.memcpy_ns), met ? "yes" : "no");

	struct stream *all[] = {&packed, &real};
	for (size_t i = 0; i < 2; i++) {
		free(all[i]->pfx);
		free(all[i]->groups);
		free(all[i]->pool);
		free(all[i]->bytes);
	}
	free(u);
	return 0;
}
