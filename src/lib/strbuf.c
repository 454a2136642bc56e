#include "lib/strbuf.h"

#include <stdarg.h>
#include <stdio.h>

void strbuf_init(struct strbuf *s, char *p, size_t cap)
{
	s->p = p;
	s->cap = cap;
	s->len = 0;
	s->truncated = cap == 0;
	if (cap)
		p[0] = '\0';
}

void strbuf_printf(struct strbuf *s, const char *fmt, ...)
{
	va_list ap;
	if (s->truncated)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= s->cap - s->len) {
		s->truncated = true;
		s->len = s->cap - 1;
		return;
	}
	s->len += (size_t)n;
}
