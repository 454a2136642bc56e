/* sys/addr_watch against the real kernel: run inside a fresh network
 * namespace (tests/daemon/addr-watch does that). */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>

#include "sys/addr_watch.h"

static int changes;

static void on_change(void *arg)
{
	(void)arg;
	changes++;
}

static void run_loop(struct event_base *b)
{
	struct timeval tv = {0, 100000};
	event_base_loopexit(b, &tv);
	event_base_dispatch(b);
}

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                            \
		}                                                            \
	} while (0)

int main(void)
{
	struct event_base *b = event_base_new();
	struct addr_watch *w = addr_watch_new(b, on_change, NULL);
	struct prefix v4, v6, net;
	CHECK(w);
	prefix_parse("203.0.113.53/32", &v4);
	prefix_parse("2001:db8:53::53/128", &v6);
	prefix_parse("203.0.113.0/24", &net);
	CHECK(!addr_watch_present(w, "lo", &v4));
	CHECK(addr_watch_add(w, "lo", &v4) == 0);
	CHECK(addr_watch_add(w, "lo", &v4) == 0); /* already there: fine */
	CHECK(addr_watch_add(w, "lo", &v6) == 0);
	run_loop(b);
	CHECK(changes > 0);
	CHECK(addr_watch_present(w, "lo", &v4));
	CHECK(addr_watch_present(w, "lo", &v6));
	CHECK(addr_watch_present(w, "lo", &net)); /* a host address inside the prefix */
	CHECK(!addr_watch_present(w, "nonexistent0", &v4));
	int before = changes;
	CHECK(addr_watch_del(w, "lo", &v4) == 0);
	CHECK(addr_watch_del(w, "lo", &v4) == 0); /* already gone: fine */
	run_loop(b);
	CHECK(changes > before);
	CHECK(!addr_watch_present(w, "lo", &v4));
	CHECK(addr_watch_present(w, "lo", &v6));
	CHECK(addr_watch_add(w, "nonexistent0", &v4) < 0);
	addr_watch_free(w);
	event_base_free(b);
	printf("addr_watch: all passed\n");
	return 0;
}
