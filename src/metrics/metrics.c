/* Prometheus text format writer: see metrics.h. */
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "metrics/metrics.h"

/* From half a millisecond (a local DNS answer) to the longest check timeout
 * people set (exec checks of several seconds). */
const double metrics_bucket_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						       0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

static void put(struct metrics_out *o, const char *s) { o->write(o->arg, s, strlen(s)); }

void metrics_family(struct metrics_out *o, const char *name, enum metrics_type t, const char *help)
{
	static const char *const types[] = {"gauge", "counter", "histogram"};
	char line[512];
	/* HELP text escapes only \ and newline; ours are fixed strings without. */
	snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, types[t]);
	put(o, line);
}

void metrics_labels(char *out, size_t cap, ...)
{
	va_list ap;
	size_t n = 0;
	bool cut = false;
	if (!cap)
		return;
	out[0] = '\0';
	va_start(ap, cap);
	for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
		const char *v = va_arg(ap, const char *);
		int w = snprintf(out + n, cap - n, "%s%s=\"", n ? "," : "", k);
		if (w < 0 || (size_t)w >= cap - n) {
			cut = true;
			break;
		}
		n += (size_t)w;
		for (; v && *v && !cut; v++) {
			const char *esc = *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : *v == '\n' ? "\\n" : NULL;
			size_t need = esc ? 2 : 1;
			if (n + need + 1 >= cap) {
				cut = true;
				break;
			}
			if (esc)
				memcpy(out + n, esc, 2);
			else
				out[n] = *v;
			n += need;
		}
		if (cut || n + 2 >= cap) {
			cut = true;
			break;
		}
		out[n++] = '"';
		out[n] = '\0';
	}
	va_end(ap);
	if (cut)
		out[0] = '\0';
}

static void value_format(double v, char *out, size_t cap)
{
	if (isnan(v))
		snprintf(out, cap, "NaN");
	else if (isinf(v))
		snprintf(out, cap, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 9.007199254740992e15)
		snprintf(out, cap, "%.0f", v);
	else
		snprintf(out, cap, "%.9g", v);
}

void metrics_sample(struct metrics_out *o, const char *name, const char *labels, double value)
{
	char v[40], line[1024];
	value_format(value, v, sizeof v);
	int n;
	if (labels && labels[0])
		n = snprintf(line, sizeof line, "%s{%s} %s\n", name, labels, v);
	else
		n = snprintf(line, sizeof line, "%s %s\n", name, v);
	if (n > 0 && (size_t)n < sizeof line)
		put(o, line);
}

void metrics_histogram_observe(struct metrics_histogram *h, double seconds)
{
	for (int i = 0; i < METRICS_BUCKETS; i++)
		if (seconds <= metrics_bucket_bounds[i]) {
			h->bucket[i]++;
			break;
		}
	h->count++;
	h->sum += seconds;
}

void metrics_histogram_write(struct metrics_out *o, const char *name, const char *labels,
			     const struct metrics_histogram *h)
{
	char n[160], l[600], le[32];
	const char *sep = labels && labels[0] ? "," : "";
	uint64_t cum = 0;
	snprintf(n, sizeof n, "%s_bucket", name);
	for (int i = 0; i <= METRICS_BUCKETS; i++) {
		if (i < METRICS_BUCKETS) {
			cum += h->bucket[i];
			snprintf(le, sizeof le, "%g", metrics_bucket_bounds[i]);
		} else {
			cum = h->count;
			snprintf(le, sizeof le, "+Inf");
		}
		snprintf(l, sizeof l, "%s%sle=\"%s\"", labels ? labels : "", sep, le);
		metrics_sample(o, n, l, (double)cum);
	}
	snprintf(n, sizeof n, "%s_sum", name);
	metrics_sample(o, n, labels, h->sum);
	snprintf(n, sizeof n, "%s_count", name);
	metrics_sample(o, n, labels, (double)h->count);
}
