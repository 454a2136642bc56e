/* OPEN body (after the header): decode, negotiate against our own OPEN,
 * print, and re-encode → decode → print the same. */
#include "bgp/print.h"
#include "fuzz.h"

static void open_text(const uint8_t *m, size_t n, char *out, size_t cap)
{
	struct strbuf sb;
	struct bgp_session_params s;
	bgp_session_params_default(&s);
	strbuf_init(&sb, out, cap);
	bgp_msg_print(m, n, &s, &sb);
	/* The first line holds the length, which differs for non-canonical input. */
	char *nl = strchr(out, '\n');
	if (nl)
		memmove(out, nl + 1, strlen(nl + 1) + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	uint8_t *m = fuzz_wrap(BGP_OPEN, data, size, &len);
	if (!m)
		return 0;
	struct bgp_open o;
	struct bgp_error err = {0};
	if (bgp_open_decode(m, len, &o, &err)) {
		struct bgp_open local = {.version = 4, .my_as = 64600, .hold_time = 90, .bgp_id = 0xc6336402};
		local.caps.families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
		local.caps.as4 = true;
		local.caps.as4_asn = 64600;
		local.caps.route_refresh = true;
		struct bgp_neg_policy pol = {.local_as = 64600, .local_id = 0xc6336402, .min_hold_time = 3};
		struct bgp_session_params sp;
		if (bgp_open_negotiate(&local, &o, &pol, &sp, &err)) {
			FUZZ_CHECK(sp.hold_time >= 3 && sp.keepalive == sp.hold_time / 3);
			FUZZ_CHECK(sp.max_msg_len == BGP_MAX_LEN || sp.max_msg_len == BGP_EXT_MAX_LEN);
		}
		uint8_t enc[BGP_MAX_LEN];
		struct buf_writer w;
		buf_writer_init(&w, enc, sizeof enc);
		if (o.caps.n_ignored_malformed == 0 && !o.caps.unknown_overflow &&
		    !o.caps.other_families_overflow) {
			FUZZ_CHECK(bgp_open_encode(&o, &w));
			static char t1[1 << 16], t2[1 << 16];
			open_text(m, len, t1, sizeof t1);
			open_text(enc, w.len, t2, sizeof t2);
			FUZZ_CHECK(strcmp(t1, t2) == 0);
		}
	} else {
		FUZZ_CHECK(err.code == BGP_ERR_OPEN || err.code == BGP_ERR_HEADER);
	}
	free(m);
	return 0;
}
