/* Text form of BGP messages: one item per line, stable (golden test files
 * under tests/vectors/ depend on it), also used for debug logs. */
#ifndef ANYCASTD_BGP_PRINT_H
#define ANYCASTD_BGP_PRINT_H

#include "bgp/open.h"
#include "lib/strbuf.h"

/* Frames and decodes the message in msg[0..len) under sess and prints it.
 * Framing and decode errors are printed as `error CODE/SUB "reason"`.
 * Returns the number of bytes of msg consumed (0 if not a whole message). */
size_t bgp_msg_print(const uint8_t *msg, size_t len, const struct bgp_session_params *sess,
		     struct strbuf *out);

/* "65535:0(graceful-shutdown)" style community text. */
void bgp_community_format(uint32_t c, char *out, size_t cap);

#endif
