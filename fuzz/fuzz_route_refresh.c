/* ROUTE-REFRESH body: decode; a valid one re-encodes to the same bytes. */
#include "bgp/notify.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	uint8_t *m = fuzz_wrap(BGP_ROUTE_REFRESH, data, size, &len);
	if (!m)
		return 0;
	struct bgp_route_refresh rr;
	struct bgp_error err = {0};
	if (bgp_route_refresh_decode(m, len, &rr, &err) && rr.extra == 0) {
		uint8_t enc[BGP_ROUTE_REFRESH_LEN];
		struct buf_writer w;
		buf_writer_init(&w, enc, sizeof enc);
		FUZZ_CHECK(bgp_route_refresh_encode(rr.afi, rr.safi, rr.subtype, &w));
		FUZZ_CHECK(w.len == len && memcmp(enc, m, len) == 0);
	}
	free(m);
	return 0;
}
