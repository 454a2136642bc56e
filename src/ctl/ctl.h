/* The control protocol between anycastd and anycastctl.  Pure: text in,
 * values out (jansson for the JSON), no I/O.
 *
 * Transport: a Unix stream socket.  The client writes one request, a JSON
 * object on one line of at most CTL_REQUEST_MAX bytes (newline included),
 * and reads one response, a JSON object on one line.  Several requests may
 * follow on one connection.  docs/operations.md documents the fields.
 *
 *   {"command":"drain","service":"dns"}
 *   {"command":"drain","all":true}
 *   {"command":"events","count":20}
 *   {"command":"reload","force":true}
 *   {"command":"log-level","level":"debug"}
 *
 *   {"ok":true,"data":{...}}
 *   {"ok":false,"error":"unknown service 'x'","code":"unknown-service"}
 */
#ifndef ANYCASTD_CTL_CTL_H
#define ANYCASTD_CTL_CTL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CTL_REQUEST_MAX 4096
#define CTL_RESPONSE_MAX (64u << 20) /* what a client accepts */
#define CTL_PROTOCOL_VERSION 1
#define CTL_SERVICE_MAX 63
#define CTL_EVENTS_DEFAULT 20
#define CTL_EVENTS_MAX 256

enum ctl_command {
	CTL_STATUS,
	CTL_PEERS,
	CTL_SERVICES,
	CTL_EVENTS,
	CTL_DRAIN,
	CTL_UNDRAIN,
	CTL_DISABLE,
	CTL_ENABLE,
	CTL_CHECK,
	CTL_RELOAD,
	CTL_LOG_LEVEL,
	CTL_VERSION,
	CTL_N_COMMANDS
};

/* What a command takes. */
enum {
	CTL_ARG_SERVICE = 1 << 0, /* "service" (required unless CTL_ARG_ALL and "all") */
	CTL_ARG_ALL = 1 << 1,     /* "all": true instead of a service */
	CTL_ARG_COUNT = 1 << 2,   /* "count" (optional) */
	CTL_ARG_FORCE = 1 << 3,   /* "force" (optional) */
	CTL_ARG_LEVEL = 1 << 4,   /* "level" (optional: without it, the current level) */
	CTL_MUTATES = 1 << 8,     /* changes what is announced or the config */
};

struct ctl_command_info {
	const char *name;
	unsigned args;
	const char *help;
};

/* The command table, indexed by enum ctl_command. */
extern const struct ctl_command_info ctl_commands[CTL_N_COMMANDS];

/* Index of the command called name, or -1. */
int ctl_command_lookup(const char *name);

struct ctl_request {
	enum ctl_command cmd;
	char service[CTL_SERVICE_MAX + 1]; /* "" when not given */
	bool all;
	bool force;
	unsigned count; /* events: 1..CTL_EVENTS_MAX, default CTL_EVENTS_DEFAULT */
	int level;      /* log-level: enum log_level, or -1 for "tell me" */
};

/* Parses one request line text[0..len) (the newline may be absent).
 * Returns 0, or -1 with a one-line reason in err (never NULL when
 * errcap > 0): not JSON, not an object, unknown command, missing or wrong
 * argument, unknown key. */
int ctl_request_parse(const char *text, size_t len, struct ctl_request *out, char *err, size_t errcap);

/* The request as a JSON line with its newline; malloc'd, caller frees.
 * NULL when out of memory. */
char *ctl_request_encode(const struct ctl_request *r);

/* Responses.  Both take ownership of data (may be NULL: an empty object)
 * and return a malloc'd JSON line with its newline, or NULL when out of
 * memory. */
char *ctl_response_ok(json_t *data);
char *ctl_response_error(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a response line.  Returns 1 for ok (*data set to a new reference
 * to the "data" object, caller json_decref()s), 0 for an error response
 * (err holds its text, code its code), -1 when the text is not a valid
 * response (err says why). */
int ctl_response_parse(const char *text, size_t len, json_t **data, char *err, size_t errcap, char *code,
		       size_t codecap);

#endif
