/* A tiny deterministic PRNG for jitter and splay (no security property).
 * The state lives with its user, so pure code stays free of globals. */
#ifndef ANYCASTD_LIB_RAND_H
#define ANYCASTD_LIB_RAND_H

#include <stdint.h>

/* xorshift64: *s must not be 0. */
static inline uint64_t rand_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
