/* Stream framing: byte 0 chooses the maximum length (4096 or 65535), the
 * rest is a TCP byte stream, consumed message by message as the session
 * reader will. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max = data[0] & 1 ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
	const uint8_t *p = data + 1;
	size_t left = size - 1;
	for (;;) {
		uint8_t type = 0;
		size_t len = 0;
		struct bgp_error err = {0};
		enum bgp_frame_result r = bgp_frame(p, left, max, &type, &len, &err);
		if (r == BGP_FRAME_NEED_MORE)
			break;
		if (r == BGP_FRAME_ERROR) {
			FUZZ_CHECK(err.code == BGP_ERR_HEADER && err.subcode >= 1 && err.subcode <= 3);
			break;
		}
		FUZZ_CHECK(len >= BGP_HEADER_LEN && len <= left && len <= max);
		FUZZ_CHECK(type >= BGP_OPEN && type <= BGP_ROUTE_REFRESH);
		p += len;
		left -= len;
	}
	return 0;
}
