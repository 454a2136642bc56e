/* Prometheus text writer (src/metrics): escaping, values, histograms. */
#include <math.h>
#include <string.h>

#include "lib/strbuf.h"
#include "metrics/metrics.h"
#include "testutil.h"

static char text[8192];
static struct strbuf sb;

static void to_strbuf(void *arg, const char *s, size_t n)
{
	strbuf_printf(arg, "%.*s", (int)n, s);
}

static struct metrics_out out(void)
{
	strbuf_init(&sb, text, sizeof text);
	return (struct metrics_out){to_strbuf, &sb};
}

static void families_and_samples(void **state)
{
	(void)state;
	struct metrics_out o = out();
	char lb[200];
	metrics_family(&o, "anycastd_x_total", METRICS_COUNTER, "Things.");
	metrics_labels(lb, sizeof lb, "peer", "r1", "type", "a\"b\\c\nd", (const char *)NULL);
	metrics_sample(&o, "anycastd_x_total", lb, 3);
	metrics_sample(&o, "anycastd_x_total", NULL, 0.25);
	metrics_sample(&o, "anycastd_x_total", "", NAN);
	metrics_sample(&o, "anycastd_x_total", NULL, INFINITY);
	metrics_sample(&o, "anycastd_x_total", NULL, 1e20);
	assert_string_equal(text, "# HELP anycastd_x_total Things.\n"
				  "# TYPE anycastd_x_total counter\n"
				  "anycastd_x_total{peer=\"r1\",type=\"a\\\"b\\\\c\\nd\"} 3\n"
				  "anycastd_x_total 0.25\n"
				  "anycastd_x_total NaN\n"
				  "anycastd_x_total +Inf\n"
				  "anycastd_x_total 1e+20\n");
	/* a label set that does not fit is dropped whole */
	char small[12];
	metrics_labels(small, sizeof small, "service", "a-long-name", (const char *)NULL);
	assert_string_equal(small, "");
	metrics_labels(small, sizeof small, "s", "ab", (const char *)NULL);
	assert_string_equal(small, "s=\"ab\"");
}

static void histogram(void **state)
{
	(void)state;
	struct metrics_histogram h = {0};
	metrics_histogram_observe(&h, 0.0001);
	metrics_histogram_observe(&h, 0.001);
	metrics_histogram_observe(&h, 0.3);
	metrics_histogram_observe(&h, 60);
	struct metrics_out o = out();
	metrics_histogram_write(&o, "d_seconds", "c=\"x\"", &h);
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"0.0005\"} 1\n"));
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"0.001\"} 2\n"));
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"0.25\"} 2\n"));
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"0.5\"} 3\n"));
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"5\"} 3\n"));
	assert_non_null(strstr(text, "d_seconds_bucket{c=\"x\",le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(text, "d_seconds_sum{c=\"x\"} 60.3011\n"));
	assert_non_null(strstr(text, "d_seconds_count{c=\"x\"} 4\n"));
	o = out();
	metrics_histogram_write(&o, "e", NULL, &(struct metrics_histogram){0});
	assert_non_null(strstr(text, "e_bucket{le=\"+Inf\"} 0\ne_sum 0\ne_count 0\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(families_and_samples),
		cmocka_unit_test(histogram),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
