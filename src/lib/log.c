#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum log_level log_threshold = LOG_INFO;

void log_set_level(enum log_level l) { log_threshold = l; }
enum log_level log_get_level(void) { return log_threshold; }

static const char *const log_names[] = {"debug", "info", "warn", "error"};

const char *log_level_name(int l)
{
	return l >= 0 && l < 4 ? log_names[l] : "?";
}

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, log_names[i]))
			return i;
	return -1;
}

const char *log_quote(const char *s, char *out, unsigned long cap)
{
	size_t o = 0;
	if (cap < 3) {
		if (cap)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[5];
		size_t n;
		if (c == '"' || c == '\\')
			tmp[0] = '\\', tmp[1] = (char)c, n = 2;
		else if (c >= 0x20 && c < 0x7f)
			tmp[0] = (char)c, n = 1;
		else
			n = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
		if (o + n + 2 > cap)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

void log_msg(enum log_level l, const char *comp, const char *msg, const char *kv, ...)
{
	if (l < log_threshold)
		return;
	char line[2048], q[512];
	int n = snprintf(line, sizeof line, "level=%s comp=%s msg=%s", log_names[l], comp,
			 log_quote(msg, q, sizeof q));
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	if (kv && *kv && len + 2 < sizeof line) {
		va_list ap;
		line[len++] = ' ';
		va_start(ap, kv);
		int m = vsnprintf(line + len, sizeof line - len, kv, ap);
		va_end(ap);
		if (m > 0)
			len += (size_t)m < sizeof line - len ? (size_t)m : sizeof line - len - 1;
	}
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
}
