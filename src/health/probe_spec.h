/* What a health check probes, as configured: plain values shared by the
 * configuration (which fills them) and the probes (which run them).  Pure
 * types, no I/O. */
#ifndef ANYCASTD_HEALTH_PROBE_SPEC_H
#define ANYCASTD_HEALTH_PROBE_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "health/check.h"
#include "lib/addr.h"

enum probe_type {
	PROBE_DNS = 1,
	PROBE_HTTP,   /* http:// and https:// */
	PROBE_TCP,
	PROBE_EXEC,
	PROBE_PROCESS,
};

#define PROBE_STR_MAX 256
#define PROBE_ARGV_MAX 32

struct probe_dns {
	struct addr server; /* default 127.0.0.1 */
	uint16_t port;      /* default 53 */
	char qname[PROBE_STR_MAX]; /* absolute, e.g. "example.com." */
	uint16_t qtype;     /* default A (1) */
	int expect_rcode;   /* default NOERROR (0); -1 accepts any answer */
};

struct probe_http {
	char url[PROBE_STR_MAX * 4];
	int expect_status;  /* default 200 */
	char expect_body[PROBE_STR_MAX]; /* substring; "" for none */
	char host[PROBE_STR_MAX];        /* Host header override; "" for none */
	bool verify_tls;    /* default true */
};

struct probe_tcp {
	struct addr addr;
	uint16_t port;
	char send[PROBE_STR_MAX];   /* "" for connect only */
	char expect[PROBE_STR_MAX]; /* substring of the first reply; "" for none */
};

struct probe_exec {
	/* argv[0..argc), each NUL-terminated, run without a shell */
	char *argv[PROBE_ARGV_MAX + 1]; /* owned by the configuration */
	unsigned argc;
	char user[64]; /* "" runs as the daemon's user */
};

struct probe_process {
	char pidfile[PROBE_STR_MAX]; /* one of the two */
	char unit[PROBE_STR_MAX];    /* systemd unit whose MainPID is watched */
};

struct probe_spec {
	enum probe_type type;
	char name[64]; /* for logs: "dns", "http", or configured */
	struct check_params params;
	/* It tests something the service depends on but this node does not
	 * own (an upstream, a backend): failing alone, it holds the service
	 * fail-static instead of withdrawing it (service/service.h). */
	bool dependency;
	union {
		struct probe_dns dns;
		struct probe_http http;
		struct probe_tcp tcp;
		struct probe_exec exec;
		struct probe_process process;
	} u;
};

#endif
