/* Monotonic time as a value.  Pure code receives `now` as an argument;
 * only sys/ and daemon/ read the clock. */
#ifndef ANYCASTD_LIB_MONOTIME_H
#define ANYCASTD_LIB_MONOTIME_H

#include <stdint.h>

/* Nanoseconds on CLOCK_MONOTONIC; differences are what matter. */
typedef int64_t monotime_t;

#define MONOTIME_NS(x) ((monotime_t)(x))
#define MONOTIME_MS(x) ((monotime_t)(x) * 1000000)
#define MONOTIME_S(x) ((monotime_t)(x) * 1000000000)

static inline int64_t monotime_to_ms(monotime_t t) { return t / 1000000; }

#endif
