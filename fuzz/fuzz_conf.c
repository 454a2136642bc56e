/* Configuration text: parse; when accepted, print, parse the printed text
 * (it must be accepted), print again (it must be identical) and diff the
 * two configs (nothing may differ), and deep-copy every service (the
 * copies must not differ either); when refused, the error must be one line
 * with a position. */
#include <stdio.h>

#include "conf/conf.h"
#include "fuzz.h"

static char text1[1 << 20], text2[1 << 20];

/* Line breaks as YAML counts them: \n, \r, NEL, LS, PS (\r\n counted
 * twice here, which only loosens the bound). */
static unsigned count_lines(const uint8_t *d, size_t n)
{
	unsigned lines = 1;
	for (size_t i = 0; i < n; i++) {
		lines += d[i] == '\n' || d[i] == '\r';
		lines += i + 1 < n && d[i] == 0xc2 && d[i + 1] == 0x85;
		lines += i + 2 < n && d[i] == 0xe2 && d[i + 1] == 0x80 &&
			 (d[i + 2] == 0xa8 || d[i + 2] == 0xa9);
	}
	return lines;
}

static void check_error(const struct conf_error *err, const uint8_t *data, size_t size)
{
	char msg[600];
	unsigned lines = count_lines(data, size);
	FUZZ_CHECK(err->line >= 1 && err->line <= lines + 1 && err->col >= 1);
	FUZZ_CHECK(err->reason[0] != '\0');
	conf_error_format(err, msg, sizeof msg);
	FUZZ_CHECK(strchr(msg, '\n') == NULL && strchr(msg, '\r') == NULL);
}

static void check_same(const struct conf *a, const struct conf *b)
{
	struct conf_diff d;
	FUZZ_CHECK(conf_diff(a, b, &d) == 0);
	FUZZ_CHECK(!d.restart_all && !d.control_socket);
	FUZZ_CHECK(d.peers_unchanged == a->n_peers && d.peers_unchanged == b->n_peers);
	FUZZ_CHECK(d.services_unchanged == a->n_services && d.services_unchanged == b->n_services);
	for (size_t i = 0; i < a->n_services; i++)
		FUZZ_CHECK(d.old_services[i].what == 0 && d.new_services[i].what == 0);
	conf_diff_clear(&d);
}

/* A config whose services are deep copies of c's (peers shared). */
static void check_copies(const struct conf *c)
{
	struct conf copy = *c;
	copy.services = calloc(c->n_services ? c->n_services : 1, sizeof *copy.services);
	FUZZ_CHECK(copy.services != NULL);
	for (size_t i = 0; i < c->n_services; i++)
		FUZZ_CHECK(conf_service_copy(&copy.services[i], &c->services[i]) == 0);
	check_same(c, &copy);
	for (size_t i = 0; i < c->n_services; i++)
		conf_service_clear(&copy.services[i]);
	free(copy.services);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL, *again = NULL;
	struct conf_error err;
	struct strbuf s1, s2;
	if (conf_parse((const char *)data, size, "fuzz.yaml", &c, &err) < 0) {
		FUZZ_CHECK(c == NULL);
		check_error(&err, data, size);
		return 0;
	}
	strbuf_init(&s1, text1, sizeof text1);
	conf_print(c, &s1);
	if (!s1.truncated) {
		if (conf_parse(text1, s1.len, "printed.yaml", &again, &err) < 0) {
			char msg[600];
			fprintf(stderr, "printed form refused: %s\n%s",
				conf_error_format(&err, msg, sizeof msg), text1);
			abort();
		}
		strbuf_init(&s2, text2, sizeof text2);
		conf_print(again, &s2);
		FUZZ_CHECK(!s2.truncated && s1.len == s2.len && memcmp(text1, text2, s1.len) == 0);
		check_same(c, again);
	}
	check_copies(c);
	conf_free(again);
	conf_free(c);
	return 0;
}
