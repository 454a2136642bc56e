/* Control protocol codec: see ctl.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "lib/log.h"

const struct ctl_command_info ctl_commands[CTL_N_COMMANDS] = {
	[CTL_STATUS] = {"status", 0, "peers, services and what is announced where"},
	[CTL_PEERS] = {"peers", 0, "BGP sessions"},
	[CTL_SERVICES] = {"services", 0, "services and their checks, with last results"},
	[CTL_EVENTS] = {"events", CTL_ARG_COUNT, "recent service transitions with causes"},
	[CTL_DRAIN] = {"drain", CTL_ARG_SERVICE | CTL_ARG_ALL | CTL_MUTATES,
		       "announce with GRACEFUL_SHUTDOWN for drain-time, then withdraw"},
	[CTL_UNDRAIN] = {"undrain", CTL_ARG_SERVICE | CTL_ARG_ALL | CTL_MUTATES,
			 "end a drain: back through rise"},
	[CTL_DISABLE] = {"disable", CTL_ARG_SERVICE | CTL_ARG_ALL | CTL_MUTATES,
			 "drain, then keep withdrawn until enabled"},
	[CTL_ENABLE] = {"enable", CTL_ARG_SERVICE | CTL_ARG_ALL | CTL_MUTATES,
			"end a disable: back through rise"},
	[CTL_CHECK] = {"check", CTL_ARG_SERVICE, "run the service's checks now"},
	[CTL_RELOAD] = {"reload", CTL_ARG_FORCE | CTL_MUTATES, "reread the configuration file"},
	[CTL_LOG_LEVEL] = {"log-level", CTL_ARG_LEVEL, "show or set the log level"},
	[CTL_VERSION] = {"version", 0, "daemon version and protocol"},
};

int ctl_command_lookup(const char *name)
{
	for (int i = 0; i < CTL_N_COMMANDS; i++)
		if (!strcmp(ctl_commands[i].name, name))
			return i;
	return -1;
}

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
	if (cap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, cap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Names in error messages are echoed back: printable ASCII only, cut. */
static void clean(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++)
		out[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	out[o] = '\0';
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= CTL_SERVICE_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

static int parse_args(json_t *o, struct ctl_request *r, unsigned args, char *err, size_t cap)
{
	const char *key;
	json_t *v;
	char q[80];
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "command") || !strcmp(key, "version"))
			continue;
		if (!strcmp(key, "service") && (args & CTL_ARG_SERVICE)) {
			if (!json_is_string(v) || !name_ok(json_string_value(v)))
				return fail(err, cap, "\"service\" must be a service name");
			snprintf(r->service, sizeof r->service, "%s", json_string_value(v));
		} else if (!strcmp(key, "all") && (args & CTL_ARG_ALL)) {
			if (!json_is_boolean(v))
				return fail(err, cap, "\"all\" must be true or false");
			r->all = json_is_true(v);
		} else if (!strcmp(key, "force") && (args & CTL_ARG_FORCE)) {
			if (!json_is_boolean(v))
				return fail(err, cap, "\"force\" must be true or false");
			r->force = json_is_true(v);
		} else if (!strcmp(key, "count") && (args & CTL_ARG_COUNT)) {
			json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
			if (n < 1 || n > CTL_EVENTS_MAX)
				return fail(err, cap, "\"count\" must be a number from 1 to %d", CTL_EVENTS_MAX);
			r->count = (unsigned)n;
		} else if (!strcmp(key, "level") && (args & CTL_ARG_LEVEL)) {
			int l = json_is_string(v) ? log_level_parse(json_string_value(v)) : -1;
			if (l < 0)
				return fail(err, cap, "\"level\" must be debug, info, warn or error");
			r->level = l;
		} else {
			clean(key, q, sizeof q);
			return fail(err, cap, "unknown argument \"%s\" for %s", q, ctl_commands[r->cmd].name);
		}
	}
	if ((args & CTL_ARG_SERVICE) && !r->all && !r->service[0])
		return fail(err, cap, "%s needs \"service\"%s", ctl_commands[r->cmd].name,
			    args & CTL_ARG_ALL ? " or \"all\": true" : "");
	if (r->all && r->service[0])
		return fail(err, cap, "give \"service\" or \"all\", not both");
	return 0;
}

int ctl_request_parse(const char *text, size_t len, struct ctl_request *out, char *err, size_t errcap)
{
	json_error_t je;
	char q[80];
	*out = (struct ctl_request){.count = CTL_EVENTS_DEFAULT, .level = -1};
	if (len > CTL_REQUEST_MAX)
		return fail(err, errcap, "request longer than %d bytes", CTL_REQUEST_MAX);
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fail(err, errcap, "not JSON: %s (column %d)", je.text, je.column);
	int rc = -1;
	if (!json_is_object(o)) {
		fail(err, errcap, "the request must be a JSON object");
		goto out;
	}
	json_t *c = json_object_get(o, "command"), *ver = json_object_get(o, "version");
	if (!json_is_string(c)) {
		fail(err, errcap, "\"command\" (a string) is missing");
		goto out;
	}
	if (ver && (!json_is_integer(ver) || json_integer_value(ver) != CTL_PROTOCOL_VERSION)) {
		fail(err, errcap, "unsupported protocol version (this daemon speaks %d)", CTL_PROTOCOL_VERSION);
		goto out;
	}
	int cmd = ctl_command_lookup(json_string_value(c));
	if (cmd < 0) {
		clean(json_string_value(c), q, sizeof q);
		fail(err, errcap, "unknown command \"%s\"", q);
		goto out;
	}
	out->cmd = (enum ctl_command)cmd;
	rc = parse_args(o, out, ctl_commands[cmd].args, err, errcap);
out:
	json_decref(o);
	return rc;
}

/* One compact JSON line with its newline, from o (consumed). */
static char *line_of(json_t *o)
{
	if (!o)
		return NULL;
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(9));
	json_decref(o);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *l = realloc(s, n + 2);
	if (!l) {
		free(s);
		return NULL;
	}
	l[n] = '\n';
	l[n + 1] = '\0';
	return l;
}

char *ctl_request_encode(const struct ctl_request *r)
{
	if ((unsigned)r->cmd >= CTL_N_COMMANDS)
		return NULL;
	unsigned a = ctl_commands[r->cmd].args;
	json_t *o = json_pack("{s:s,s:i}", "command", ctl_commands[r->cmd].name, "version", CTL_PROTOCOL_VERSION);
	if (!o)
		return NULL;
	if ((a & CTL_ARG_SERVICE) && r->service[0])
		json_object_set_new(o, "service", json_string(r->service));
	if ((a & CTL_ARG_ALL) && r->all)
		json_object_set_new(o, "all", json_true());
	if ((a & CTL_ARG_FORCE) && r->force)
		json_object_set_new(o, "force", json_true());
	if (a & CTL_ARG_COUNT)
		json_object_set_new(o, "count", json_integer(r->count));
	if ((a & CTL_ARG_LEVEL) && r->level >= 0)
		json_object_set_new(o, "level", json_string(log_level_name(r->level)));
	return line_of(o);
}

char *ctl_response_ok(json_t *data)
{
	json_t *o = json_object();
	if (!o) {
		json_decref(data);
		return NULL;
	}
	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "data", data ? data : json_object());
	return line_of(o);
}

char *ctl_response_error(const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return line_of(json_pack("{s:b,s:s,s:s}", "ok", 0, "error", msg, "code", code));
}

int ctl_response_parse(const char *text, size_t len, json_t **data, char *err, size_t errcap, char *code,
		       size_t codecap)
{
	json_error_t je;
	*data = NULL;
	if (codecap)
		code[0] = '\0';
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fail(err, errcap, "the daemon's answer is not JSON: %s", je.text);
	int rc = -1;
	json_t *ok = json_object_get(o, "ok");
	if (!json_is_object(o) || !json_is_boolean(ok)) {
		fail(err, errcap, "the daemon's answer has no \"ok\"");
	} else if (json_is_true(ok)) {
		json_t *d = json_object_get(o, "data");
		if (!json_is_object(d)) {
			fail(err, errcap, "the daemon's answer has no \"data\" object");
		} else {
			*data = json_incref(d);
			rc = 1;
		}
	} else {
		json_t *e = json_object_get(o, "error"), *c = json_object_get(o, "code");
		if (errcap)
			snprintf(err, errcap, "%s", json_is_string(e) ? json_string_value(e) : "(no reason given)");
		if (codecap)
			snprintf(code, codecap, "%s", json_is_string(c) ? json_string_value(c) : "");
		rc = 0;
	}
	json_decref(o);
	return rc;
}
