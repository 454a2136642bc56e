/* Privileges: user switch and capability trimming with libcap.  See
 * priv.h for what is kept and why. */
#include "sys/priv.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/strbuf.h"

#define KEEP_MAX 4

static int fail(char *err, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errcap)
		vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
	return -1;
}

static void note(char *err, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errcap)
		vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* The capabilities the plan keeps; returns how many (at most KEEP_MAX). */
static int plan_caps(const struct priv_plan *p, cap_value_t out[KEEP_MAX])
{
	int n = 0;
	if (p->net_admin)
		out[n++] = CAP_NET_ADMIN;
	if (p->net_bind)
		out[n++] = CAP_NET_BIND_SERVICE;
	if (p->setuid_checks) {
		out[n++] = CAP_SETUID;
		out[n++] = CAP_SETGID;
	}
	return n;
}

static bool in_list(const cap_value_t *k, int n, cap_value_t c)
{
	for (int i = 0; i < n; i++)
		if (k[i] == c)
			return true;
	return false;
}

static const char *cap_label(cap_value_t c, char *buf, size_t cap)
{
	char *s = cap_to_name(c);
	snprintf(buf, cap, "%s", s ? s : "?");
	cap_free(s);
	return buf;
}

static bool flag_of(cap_t c, cap_value_t v, cap_flag_t which)
{
	cap_flag_value_t f = CAP_CLEAR;
	return c && cap_get_flag(c, v, which, &f) == 0 && f == CAP_SET;
}

static bool has_flag(cap_value_t v, cap_flag_t which)
{
	cap_t c = cap_get_proc();
	bool r = flag_of(c, v, which);
	cap_free(c);
	return r;
}

/* ---- the plan ---- */

/* getpwnam_r/getgrnam_r want a buffer of unknown size: grow on ERANGE. */
static int lookup_user(const char *user, struct priv_plan *out, char *err, size_t errcap)
{
	size_t sz = 4096;
	for (;;) {
		char *buf = malloc(sz);
		struct passwd pw, *pwp = NULL;
		if (!buf)
			return fail(err, errcap, "user '%s': out of memory", user);
		int e = getpwnam_r(user, &pw, buf, sz, &pwp);
		if (e == ERANGE && sz < (1u << 20)) {
			free(buf);
			sz *= 4;
			continue;
		}
		if (pwp) {
			out->uid = pw.pw_uid;
			out->gid = pw.pw_gid;
		}
		free(buf);
		if (e)
			return fail(err, errcap, "user '%s': %s", user, strerror(e));
		if (!pwp)
			return fail(err, errcap, "user '%s': no such user", user);
		return 0;
	}
}

static int lookup_group(const char *group, gid_t *gid, char *err, size_t errcap)
{
	size_t sz = 4096;
	for (;;) {
		char *buf = malloc(sz);
		struct group gr, *grp = NULL;
		if (!buf)
			return fail(err, errcap, "group '%s': out of memory", group);
		int e = getgrnam_r(group, &gr, buf, sz, &grp);
		if (e == ERANGE && sz < (1u << 20)) {
			free(buf);
			sz *= 4;
			continue;
		}
		if (grp)
			*gid = gr.gr_gid;
		free(buf);
		if (e)
			return fail(err, errcap, "group '%s': %s", group, strerror(e));
		if (!grp)
			return fail(err, errcap, "group '%s': no such group", group);
		return 0;
	}
}

int priv_plan_for(const char *user, const char *group, bool net_admin, bool net_bind, bool setuid_checks,
		  struct priv_plan *out, char *err, size_t errcap)
{
	memset(out, 0, sizeof *out);
	out->net_admin = net_admin;
	out->net_bind = net_bind;
	out->setuid_checks = setuid_checks;
	out->no_new_privs = true;
	if (errcap)
		err[0] = '\0';
	if (!user || !*user) {
		if (group && *group)
			return fail(err, errcap, "group '%s' is set but no user", group);
		return 0;
	}
	if (strlen(user) >= sizeof out->user || (group && strlen(group) >= sizeof out->group))
		return fail(err, errcap, "user or group name longer than %d bytes", PRIV_NAME_MAX - 1);
	if (lookup_user(user, out, err, errcap) < 0)
		return -1;
	if (group && *group && lookup_group(group, &out->gid, err, errcap) < 0)
		return -1;
	snprintf(out->user, sizeof out->user, "%s", user);
	snprintf(out->group, sizeof out->group, "%s", group && *group ? group : "");
	/* The user's own supplementary groups (as a login would have them),
	 * with the chosen group among them. */
	out->ngroups = PRIV_GROUPS_MAX;
	if (getgrouplist(user, out->gid, out->groups, &out->ngroups) < 0)
		return fail(err, errcap, "user '%s': in more than %d groups", user, PRIV_GROUPS_MAX);
	out->set_user = true;
	return 0;
}

/* ---- applying it ---- */

/* Credentials are per thread in the kernel; glibc makes set*id
 * process-wide but libcap's cap_set_proc is not.  Refuse to run half a
 * drop in a process that has started threads. */
static int threads_running(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = 1;
	if (!f)
		return 1; /* cannot tell; callers are documented to be single-threaded */
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Lowers the bounding set to keep[], as far as allowed: without
 * CAP_SETPCAP (a container that took it away) it stays, and *lowered
 * says so. */
static int drop_bounding(const cap_value_t *keep, int nkeep, bool *lowered, char *err, size_t errcap)
{
	*lowered = has_flag(CAP_SETPCAP, CAP_EFFECTIVE);
	for (cap_value_t c = 0; *lowered && c < (cap_value_t)cap_max_bits(); c++) {
		if (in_list(keep, nkeep, c) || cap_get_bound(c) != 1)
			continue;
		if (cap_drop_bound(c) < 0) {
			char name[64];
			return fail(err, errcap, "dropping %s from the bounding set: %s",
				    cap_label(c, name, sizeof name), strerror(errno));
		}
	}
	return 0;
}

/* permitted = effective = keep[], inheritable empty; ambient empty. */
static int set_caps(const cap_value_t *keep, int nkeep, char *err, size_t errcap)
{
	cap_t c = cap_init();
	if (!c)
		return fail(err, errcap, "cap_init: %s", strerror(errno));
	int rc = 0;
	if (nkeep > 0 && (cap_set_flag(c, CAP_PERMITTED, nkeep, keep, CAP_SET) < 0 ||
			  cap_set_flag(c, CAP_EFFECTIVE, nkeep, keep, CAP_SET) < 0))
		rc = fail(err, errcap, "cap_set_flag: %s", strerror(errno));
	else if (cap_set_proc(c) < 0)
		rc = fail(err, errcap, "setting capabilities: %s", strerror(errno));
	cap_free(c);
	/* Lowering inheritable already emptied ambient; this is explicit, and
	 * EINVAL means a kernel without ambient capabilities (nothing to do). */
	if (rc == 0 && cap_reset_ambient() < 0 && errno != EINVAL)
		rc = fail(err, errcap, "clearing ambient capabilities: %s", strerror(errno));
	return rc;
}

/* After the drop: effective and permitted are exactly keep[], inheritable
 * and ambient empty. */
static int verify_caps(const cap_value_t *keep, int nkeep, char *err, size_t errcap)
{
	cap_t c = cap_get_proc();
	if (!c)
		return fail(err, errcap, "cap_get_proc: %s", strerror(errno));
	int rc = 0;
	for (cap_value_t v = 0; v < (cap_value_t)cap_max_bits() && rc == 0; v++) {
		bool want = in_list(keep, nkeep, v);
		char name[64];
		if (flag_of(c, v, CAP_EFFECTIVE) != want || flag_of(c, v, CAP_PERMITTED) != want)
			rc = fail(err, errcap, "after the drop %s is %s", cap_label(v, name, sizeof name),
				  want ? "missing" : "still held");
		else if (flag_of(c, v, CAP_INHERITABLE) || cap_get_ambient(v) == 1)
			rc = fail(err, errcap, "after the drop %s is still inheritable",
				  cap_label(v, name, sizeof name));
	}
	cap_free(c);
	return rc;
}

static int set_no_new_privs(const struct priv_plan *p, char *err, size_t errcap)
{
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		return fail(err, errcap, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return 0;
}

/* Root: groups, gid, uid, keeping the planned capabilities. */
static int switch_user(const struct priv_plan *p, const cap_value_t *keep, int nkeep, bool *lowered, char *err,
		       size_t errcap)
{
	if (drop_bounding(keep, nkeep, lowered, err, errcap) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) < 0)
		return fail(err, errcap, "PR_SET_KEEPCAPS: %s", strerror(errno));
	if (setgroups((size_t)p->ngroups, p->groups) < 0)
		return fail(err, errcap, "setgroups for user '%s': %s", p->user, strerror(errno));
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return fail(err, errcap, "setgid %u: %s", (unsigned)p->gid, strerror(errno));
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return fail(err, errcap, "setuid %u (user '%s'): %s", (unsigned)p->uid, p->user, strerror(errno));
	if (prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) < 0)
		return fail(err, errcap, "PR_SET_KEEPCAPS off: %s", strerror(errno));
	if (set_caps(keep, nkeep, err, errcap) < 0)
		return -1;
	uid_t r, e, s;
	gid_t rg, eg, sg;
	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0 || r != p->uid || e != p->uid ||
	    s != p->uid || rg != p->gid || eg != p->gid || sg != p->gid)
		return fail(err, errcap, "uid/gid not switched to %u/%u", (unsigned)p->uid, (unsigned)p->gid);
	/* OpenSSH's paranoia: without CAP_SETUID there must be no way back. */
	if (p->uid != 0 && !p->setuid_checks && (setuid(0) == 0 || seteuid(0) == 0))
		return fail(err, errcap, "uid 0 could be regained after the switch");
	return 0;
}

/* Not root: keep what is planned and held, drop the rest. */
static int trim_caps(const struct priv_plan *p, const cap_value_t *keep, int nkeep, char *err, size_t errcap)
{
	cap_value_t held[KEEP_MAX];
	int nheld = 0;
	char missing[160] = "";
	struct strbuf mb;
	strbuf_init(&mb, missing, sizeof missing);
	for (int i = 0; i < nkeep; i++) {
		char name[64];
		if (has_flag(keep[i], CAP_PERMITTED))
			held[nheld++] = keep[i];
		else
			strbuf_printf(&mb, "%s%s", mb.len ? "," : "", cap_label(keep[i], name, sizeof name));
	}
	bool lowered;
	if (drop_bounding(held, nheld, &lowered, err, errcap) < 0)
		return -1;
	if (set_caps(held, nheld, err, errcap) < 0 || verify_caps(held, nheld, err, errcap) < 0 ||
	    set_no_new_privs(p, err, errcap) < 0)
		return -1;
	if (missing[0])
		note(err, errcap, "not started as root and without %s: what needs it will fail", missing);
	else if (p->set_user && geteuid() != p->uid)
		note(err, errcap, "not started as root: running as uid %u, not as user '%s'", (unsigned)geteuid(),
		     p->user);
	return 0;
}

static bool any_capability(void)
{
	for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (has_flag(c, CAP_PERMITTED) || has_flag(c, CAP_INHERITABLE) || cap_get_ambient(c) == 1)
			return true;
	return false;
}

int priv_drop(const struct priv_plan *p, char *err, size_t errcap)
{
	cap_value_t keep[KEEP_MAX];
	int nkeep = plan_caps(p, keep);
	if (errcap)
		err[0] = '\0';
	if (geteuid() == 0 && !p->set_user) {
		note(err, errcap, "running as root: no user configured, privileges kept");
		return 1;
	}
	if (geteuid() != 0 && !any_capability()) {
		if (p->set_user && geteuid() != p->uid)
			note(err, errcap, "not started as root: running as uid %u, not as user '%s'",
			     (unsigned)geteuid(), p->user);
		else
			note(err, errcap, "not started as root and without capabilities: nothing to drop");
		return 1;
	}
	int n = threads_running();
	if (n > 1)
		return fail(err, errcap, "%d threads are running: privileges must be dropped before any starts", n);
	if (geteuid() != 0)
		return trim_caps(p, keep, nkeep, err, errcap);
	bool lowered;
	if (switch_user(p, keep, nkeep, &lowered, err, errcap) < 0 || verify_caps(keep, nkeep, err, errcap) < 0 ||
	    set_no_new_privs(p, err, errcap) < 0)
		return -1;
	if (!lowered)
		note(err, errcap, "bounding set not lowered: no CAP_SETPCAP (a container?)");
	return 0;
}

/* ---- describing ---- */

/* A capability set as "none", "all", "all but a,b" or "a,b,c". */
static void describe_set(struct strbuf *sb, const char *key, int (*get)(cap_value_t))
{
	int n = 0, all = (int)cap_max_bits();
	for (cap_value_t c = 0; c < all; c++)
		n += get(c) == 1;
	if (n == 0 || n == all) {
		strbuf_printf(sb, " %s=%s", key, n ? "all" : "none");
		return;
	}
	bool but = n > all / 2; /* list the shorter side */
	int listed = 0;
	strbuf_printf(sb, " %s=\"%s", key, but ? "all but " : "");
	for (cap_value_t c = 0; c < all; c++) {
		char name[64];
		if ((get(c) == 1) != but)
			strbuf_printf(sb, "%s%s", listed++ ? "," : "", cap_label(c, name, sizeof name));
	}
	strbuf_printf(sb, "\"");
}

static int get_bound(cap_value_t c) { return cap_get_bound(c); }
static int get_ambient(cap_value_t c) { return cap_get_ambient(c); }

int priv_describe(char *out, size_t cap)
{
	struct strbuf sb;
	uid_t r, e, s;
	gid_t rg, eg, sg, groups[32];
	strbuf_init(&sb, out, cap);
	if (getresuid(&r, &e, &s) == 0 && getresgid(&rg, &eg, &sg) == 0)
		strbuf_printf(&sb, "uid=%u euid=%u gid=%u egid=%u", (unsigned)r, (unsigned)e, (unsigned)rg,
			      (unsigned)eg);
	int ng = getgroups(32, groups);
	strbuf_printf(&sb, " groups=");
	if (ng < 0)
		strbuf_printf(&sb, "many");
	for (int i = 0; i < ng; i++)
		strbuf_printf(&sb, "%s%u", i ? "," : "", (unsigned)groups[i]);
	if (ng == 0)
		strbuf_printf(&sb, "none");
	cap_t c = cap_get_proc();
	char *text = c ? cap_to_text(c, NULL) : NULL;
	/* libcap writes the empty set as "=" */
	strbuf_printf(&sb, " caps=\"%s\"", !text ? "?" : strcmp(text, "=") ? text : "none");
	cap_free(text);
	cap_free(c);
	describe_set(&sb, "ambient", get_ambient);
	describe_set(&sb, "bounding", get_bound);
	strbuf_printf(&sb, " no_new_privs=%d", prctl(PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L));
	return sb.truncated ? -1 : 0;
}

bool priv_can_switch_user(void)
{
	return geteuid() == 0 || (has_flag(CAP_SETUID, CAP_EFFECTIVE) && has_flag(CAP_SETGID, CAP_EFFECTIVE));
}
