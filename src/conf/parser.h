/* Inside conf/: the strict YAML walker the key tables run on.  Not for use
 * outside src/conf/.
 *
 * libyaml's event parser feeds a recursive descent that follows the schema:
 * a mapping is walked against a table of keys (name, handler, required),
 * with one `struct conf_seen` per key recording where it was seen; a list
 * calls an item handler per element.  Every handler consumes exactly the
 * events of its value.  The first error wins: it is recorded with its mark
 * and the path of the value ("peers[0].hold-time") and -1 travels up. */
#ifndef ANYCASTD_CONF_PARSER_H
#define ANYCASTD_CONF_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "conf/conf.h"
#include "lib/addr.h"

#define CONF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct conf_mark {
	unsigned line; /* 1-based; 0 = none */
	unsigned col;
};

/* Where a key of a mapping was seen (line 0: not seen). */
struct conf_seen {
	struct conf_mark key;
	struct conf_mark value;
};

struct conf_parser;

/* Consumes the value that starts with event v (owned by the caller) and
 * stores it into obj.  Returns 0 or -1 (error recorded). */
typedef int (*conf_value_fn)(struct conf_parser *p, const yaml_event_t *v, void *obj);
/* Like conf_value_fn for the index-th element of a list. */
typedef int (*conf_item_fn)(struct conf_parser *p, const yaml_event_t *v, size_t index,
			    void *obj);

struct conf_key {
	const char *name;
	conf_value_fn fn;
	bool required;
};

/* Where each peer's and prefix's values were, for checks made after the
 * whole document is read (and for "first at line N" messages). */
struct conf_peer_marks {
	struct conf_mark name, address, multihop;
};

/* Where each check of the service being read was named (its name value,
 * or the start of its mapping when it has no name). */
struct conf_check_mark {
	struct conf_mark at;
};

struct conf_prefix_ref {
	struct prefix prefix;
	uint32_t service; /* index in conf->services */
	uint32_t index;   /* index in the service's list as written */
	struct conf_mark at;
};

struct conf_parser {
	yaml_parser_t yaml;
	const char *text;
	size_t len;
	struct conf_error *err; /* never NULL inside */
	bool failed;
	char path[160]; /* e.g. "peers[3].next-hop" */
	size_t path_len;
	struct conf *conf; /* being built */
	size_t cap_peers, cap_services;
	struct conf_peer_marks *peer_marks;     /* one per conf->peers */
	struct conf_mark *service_marks;        /* name of each service */
	struct conf_prefix_ref *prefixes;       /* every prefix, in file order */
	size_t n_prefixes, cap_prefixes;
	/* of the service being read */
	size_t cap_service_prefixes, cap_checks, cap_check_marks;
	struct conf_check_mark *check_marks; /* one per service->checks */
	struct conf_mark readonly_mark;      /* control-socket-readonly's value */
};

/* Records the error at m as "PATH: REASON" (just REASON at the top level)
 * unless one is recorded already.  Returns -1. */
int conf_fail(struct conf_parser *p, struct conf_mark m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same without the path. */
int conf_fail_nopath(struct conf_parser *p, struct conf_mark m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Pulls the next event into *ev (the caller deletes it) and refuses
 * aliases, anchors and tags.  Returns 0, or -1 with the error recorded and
 * nothing to delete. */
int conf_next(struct conf_parser *p, yaml_event_t *ev);

static inline struct conf_mark conf_mark_of(const yaml_event_t *ev)
{
	return (struct conf_mark){(unsigned)ev->start_mark.line + 1,
				  (unsigned)ev->start_mark.column + 1};
}

/* Appends ".name" (or "name" at the top) / "[index]" to the error path;
 * conf_path_pop() restores the length returned. */
size_t conf_path_key(struct conf_parser *p, const char *name);
size_t conf_path_index(struct conf_parser *p, size_t index);
static inline void conf_path_pop(struct conf_parser *p, size_t len)
{
	p->path_len = len;
	p->path[len] = '\0';
}

/* Describes what ev is, for "expected X, got Y": "a mapping", "a list",
 * "an empty value" or the scalar quoted and shortened. */
void conf_describe(const yaml_event_t *ev, char *out, size_t cap);
/* Quotes s[0..len) for a message: printable ASCII kept, the rest as \xNN,
 * cut after about 40 characters. */
void conf_quote(const char *s, size_t len, char *out, size_t cap);

/* Records "expected WHAT, got ..." at ev.  Returns -1. */
int conf_want(struct conf_parser *p, const yaml_event_t *ev, const char *what);

/* True for an empty plain scalar or a plain ~ / null / Null / NULL. */
bool conf_is_null(const yaml_event_t *ev);

/* Typed scalars.  Each returns 0 and stores the value, or -1 with an
 * error naming what was expected. */
/* A non-empty string without NUL characters (borrowed from ev). */
int conf_string(struct conf_parser *p, const yaml_event_t *ev, const char *what, const char **s);
/* A plain decimal number without sign or leading zeros, in min..max. */
int conf_uint(struct conf_parser *p, const yaml_event_t *ev, uint64_t min, uint64_t max,
	      uint64_t *v);
/* Plain true or false. */
int conf_bool(struct conf_parser *p, const yaml_event_t *ev, bool *v);
/* An address of the given family (ADDR_NONE: either), not unspecified and
 * not multicast. */
int conf_address(struct conf_parser *p, const yaml_event_t *ev, uint8_t family, struct addr *a);
/* An AS number 1..4294967295 other than AS_TRANS. */
int conf_asn(struct conf_parser *p, const yaml_event_t *ev, uint32_t *as);
/* A duration (conf_duration_parse) in milliseconds. */
int conf_duration(struct conf_parser *p, const yaml_event_t *ev, int64_t *ms);
/* A name: 1..CONF_NAME_MAX of [A-Za-z0-9_.-], copied into out. */
int conf_name(struct conf_parser *p, const yaml_event_t *ev, char out[CONF_NAME_MAX + 1]);

/* A string of 1..max bytes (conf_string), copied into out[max + 1]; what
 * names it in messages ("a URL"). */
int conf_string_copy(struct conf_parser *p, const yaml_event_t *ev, const char *what, size_t max,
		     char *out);
/* An absolute path of at most max bytes, copied into out[max + 1]. */
int conf_abs_path(struct conf_parser *p, const yaml_event_t *ev, size_t max, char *out);

/* Grows *arr (of *cap elements of size sz) to hold at least n+1, zeroing
 * the new room.  Returns 0 or -1 (out of memory, recorded at ev). */
int conf_grow(struct conf_parser *p, const yaml_event_t *ev, void **arr, size_t *cap, size_t n,
	      size_t sz);
/* Records msg as the error at m for the key named below the current path.
 * Returns -1. */
int conf_fail_key(struct conf_parser *p, const char *key, struct conf_mark m, const char *msg);
/* a before b in the text. */
bool conf_mark_before(struct conf_mark a, struct conf_mark b);

/* Walks the mapping that starts with ev against keys[0..n), filling
 * seen[0..n) and calling each key's handler with obj; then checks that the
 * required keys were there.  Unknown keys are refused with a suggestion
 * when one is close; duplicate keys are refused. */
int conf_map(struct conf_parser *p, const yaml_event_t *ev, const struct conf_key *keys,
	     size_t n, struct conf_seen *seen, void *obj);
/* Walks the list that starts with ev, calling item for each element. */
int conf_list(struct conf_parser *p, const yaml_event_t *ev, conf_item_fn item, void *obj);

/* Records the error of libyaml parser y (syntax, encoding, memory).
 * Returns -1. */
int conf_yaml_fail(struct conf_parser *p, const yaml_parser_t *y);

#endif
