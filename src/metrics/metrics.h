/* Prometheus text exposition format (version 0.0.4): families, samples,
 * label escaping, histograms.  Pure: writes through a caller's sink, reads
 * no clock.  The daemon gathers its state and writes it with these; the
 * names are documented in docs/operations.md. */
#ifndef ANYCASTD_METRICS_METRICS_H
#define ANYCASTD_METRICS_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* Where text goes; write may be called many times. */
struct metrics_out {
	void (*write)(void *arg, const char *s, size_t n);
	void *arg;
};

enum metrics_type { METRICS_GAUGE, METRICS_COUNTER, METRICS_HISTOGRAM };

/* # HELP and # TYPE lines of a family (once per family, before its samples). */
void metrics_family(struct metrics_out *o, const char *name, enum metrics_type t, const char *help);

/* Label set text `k1="v1",k2="v2"` from NULL-terminated key/value pairs,
 * values escaped (\\, \", \n).  Cut at cap (a cut label set is dropped:
 * out becomes ""). */
void metrics_labels(char *out, size_t cap, ...) __attribute__((sentinel));

/* name{labels} value; labels NULL or "" for none.  Values print as
 * integers when they are whole, NaN/+Inf as Prometheus spells them. */
void metrics_sample(struct metrics_out *o, const char *name, const char *labels, double value);

/* Histogram of durations in seconds with fixed buckets. */
#define METRICS_BUCKETS 12
extern const double metrics_bucket_bounds[METRICS_BUCKETS]; /* ascending, seconds */
struct metrics_histogram {
	uint64_t bucket[METRICS_BUCKETS]; /* observations <= bound (not cumulative) */
	uint64_t count;
	double sum;
};
void metrics_histogram_observe(struct metrics_histogram *h, double seconds);
/* name_bucket{labels,le=...} (cumulative, +Inf last), name_sum, name_count. */
void metrics_histogram_write(struct metrics_out *o, const char *name, const char *labels,
			     const struct metrics_histogram *h);

#endif
