/* Shared by the libFuzzer harnesses.  Each harness defines
 * LLVMFuzzerTestOneInput; built with -fsanitize=fuzzer it is a fuzzer, linked
 * with replay.c it replays a corpus as a plain test (make check). */
#ifndef ANYCASTD_FUZZ_H
#define ANYCASTD_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"
#include "bgp/open.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Session options from one selector byte, so that one corpus covers
 * 2-/4-octet ASNs, iBGP/eBGP, extended messages and the first-AS check. */
static inline void fuzz_session(uint8_t sel, struct bgp_session_params *s)
{
	bgp_session_params_default(s);
	s->as4 = sel & 1;
	s->ibgp = sel & 2;
	s->ext_message = sel & 4;
	s->max_msg_len = s->ext_message ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
	s->enforce_first_as = !s->ibgp && !(sel & 8);
	s->families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	s->peer_as = (sel & 16) ? 4200000001u : 64501;
}

/* Puts a BGP header of the given type in front of body; returns a heap
 * buffer of *len bytes (caller frees) or NULL if the body is too long. */
static inline uint8_t *fuzz_wrap(uint8_t type, const uint8_t *body, size_t n, size_t *len)
{
	if (n > BGP_EXT_MAX_LEN - BGP_HEADER_LEN)
		return NULL;
	uint8_t *m = malloc(BGP_HEADER_LEN + n + 1);
	if (!m)
		abort();
	memset(m, 0xff, BGP_MARKER_LEN);
	*len = BGP_HEADER_LEN + n;
	m[16] = (uint8_t)(*len >> 8);
	m[17] = (uint8_t)*len;
	m[18] = type;
	if (n)
		memcpy(m + BGP_HEADER_LEN, body, n);
	return m;
}

#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond))                                               \
			abort();                                           \
	} while (0)

#endif
