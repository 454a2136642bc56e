/* NOTIFICATION body: decode, describe for logs (bounded, escaped). */
#include "bgp/notify.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	uint8_t *m = fuzz_wrap(BGP_NOTIFICATION, data, size, &len);
	if (!m)
		return 0;
	struct bgp_notification n;
	if (bgp_notification_decode(m, len, &n)) {
		char out[2048];
		bgp_notification_describe(&n, out, sizeof out);
		FUZZ_CHECK(strlen(out) < sizeof out);
		for (const char *c = out; *c; c++)
			FUZZ_CHECK(*c >= 0x20 && *c < 0x7f); /* log-safe */
		if (n.has_comm)
			FUZZ_CHECK(n.comm.p + n.comm.len <= m + len);
	}
	free(m);
	return 0;
}
