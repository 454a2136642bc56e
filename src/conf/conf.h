/* Configuration: YAML text → validated `struct conf`, printed back in a
 * normal form, and compared for reloads.  Pure: parses from memory, no file
 * I/O, no clock, no globals.  docs/configuration.md describes every key.
 *
 * Reload (design.md §9): parse the new file into a fresh object; on any
 * error keep the running one; otherwise conf_diff() the two and apply. */
#ifndef ANYCASTD_CONF_CONF_H
#define ANYCASTD_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>

#include "bgp/update.h"
#include "health/probe_spec.h"
#include "lib/addr.h"
#include "lib/strbuf.h"
#include "service/service.h"

/* Limits on strings; the arrays below hold one more byte for the NUL. */
#define CONF_NAME_MAX 63     /* peer and service names: [A-Za-z0-9_.-] */
#define CONF_PASSWORD_MAX 80 /* TCP_MD5SIG_MAXKEYLEN */
#define CONF_SOCKET_MAX 107  /* sizeof(sun_path) - 1 */
#define CONF_PATH_MAX 255    /* maintenance-file, pidfile */
#define CONF_IFNAME_MAX (IFNAMSIZ - 1)
#define CONF_ARG_MAX 1024    /* one exec argument, in bytes */

/* Defaults. */
#define CONF_DEFAULT_CONTROL_SOCKET "/run/anycastd/anycastd.sock"
#define CONF_DEFAULT_CONTROL_SOCKET_MODE 0660
#define CONF_ACCOUNT_MAX 32 /* user and group names */
#define CONF_DEFAULT_PORT 179
#define CONF_DEFAULT_HOLD_TIME 90 /* seconds */
#define CONF_MIN_HOLD_TIME 3
#define CONF_DEFAULT_DRAIN_TIME_MS 30000
#define CONF_DEFAULT_FAIL_STATIC_MS 300000 /* 5m */
#define CONF_MAX_FAIL_STATIC_MS 3600000    /* 1h */
/* Checks (per check unless said otherwise). */
#define CONF_MAX_CHECKS 64              /* per service */
#define CONF_DEFAULT_INTERVAL_MS 1000
#define CONF_MIN_INTERVAL_MS 10         /* interval and fast-interval */
#define CONF_DEFAULT_RISE 3
#define CONF_DEFAULT_FALL 2
#define CONF_MAX_RISE_FALL 100
#define CONF_DEFAULT_JITTER 10          /* percent */
#define CONF_MAX_JITTER 50
#define CONF_DEFAULT_DNS_PORT 53
#define CONF_DEFAULT_HTTP_STATUS 200
/* Per-state attributes. */
#define CONF_MAX_PREPEND 10
/* Damping thresholds are whole numbers up to this. */
#define CONF_MAX_DAMP_VALUE 1000000

/* The largest duration conf_duration_parse() accepts (about 24.8 days). */
#define CONF_DURATION_MAX_MS INT64_C(2147483647)
/* Longest conf_duration_format() text, including the NUL. */
#define CONF_DURATION_STRLEN 24

/* Where the session's NEXT_HOP comes from, per family: an address of that
 * family, or ADDR_NONE for `self` (the local address of the session). */
struct conf_next_hop {
	struct addr v4; /* ADDR_V4 or ADDR_NONE */
	struct addr v6; /* ADDR_V6 or ADDR_NONE */
};

/* TCP-AO (RFC 5925) with one master key tuple; the traffic keys are
 * derived by the kernel (RFC 5926). */
enum conf_ao_alg { CONF_AO_HMAC_SHA1 = 0, CONF_AO_AES128_CMAC };
struct conf_tcp_ao {
	bool enabled;
	char password[CONF_PASSWORD_MAX + 1]; /* the master key, 1..80 bytes */
	uint8_t send_id, recv_id;
	enum conf_ao_alg alg;
};

struct conf_peer {
	char name[CONF_NAME_MAX + 1];
	struct addr address;       /* ADDR_V4 or ADDR_V6 */
	uint32_t remote_as;        /* == conf.local_as means iBGP */
	struct addr local_address; /* same family as address, or ADDR_NONE */
	uint16_t port;             /* the peer's TCP port we connect to */
	bool passive;              /* never connect, only accept */
	uint16_t hold_time;        /* seconds, CONF_MIN_HOLD_TIME..65535 */
	char password[CONF_PASSWORD_MAX + 1]; /* TCP-MD5 key; "" for none */
	struct conf_tcp_ao tcp_ao;             /* never together with password */
	bool ttl_security;         /* GTSM (RFC 5082) */
	uint8_t multihop;          /* eBGP multihop TTL 1..255; 0 when not set */
	struct conf_next_hop next_hop;
};

/* BGP attributes of a service's announcement in one state (up, degraded,
 * draining).  Only what the configuration decides: ORIGIN, AS_PATH and
 * NEXT_HOP are the daemon's (prepend says how many extra copies of our AS
 * to put in front).  GRACEFUL_SHUTDOWN (65535:0) is never stored in the
 * draining set: the daemon always adds it while draining. */
struct conf_attrs {
	uint32_t communities[BGP_MAX_COMMUNITIES]; /* sorted, unique */
	uint8_t n_communities;
	struct bgp_large_community large[BGP_MAX_LARGE_COMMUNITIES]; /* sorted, unique */
	uint8_t n_large;
	bool has_med;
	uint32_t med;
	uint8_t prepend; /* 0..CONF_MAX_PREPEND */
	bool has_local_pref; /* sent to iBGP peers only */
	uint32_t local_pref;
};

/* address: the prefixes are announced only while present on interface;
 * manage: anycastd adds them before announcing, removes them after the
 * withdrawal.  interface[0] == 0: not configured. */
struct conf_service_address {
	char interface[CONF_IFNAME_MAX + 1];
	bool manage;
};

struct conf_service {
	char name[CONF_NAME_MAX + 1];
	/* Owned; canonical (no host bits), sorted by prefix_cmp(), never empty,
	 * and no prefix appears twice in the whole configuration. */
	struct prefix *prefixes;
	size_t n_prefixes;
	/* Ready for service_init(): require (0 = all, else 1..n_checks),
	 * degrade (on-failure), drain_time (ns), damp. */
	struct service_params params;
	char maintenance_file[CONF_PATH_MAX + 1]; /* absolute; "" for none */
	struct conf_service_address address;
	struct conf_attrs attrs_up, attrs_degraded, attrs_draining;
	/* Owned, in file order, names unique within the service, at most
	 * CONF_MAX_CHECKS; exec argv strings are owned too (see
	 * conf_service_copy).  params.max_age is 0 unless configured. */
	struct probe_spec *checks;
	size_t n_checks;
};

struct conf {
	uint32_t router_id; /* host order, non-zero */
	uint32_t local_as;  /* 1..4294967295, not 23456 */
	char control_socket[CONF_SOCKET_MAX + 1]; /* absolute path */
	unsigned control_socket_mode;              /* permission bits, 0..0777 */
	char control_socket_group[CONF_ACCOUNT_MAX + 1]; /* "": the daemon's group */
	/* A second socket that answers only what changes nothing (status,
	 * peers, services, events, version), mode 0666; "" for none. */
	char control_socket_readonly[CONF_SOCKET_MAX + 1];
	/* Started as root: run as this user (and group; "": the user's primary
	 * group).  "": stay as started. */
	char user[CONF_ACCOUNT_MAX + 1];
	char group[CONF_ACCOUNT_MAX + 1];
	int log_level;       /* enum log_level (lib/log.h) */
	bool metrics;        /* metrics-listen configured */
	struct addr metrics_addr;
	uint16_t metrics_port;
	struct conf_peer *peers; /* owned, in file order, unique names and addresses */
	size_t n_peers;
	struct conf_service *services; /* owned, in file order, unique names */
	size_t n_services;
	/* allowed-prefixes: every service prefix lies inside one of these;
	 * owned, in file order; n_allowed == 0: no restriction. */
	struct prefix *allowed;
	size_t n_allowed;
};

/* The first problem found.  line and col are 1-based and point at the
 * offending value (the key for unknown or duplicate keys, the mapping for a
 * missing key); reason is one line of text. */
struct conf_error {
	const char *file; /* borrowed: the filename given to conf_parse */
	unsigned line;
	unsigned col;
	char reason[384];
};

/* Parses and validates the YAML document text[0..len) (UTF-8; need not be
 * NUL-terminated).  filename is only used in error messages (NULL reads as
 * "-") and must outlive err.  On success returns 0 and stores a new config
 * in *out (the caller frees it with conf_free).  On failure returns -1,
 * leaves *out NULL, fills *err (if err is not NULL) and frees everything it
 * allocated. */
int conf_parse(const char *text, size_t len, const char *filename, struct conf **out,
	       struct conf_error *err);

/* Frees c and everything it owns; NULL is a no-op. */
void conf_free(struct conf *c);

/* Deep copy of a service (prefixes, checks and their exec arguments), for
 * a caller that keeps a service beyond the life of its config.  Returns 0,
 * or -1 when out of memory (dst is then zeroed).  Free with
 * conf_service_clear(). */
int conf_service_copy(struct conf_service *dst, const struct conf_service *src);
/* Frees what s owns and zeroes it; safe on a zeroed or cleared s. */
void conf_service_clear(struct conf_service *s);

/* Deep copy of one check (exec arguments duplicated).  Returns 0, or -1
 * when out of memory (dst is then zeroed).  Free with
 * conf_probe_spec_clear(). */
int conf_probe_spec_copy(struct probe_spec *dst, const struct probe_spec *src);
/* Frees the exec arguments of s and zeroes it. */
void conf_probe_spec_clear(struct probe_spec *s);

/* Value syntax shared with the daemon and anycastctl (src/conf/values.c). */

/* "dns", "http", "tcp", "exec", "process"; "?" for anything else. */
const char *conf_probe_type_name(enum probe_type t);
/* A community as the configuration writes it: a well-known name
 * ("graceful-shutdown", "no-export", ...) or "ASN:VALUE". */
#define CONF_COMMUNITY_STRLEN 24
void conf_community_format(uint32_t c, char *out, size_t cap);
bool conf_community_parse(const char *s, uint32_t *c);
/* "GLOBAL:LOCAL1:LOCAL2". */
#define CONF_LARGE_COMMUNITY_STRLEN 36
void conf_large_community_format(const struct bgp_large_community *lc, char *out, size_t cap);
bool conf_large_community_parse(const char *s, struct bgp_large_community *lc);
/* DNS types: "A", "AAAA", ... or "TYPEnnn"; case-insensitive on input. */
#define CONF_QTYPE_STRLEN 12
void conf_qtype_format(uint16_t qtype, char *out, size_t cap);
bool conf_qtype_parse(const char *s, uint16_t *qtype);
/* DNS rcodes: "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", and "any" for
 * -1; case-insensitive on input.  The name is NULL for other values. */
const char *conf_rcode_name(int rcode);
bool conf_rcode_parse(const char *s, int *rcode);
/* ADDRESS:PORT, [IPv6]:PORT, and without need_port also a bare ADDRESS
 * (port left as it was).  Returns NULL, or why s is refused. */
const char *conf_endpoint_parse(const char *s, bool need_port, struct addr *a, uint16_t *port);
/* "192.0.2.1:53", "[2001:db8::1]:53". */
#define CONF_ENDPOINT_STRLEN (ADDR_STRLEN + 8)
void conf_endpoint_format(const struct addr *a, uint16_t port, char *out, size_t cap);

/* Writes "FILE:LINE:COL: REASON" (no newline) into out[0..cap), cut at the
 * capacity.  Returns out. */
char *conf_error_format(const struct conf_error *err, char *out, size_t cap);

/* Appends the normal form of c as YAML: fixed key order, every default
 * written out (optional keys without a default, such as password, are
 * omitted when unset), durations as conf_duration_format() writes them,
 * prefixes canonical and sorted.  Parsing the output gives an equal config
 * and prints identically.  The text is cut if out is too small (see
 * out->truncated); a caller with a large config retries with more room. */
void conf_print(const struct conf *c, struct strbuf *out);

enum conf_duration_status {
	CONF_DURATION_OK = 0,
	CONF_DURATION_SYNTAX, /* not digits followed by ms, s or m */
	CONF_DURATION_RANGE,  /* above CONF_DURATION_MAX_MS */
};

/* Parses a duration: decimal digits (no sign, no spaces) followed by one of
 * the units ms, s, m, e.g. "250ms", "90s", "5m".  On success stores the
 * milliseconds in *ms. */
enum conf_duration_status conf_duration_parse(const char *s, int64_t *ms);

/* Writes the shortest exact form of ms (>= 0): "Nm" when it is a whole
 * number of minutes (but "0s" for zero), else "Ns" for whole seconds, else
 * "Nms".  out should hold CONF_DURATION_STRLEN bytes. */
void conf_duration_format(int64_t ms, char *out, size_t cap);

/* What a reload does to one peer or service, matched by name. */
enum conf_change {
	CONF_UNCHANGED = 0,
	CONF_ADDED,   /* only in the new config */
	CONF_REMOVED, /* only in the old config */
	CONF_CHANGED, /* in both, differs: see conf_diff() */
};

/* The attributes of one service's routes to one peer in announcement
 * state a (ANNOUNCE_UP/DEGRADED/DRAINING): origin IGP; the AS path is our
 * AS plus `prepend` copies on eBGP, empty on iBGP; next hops from the
 * peer's `next-hop`, else the session's local address; MED, LOCAL_PREF and
 * communities from ca.  Draining adds GRACEFUL_SHUTDOWN (RFC 8326) and,
 * on iBGP without a configured local-pref, LOCAL_PREF 0. */
void conf_route_attrs(const struct conf_attrs *ca, enum service_announce a, const struct conf_peer *peer,
		      uint32_t local_as, const struct addr *local_addr, struct bgp_route_attrs *out);

/* Is p one of the prefixes of some service of c? */
bool conf_has_prefix(const struct conf *c, const struct prefix *p);

/* What differs in a CHANGED service (struct conf_diff_entry.what). */
enum {
	CONF_SVC_PREFIXES = 1 << 0,    /* the prefix set: announce/withdraw the difference */
	CONF_SVC_CHECKS = 1 << 1,      /* any check setting, order or name: restart the checks */
	CONF_SVC_ATTRS = 1 << 2,       /* attributes of any state: re-announce */
	CONF_SVC_PARAMS = 1 << 3,      /* require, on-failure, drain-time, damping */
	CONF_SVC_ADDRESS = 1 << 4,     /* address (interface, manage) */
	CONF_SVC_MAINTENANCE = 1 << 5, /* maintenance-file */
	CONF_SVC_OTHER = CONF_SVC_PARAMS | CONF_SVC_ADDRESS | CONF_SVC_MAINTENANCE,
};

struct conf_diff_entry {
	enum conf_change change;
	size_t other; /* index of the same-named entry in the other config, or SIZE_MAX */
	unsigned what; /* services only, CHANGED only: CONF_SVC_* bits; else 0 */
};

/* Result of conf_diff(); the four arrays are owned (conf_diff_clear). */
struct conf_diff {
	bool restart_all;    /* router-id or local-as changed: every session restarts */
	bool control_socket; /* control-socket, its mode or group changed */
	bool metrics;        /* metrics-listen changed */
	bool account;        /* user or group changed (needs a restart) */
	struct conf_diff_entry *old_peers;    /* one per old peer: REMOVED, CHANGED or UNCHANGED */
	struct conf_diff_entry *new_peers;    /* one per new peer: ADDED, CHANGED or UNCHANGED */
	struct conf_diff_entry *old_services; /* likewise for services */
	struct conf_diff_entry *new_services;
	size_t peers_added, peers_removed, peers_changed, peers_unchanged;
	size_t services_added, services_removed, services_changed, services_unchanged;
};

/* Compares the running config old with the freshly parsed new one.
 * A peer present in both is CHANGED when any of its settings differs (all
 * of them shape the session: transport, OPEN, or the NEXT_HOP it is sent)
 * or when restart_all is set; the daemon re-establishes such sessions and
 * keeps UNCHANGED ones up.  A service present in both is CHANGED when any
 * of its settings differs; `what` says which: only CONF_SVC_PREFIXES means
 * announcing and withdrawing the difference is enough (order does not
 * matter: both are sorted); CONF_SVC_CHECKS means the daemon restarts the
 * service's checks (rise again); CONF_SVC_ATTRS a re-announcement with the
 * new attributes.  Returns 0, or -1 if out of memory (d is then cleared).
 * Free with conf_diff_clear(). */
int conf_diff(const struct conf *old, const struct conf *new, struct conf_diff *d);

/* Frees the arrays of d and zeroes it; safe on a zeroed or cleared d. */
void conf_diff_clear(struct conf_diff *d);

/* Short name of a change for logs: "unchanged", "added", "removed", "changed". */
const char *conf_change_name(enum conf_change c);

#endif
