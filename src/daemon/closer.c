/* Lingering close: see closer.h. */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/closer.h"
#include "daemon/daemon.h"

struct lingering {
	struct lingering *next;
	int fd;
	monotime_t deadline;
	struct event *ev;
};

static struct lingering *head;
static size_t count;
static void (*idle_cb)(void *);
static void *idle_arg;

static void finish(struct lingering *l)
{
	for (struct lingering **pp = &head; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	daemon_ev_free(&l->ev);
	close(l->fd);
	free(l);
	if (--count == 0 && idle_cb)
		idle_cb(idle_arg);
}

static void on_event(evutil_socket_t fd, short what, void *arg)
{
	struct lingering *l = arg;
	uint8_t junk[16384];
	if (what & EV_READ) {
		for (int i = 0; i < 64; i++) {
			ssize_t n = read(fd, junk, sizeof junk);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				finish(l); /* the peer closed too (or reset): done */
				return;
			}
			if (n < 0)
				break;
		}
	}
	if (daemon_now() >= l->deadline) {
		finish(l);
		return;
	}
	daemon_ev_at(l->ev, l->deadline);
}

void closer_add(struct event_base *base, int fd)
{
	struct lingering *l = calloc(1, sizeof *l);
	if (l)
		l->ev = event_new(base, fd, EV_READ, on_event, l);
	if (!l || !l->ev) {
		free(l);
		close(fd);
		return;
	}
	shutdown(fd, SHUT_WR);
	l->fd = fd;
	l->deadline = daemon_now() + CLOSER_WAIT;
	l->next = head;
	head = l;
	count++;
	daemon_ev_at(l->ev, l->deadline);
}

size_t closer_pending(void) { return count; }

void closer_on_idle(void (*cb)(void *arg), void *arg)
{
	idle_cb = cb;
	idle_arg = arg;
}

void closer_flush(void)
{
	void (*cb)(void *) = idle_cb;
	idle_cb = NULL;
	while (head)
		finish(head);
	idle_cb = cb;
}
