/* Control socket: listening, connections, line framing.  The answers are
 * control_cmd.c's. */
#include <errno.h>
#include <event2/buffer.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "daemon/control.h"
#include "lib/log.h"

struct client {
	struct control *ctl;
	struct client *next;
	int fd;
	struct event *ev_read, *ev_write;
	struct evbuffer *in, *out;
	bool closing; /* close once out is written */
};

struct control {
	struct daemon *d;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd;
	ino_t ino; /* of our socket file */
	struct event *ev;
	struct client *clients;
	size_t n_clients;
	bool readonly;
	bool made_dir; /* we created the socket's directory: its group follows the socket's */
};

static void client_free(struct client *c)
{
	struct control *ctl = c->ctl;
	for (struct client **pp = &ctl->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ctl->n_clients--;
	daemon_ev_free(&c->ev_read);
	daemon_ev_free(&c->ev_write);
	if (c->in)
		evbuffer_free(c->in);
	if (c->out)
		evbuffer_free(c->out);
	close(c->fd);
	free(c);
}

static void client_flush(struct client *c)
{
	while (evbuffer_get_length(c->out) > 0) {
		int n = evbuffer_write(c->out, c->fd);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			client_free(c); /* the client went away */
			return;
		}
	}
	if (evbuffer_get_length(c->out) > 0) {
		struct timeval tv = {CONTROL_IDLE_TIMEOUT_S, 0};
		event_add(c->ev_write, &tv);
		return;
	}
	event_del(c->ev_write);
	if (c->closing)
		client_free(c);
}

static void client_answer(struct client *c, char *resp)
{
	if (!resp)
		resp = ctl_response_error("internal", "out of memory");
	if (!resp) {
		client_free(c);
		return;
	}
	evbuffer_add(c->out, resp, strlen(resp));
	free(resp);
	client_flush(c);
}

/* Answers every complete line in the input; false if c was freed. */
static bool client_process(struct client *c)
{
	for (;;) {
		struct evbuffer_ptr eol = evbuffer_search_eol(c->in, NULL, NULL, EVBUFFER_EOL_LF);
		if (eol.pos < 0) {
			if (evbuffer_get_length(c->in) >= CTL_REQUEST_MAX) {
				c->closing = true;
				event_del(c->ev_read);
				client_answer(c, ctl_response_error("too-long", "request longer than %d bytes",
								    CTL_REQUEST_MAX));
				return false;
			}
			return true;
		}
		size_t len = (size_t)eol.pos;
		if (len + 1 > CTL_REQUEST_MAX) {
			c->closing = true;
			event_del(c->ev_read);
			client_answer(c, ctl_response_error("too-long", "request longer than %d bytes",
							    CTL_REQUEST_MAX));
			return false;
		}
		char line[CTL_REQUEST_MAX];
		evbuffer_remove(c->in, line, len + 1);
		struct control *ctl = c->ctl;
		size_t before = ctl->n_clients;
		char *resp = control_handle(ctl->d, line, len, ctl->readonly);
		if (ctl->n_clients != before) {
			free(resp); /* cannot happen today; never touch a freed client */
			return false;
		}
		client_answer(c, resp);
		/* client_answer may have freed c: look it up again */
		bool alive = false;
		for (struct client *k = ctl->clients; k; k = k->next)
			alive |= k == c;
		if (!alive)
			return false;
	}
}

static void on_client_read(evutil_socket_t fd, short what, void *arg)
{
	struct client *c = arg;
	if (what & EV_TIMEOUT) {
		client_free(c);
		return;
	}
	int n = evbuffer_read(c->in, fd, CTL_REQUEST_MAX);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_free(c);
		return;
	}
	client_process(c);
}

static void on_client_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	struct client *c = arg;
	if (what & EV_TIMEOUT) {
		client_free(c); /* the client stopped reading */
		return;
	}
	client_flush(c);
}

static void accept_one(struct control *ctl, int fd)
{
	if (ctl->n_clients >= CONTROL_MAX_CLIENTS) {
		char *r = ctl_response_error("busy", "too many control connections (%d)", CONTROL_MAX_CLIENTS);
		if (r && write(fd, r, strlen(r)) < 0) {
			/* best effort */
		}
		free(r);
		close(fd);
		return;
	}
	struct client *c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->fd = fd;
	c->next = ctl->clients;
	ctl->clients = c;
	ctl->n_clients++;
	c->in = evbuffer_new();
	c->out = evbuffer_new();
	c->ev_read = event_new(ctl->d->base, fd, EV_READ | EV_PERSIST, on_client_read, c);
	c->ev_write = event_new(ctl->d->base, fd, EV_WRITE | EV_PERSIST, on_client_write, c);
	if (!c->in || !c->out || !c->ev_read || !c->ev_write) {
		client_free(c);
		return;
	}
	struct timeval tv = {CONTROL_IDLE_TIMEOUT_S, 0};
	event_add(c->ev_read, &tv);
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	(void)what;
	/* A burst of clients is taken in one go, up to a bound so that BGP
	 * sessions and checks are never starved. */
	for (int i = 0; i < 64; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		accept_one(arg, fd);
	}
}

static int group_id(const char *group, gid_t *gid, char *why, size_t cap)
{
	*gid = (gid_t)-1;
	if (!group || !group[0])
		return 0;
	struct group *g = getgrnam(group);
	if (!g) {
		snprintf(why, cap, "control-socket-group: no group named '%s'", group);
		return -1;
	}
	*gid = g->gr_gid;
	return 0;
}

void control_chown(struct control *c, uid_t uid)
{
	if (!c)
		return;
	if (chown(c->path, uid, (gid_t)-1) < 0)
		log_warn("control", "cannot hand the control socket to the daemon's user", "path=%s error=\"%s\"",
			 c->path, strerror(errno));
	if (c->made_dir) {
		char dir[sizeof c->path];
		snprintf(dir, sizeof dir, "%s", c->path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			if (chown(dir, uid, (gid_t)-1) < 0)
				log_warn("control", "cannot hand the control socket's directory to the daemon's user",
					 "path=%s error=\"%s\"", dir, strerror(errno));
		}
	}
}

/* mkdir -p for the socket's directory; the last level gets mode and gid. */
static int make_parent(const char *path, mode_t mode, gid_t gid, bool *made, char *why, size_t cap)
{
	*made = false;
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			bool last = c == '\0';
			if (mkdir(dir, last ? mode : 0755) == 0) {
				*made |= last;
				/* mkdir obeys the umask: set the mode for sure */
				if (last && ((gid != (gid_t)-1 && chown(dir, (uid_t)-1, gid) < 0) || chmod(dir, mode) < 0)) {
					snprintf(why, cap, "cannot set up %s: %s", dir, strerror(errno));
					return -1;
				}
			} else if (errno != EEXIST) {
				snprintf(why, cap, "cannot create %s: %s", dir, strerror(errno));
				return -1;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

/* A socket already at path: live (another daemon) is an error; stale
 * (nobody listening) is removed. */
static int clear_stale(const struct sockaddr_un *sa, char *why, size_t cap)
{
	struct stat st;
	if (lstat(sa->sun_path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, cap, "%s exists and is not a socket", sa->sun_path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, cap, "socket: %s", strerror(errno));
		return -1;
	}
	int rc = connect(fd, (const struct sockaddr *)sa, sizeof *sa);
	int err = errno;
	close(fd);
	if (rc == 0) {
		snprintf(why, cap, "%s is in use: is another anycastd running?", sa->sun_path);
		return -1;
	}
	if (err != ECONNREFUSED && err != ENOENT) {
		snprintf(why, cap, "%s: %s", sa->sun_path, strerror(err));
		return -1;
	}
	unlink(sa->sun_path);
	return 0;
}

static struct control *open_socket(struct daemon *d, const char *path, unsigned mode, const char *group,
				   mode_t dir_mode, char *why, size_t cap)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(why, cap, "control socket path too long");
		return NULL;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	gid_t gid;
	if (group_id(group, &gid, why, cap) < 0)
		return NULL;
	bool made_dir;
	if (make_parent(path, dir_mode, gid, &made_dir, why, cap) < 0 || clear_stale(&sa, why, cap) < 0)
		return NULL;
	struct control *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	c->d = d;
	c->made_dir = made_dir;
	snprintf(c->path, sizeof c->path, "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* Created with no access for anyone, then opened up to exactly mode:
	 * no window in which the socket is wider open than configured. */
	mode_t old = umask(0777);
	int rc = c->fd < 0 ? -1 : bind(c->fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc < 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0) || chmod(path, mode) < 0 ||
	    listen(c->fd, 64) < 0) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		if (rc == 0)
			unlink(path);
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return NULL;
	}
	struct stat st;
	if (stat(path, &st) == 0)
		c->ino = st.st_ino;
	c->ev = event_new(d->base, c->fd, EV_READ | EV_PERSIST, on_accept, c);
	if (!c->ev) {
		snprintf(why, cap, "out of memory");
		control_close(c);
		return NULL;
	}
	event_add(c->ev, NULL);
	return c;
}

struct control *control_open(struct daemon *d, const char *path, unsigned mode, const char *group, char *why,
			     size_t cap)
{
	return open_socket(d, path, mode, group, 0750, why, cap);
}

struct control *control_open_readonly(struct daemon *d, const char *path, char *why, size_t cap)
{
	struct control *c = open_socket(d, path, 0666, NULL, 0755, why, cap);
	if (c)
		c->readonly = true;
	return c;
}

bool control_same_path(const struct control *c, const char *path) { return !strcmp(c->path, path); }

int control_set_access(struct control *c, unsigned mode, const char *group, char *why, size_t cap)
{
	gid_t gid;
	if (group_id(group, &gid, why, cap) < 0)
		return -1;
	if (gid == (gid_t)-1)
		gid = getegid(); /* back to ours when the group is no longer set */
	if (chown(c->path, (uid_t)-1, gid) < 0 || chmod(c->path, mode) < 0) {
		snprintf(why, cap, "%s: %s", c->path, strerror(errno));
		return -1;
	}
	if (c->made_dir) {
		char dir[sizeof c->path];
		snprintf(dir, sizeof dir, "%s", c->path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (chown(dir, (uid_t)-1, gid) < 0) {
				snprintf(why, cap, "%s: %s", dir, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

void control_close(struct control *c)
{
	if (!c)
		return;
	while (c->clients)
		client_free(c->clients);
	daemon_ev_free(&c->ev);
	close(c->fd);
	/* Only our own socket: a later daemon may have replaced it. */
	struct stat st;
	if (lstat(c->path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == c->ino)
		unlink(c->path);
	free(c);
}
