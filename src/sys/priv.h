/* Privileges: switching to the configured user and keeping only the
 * capabilities the configuration needs (libcap).
 *
 * What needs which capability, after start-up:
 *   CAP_NET_ADMIN          adding/removing managed service addresses
 *                          (address: {manage: true}) over rtnetlink
 *   CAP_NET_BIND_SERVICE   binding a port below 1024 after the drop; the
 *                          BGP listeners are opened before it, so only
 *                          needed if something binds one later
 *   CAP_SETUID, CAP_SETGID exec checks with `user:` (the child switches
 *                          user before exec; see health/probe_child.c)
 * Nothing else the daemon does needs one: TCP-MD5 keys, IP_MINTTL /
 * IPV6_MINHOPCOUNT, IP_TTL, connecting from port 0, pidfd_open,
 * reading addresses over netlink, fork/exec.
 *
 * The drop also clears the ambient and inheritable sets (so exec checks
 * never inherit a capability), lowers the bounding set to the kept
 * capabilities when it is allowed to (CAP_SETPCAP), and sets
 * PR_SET_NO_NEW_PRIVS when asked (the default; see plan.no_new_privs).
 *
 * Functions return -1 with a reason in err (NUL-terminated, truncated to
 * errcap) on failure. */
#ifndef ANYCASTD_SYS_PRIV_H
#define ANYCASTD_SYS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRIV_GROUPS_MAX 256
#define PRIV_NAME_MAX 64

struct priv_plan {
	bool set_user;      /* switch to uid/gid/groups (only done when root) */
	uid_t uid;          /* the user's, when set_user */
	gid_t gid;          /* the group's (default the user's primary group) */
	gid_t groups[PRIV_GROUPS_MAX]; /* supplementary groups: the user's */
	int ngroups;
	char user[PRIV_NAME_MAX], group[PRIV_NAME_MAX]; /* for messages */
	bool net_admin;     /* keep CAP_NET_ADMIN */
	bool net_bind;      /* keep CAP_NET_BIND_SERVICE */
	bool setuid_checks; /* keep CAP_SETUID and CAP_SETGID */
	/* Set PR_SET_NO_NEW_PRIVS (priv_plan_for sets it): no exec check can
	 * gain privileges through a set-user-ID program or file capabilities
	 * (sudo, su, ping with cap_net_raw...); `user:` on the check is the way
	 * to run it as someone else. */
	bool no_new_privs;
};

/* Fills *out: looks up user (NULL or "": no user switch) and group (NULL
 * or "": the user's primary group; a group without a user is an error),
 * the user's supplementary groups, and records which capabilities to
 * keep.  Does not change the process.  Returns 0, or -1 with a reason
 * ("user 'x': no such user", ...). */
int priv_plan_for(const char *user, const char *group, bool net_admin, bool net_bind, bool setuid_checks,
		  struct priv_plan *out, char *err, size_t errcap);

/* Applies the plan to the calling process.  Call it once, before any
 * thread is started (libcurl's resolver threads, for one): credentials
 * are per thread at the system-call level.
 *   - Effective uid 0 and set_user: lowers the bounding set to the kept
 *     capabilities, switches supplementary groups, gid and uid keeping the
 *     planned capabilities across setuid (PR_SET_KEEPCAPS), then sets
 *     permitted = effective = the kept ones, inheritable and ambient
 *     empty, and checks that uid 0 cannot be regained (unless CAP_SETUID
 *     was kept on purpose).
 *   - Not root (started as a user by systemd with AmbientCapabilities, or
 *     by setpriv/capsh): the user stays; the capabilities are trimmed the
 *     same way to the kept ones the process has, ambient and inheritable
 *     emptied, the bounding set lowered only if CAP_SETPCAP is held.  A
 *     process without any capability is left as it is.
 *   - Effective uid 0 without set_user: nothing changes ("stay as
 *     started"; no `user:` configured).
 * In the first two cases PR_SET_NO_NEW_PRIVS follows if no_new_privs.
 * Returns 0 when privileges were dropped or trimmed (err then holds a
 * warning, e.g. a capability to keep that the process did not have, or
 * ""), 1 when nothing was changed (err says why, for an info line), or -1
 * on failure (err says what failed; the process may be half-way, so the
 * caller must exit). */
int priv_drop(const struct priv_plan *p, char *err, size_t errcap);

/* Writes the current credentials as logfmt fields, e.g.
 *   uid=998 gid=998 groups=998 caps="cap_net_admin=ep" ambient=none
 *   bounding="cap_net_admin,cap_setgid,cap_setuid" no_new_privs=1
 * (groups: at most 32, else "many").  Always NUL-terminates; returns 0,
 * or -1 when cut short by cap. */
int priv_describe(char *out, size_t cap);

/* Can this process switch users for an exec check's child: effective uid
 * 0, or CAP_SETUID and CAP_SETGID both effective? */
bool priv_can_switch_user(void);

#endif
