/* UPDATE: byte 0 chooses the negotiated session (fuzz_session), the rest is
 * the body after the header.  Decode, walk every NLRI, merge AS paths,
 * print.  The verdict must be consistent with what was decoded. */
#include "bgp/print.h"
#include "bgp/update.h"
#include "fuzz.h"

static uint32_t walk(const struct bgp_nlri *n)
{
	struct bgp_nlri_iter it;
	struct prefix p;
	uint32_t c = 0;
	bgp_nlri_iter_init(&it, n);
	while (bgp_nlri_next(&it, &p)) {
		FUZZ_CHECK(p.len <= addr_bits(p.addr.family));
		c++;
	}
	FUZZ_CHECK(buf_ok(&it.r));
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct bgp_session_params s;
	fuzz_session(data[0], &s);
	size_t len;
	uint8_t *m = fuzz_wrap(BGP_UPDATE, data + 1, size - 1, &len);
	if (!m)
		return 0;
	struct bgp_update *u = malloc(sizeof *u);
	if (!u)
		abort();
	enum bgp_verdict v = bgp_update_decode(m, len, &s, u);
	FUZZ_CHECK(v == u->verdict);
	FUZZ_CHECK((v == BGP_VERDICT_OK) == (u->n_problems == 0));
	if (v != BGP_VERDICT_OK)
		FUZZ_CHECK(u->error.code == BGP_ERR_UPDATE && u->error.reason);
	if (v != BGP_VERDICT_SESSION_RESET) {
		FUZZ_CHECK(walk(&u->withdrawn) == u->withdrawn.count);
		FUZZ_CHECK(walk(&u->nlri) == u->nlri.count);
		if (u->attrs.mp_reach.parsed)
			FUZZ_CHECK(walk(&u->attrs.mp_reach.nlri) == u->attrs.mp_reach.nlri.count);
		if (u->attrs.mp_unreach.parsed)
			FUZZ_CHECK(walk(&u->attrs.mp_unreach.nlri) == u->attrs.mp_unreach.nlri.count);
		size_t cap = 2 * u->attrs.as_path.len + u->attrs.as4_path.len + 1;
		uint8_t *merged = malloc(cap);
		if (!merged)
			abort();
		FUZZ_CHECK(bgp_aspath_merged(&u->attrs, merged, cap) != (size_t)-1);
		free(merged);
	}
	static char text[1 << 20];
	struct strbuf sb;
	strbuf_init(&sb, text, sizeof text);
	/* Whatever framing accepts, the printer consumes whole (the decoder
	 * itself does not care about the session's maximum length). */
	bool frames = len >= BGP_UPDATE_MIN_LEN && len <= s.max_msg_len;
	FUZZ_CHECK(bgp_msg_print(m, len, &s, &sb) == (frames ? len : 0));
	free(u);
	free(m);
	return 0;
}
