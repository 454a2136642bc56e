/* exec checks: run argv without a shell; exit 0 passes.  The timeout (in
 * probe.c) ends the run, and stop() kills the whole process group. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "health/probe_check.h"
#include "health/probe_impl.h"

struct exec_state {
	struct probe_child *child;
	char *argv[PROBE_ARGV_MAX + 1];
};

static void exec_exited(void *arg, int code, int status, const uint8_t *out, size_t len)
{
	struct probe_run *r = arg;
	char how[64], text[128];
	if (code == 0) {
		probe_report(r, false, "exit status lost (reaped elsewhere; is SIGCHLD ignored?)");
		return;
	}
	probe_exit_describe(code, status, how, sizeof how);
	/* A trailing newline says nothing. */
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		len--;
	probe_excerpt(out, len, text, sizeof text);
	bool ok = code == CLD_EXITED && status == 0;
	if (len)
		probe_report(r, ok, "%s: %s", how, text);
	else
		probe_report(r, ok, "%s", how);
}

static void exec_start(struct probe_run *r)
{
	const struct probe_exec *e = &r->spec->u.exec;
	struct exec_state *s = calloc(1, sizeof *s);
	if (!s) {
		probe_report(r, false, "out of memory");
		return;
	}
	r->impl = s;
	unsigned argc = e->argc < PROBE_ARGV_MAX ? e->argc : PROBE_ARGV_MAX;
	for (unsigned i = 0; i < argc; i++)
		s->argv[i] = e->argv[i];
	s->argv[argc] = NULL;
	if (argc == 0) {
		probe_report(r, false, "no command");
		return;
	}
	char err[128];
	s->child = probe_child_spawn(r->base, s->argv, e->user, exec_exited, r, err, sizeof err);
	if (!s->child) {
		probe_report(r, false, "%s", err);
		return;
	}
	probe_phase(r, "%s (pid %d) still running, process group killed", s->argv[0],
		    (int)probe_child_pid(s->child));
}

static void exec_stop(struct probe_run *r)
{
	struct exec_state *s = r->impl;
	if (!s)
		return;
	probe_child_free(s->child);
	free(s);
}

const struct probe_ops probe_exec_ops = {exec_start, exec_stop};
