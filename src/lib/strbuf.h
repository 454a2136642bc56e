/* Bounded text accumulation into a caller's buffer: appends are cut at the
 * capacity and remembered as truncated.  Pure. */
#ifndef ANYCASTD_LIB_STRBUF_H
#define ANYCASTD_LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *p; /* borrowed; always NUL-terminated */
	size_t cap;
	size_t len;
	bool truncated;
};

void strbuf_init(struct strbuf *s, char *p, size_t cap);
void strbuf_printf(struct strbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
