/* The small pure pieces of conf/: freeing and copying, error text,
 * durations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

void conf_probe_spec_clear(struct probe_spec *s)
{
	if (s->type == PROBE_EXEC)
		for (unsigned i = 0; i < s->u.exec.argc && i < PROBE_ARGV_MAX; i++)
			free(s->u.exec.argv[i]);
	*s = (struct probe_spec){0};
}

int conf_probe_spec_copy(struct probe_spec *dst, const struct probe_spec *src)
{
	*dst = *src;
	if (src->type != PROBE_EXEC)
		return 0;
	dst->u.exec.argc = 0;
	memset(dst->u.exec.argv, 0, sizeof dst->u.exec.argv);
	for (unsigned i = 0; i < src->u.exec.argc && i < PROBE_ARGV_MAX; i++) {
		dst->u.exec.argv[i] = strdup(src->u.exec.argv[i]);
		if (!dst->u.exec.argv[i]) {
			conf_probe_spec_clear(dst);
			return -1;
		}
		dst->u.exec.argc = i + 1;
	}
	return 0;
}

void conf_service_clear(struct conf_service *s)
{
	for (size_t i = 0; i < s->n_checks; i++)
		conf_probe_spec_clear(&s->checks[i]);
	free(s->checks);
	free(s->prefixes);
	*s = (struct conf_service){0};
}

int conf_service_copy(struct conf_service *dst, const struct conf_service *src)
{
	*dst = *src;
	dst->prefixes = NULL;
	dst->checks = NULL;
	dst->n_checks = 0;
	if (src->n_prefixes) {
		dst->prefixes = malloc(src->n_prefixes * sizeof *src->prefixes);
		if (!dst->prefixes)
			goto fail;
		memcpy(dst->prefixes, src->prefixes, src->n_prefixes * sizeof *src->prefixes);
	}
	if (src->n_checks) {
		dst->checks = calloc(src->n_checks, sizeof *src->checks);
		if (!dst->checks)
			goto fail;
	}
	for (size_t i = 0; i < src->n_checks; i++) {
		if (conf_probe_spec_copy(&dst->checks[i], &src->checks[i]) < 0)
			goto fail;
		dst->n_checks = i + 1;
	}
	return 0;
fail:
	conf_service_clear(dst);
	return -1;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_services; i++)
		conf_service_clear(&c->services[i]);
	free(c->services);
	free(c->peers);
	free(c->allowed);
	free(c);
}

char *conf_error_format(const struct conf_error *err, char *out, size_t cap)
{
	if (cap)
		snprintf(out, cap, "%s:%u:%u: %s", err->file ? err->file : "-", err->line, err->col,
			 err->reason);
	return out;
}

static const struct {
	const char *suffix;
	int64_t ms;
} duration_units[] = {
	{"ms", 1},
	{"s", 1000},
	{"m", 60000},
};

enum conf_duration_status conf_duration_parse(const char *s, int64_t *ms)
{
	size_t i = 0;
	int64_t n = 0;
	bool big = false;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		if (n > CONF_DURATION_MAX_MS)
			big = true; /* stop counting; n stays far from overflowing */
		else
			n = n * 10 + (s[i] - '0');
	}
	if (i == 0 || (i > 1 && s[0] == '0'))
		return CONF_DURATION_SYNTAX;
	for (size_t u = 0; u < sizeof duration_units / sizeof duration_units[0]; u++) {
		if (strcmp(s + i, duration_units[u].suffix) != 0)
			continue;
		if (big || n > CONF_DURATION_MAX_MS / duration_units[u].ms)
			return CONF_DURATION_RANGE;
		*ms = n * duration_units[u].ms;
		return CONF_DURATION_OK;
	}
	return CONF_DURATION_SYNTAX;
}

void conf_duration_format(int64_t ms, char *out, size_t cap)
{
	if (ms == 0)
		snprintf(out, cap, "0s");
	else if (ms % 60000 == 0)
		snprintf(out, cap, "%lldm", (long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(out, cap, "%llds", (long long)(ms / 1000));
	else
		snprintf(out, cap, "%lldms", (long long)ms);
}

const char *conf_change_name(enum conf_change c)
{
	static const char *const names[] = {
		[CONF_UNCHANGED] = "unchanged",
		[CONF_ADDED] = "added",
		[CONF_REMOVED] = "removed",
		[CONF_CHANGED] = "changed",
	};
	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}
