/* The BGP session state machine (RFC 4271 §8, RFC 9687 send hold timer),
 * pure: bgp_fsm_step(fsm, event, now) returns the actions for the glue to
 * carry out (connect, send, close, announce, ...) and keeps its timers as
 * deadlines.  No I/O, no clock: time comes in as `now`.
 *
 * One FSM per peer; it tracks the connection currently in use.  The glue
 * resolves connection collisions (bgp_fsm_collision_keep_incoming) and
 * hands the surviving connection to the FSM.
 */
#ifndef ANYCASTD_BGP_FSM_H
#define ANYCASTD_BGP_FSM_H

#include "bgp/bgp.h"
#include "lib/monotime.h"

enum bgp_state {
	BGP_ST_IDLE = 0,
	BGP_ST_CONNECT,     /* TCP connection attempt in progress */
	BGP_ST_ACTIVE,      /* waiting for the peer to connect (passive) */
	BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM,
	BGP_ST_ESTABLISHED,
};

enum bgp_fsm_event {
	BGP_EV_START,          /* administrative start */
	BGP_EV_STOP,           /* administrative stop: Cease, no restart */
	BGP_EV_TIMERS,         /* the earliest deadline may have passed */
	BGP_EV_TCP_UP,         /* a connection (ours or the peer's) is up */
	BGP_EV_TCP_FAIL,       /* connect failed, or the connection closed */
	BGP_EV_OPEN_OK,        /* peer's OPEN decoded and negotiated (set hold first) */
	BGP_EV_MSG_ERROR,      /* decode/negotiation error: fsm->notify holds it */
	BGP_EV_NOTIFICATION,   /* peer sent a NOTIFICATION */
	BGP_EV_KEEPALIVE,      /* KEEPALIVE received */
	BGP_EV_UPDATE,         /* UPDATE received */
	BGP_EV_ROUTE_REFRESH,  /* ROUTE-REFRESH request received */
	BGP_EV_OPEN,           /* an OPEN where none may come (second OPEN) */
	BGP_EV_SEND_BLOCKED,   /* output queue could not drain */
	BGP_EV_SEND_DRAINED,   /* output queue drained again */
	BGP_EV_COLLISION_DUMP, /* this connection lost collision resolution */
};

/* Actions, carried out by the glue in this order. */
enum {
	BGP_ACT_SEND_NOTIFICATION = 1 << 0, /* fsm->notify */
	BGP_ACT_CLOSE = 1 << 1,             /* close the connection (after flushing) */
	BGP_ACT_CONNECT = 1 << 2,           /* start a TCP connection attempt */
	BGP_ACT_SEND_OPEN = 1 << 3,
	BGP_ACT_SEND_KEEPALIVE = 1 << 4,
	BGP_ACT_ESTABLISHED = 1 << 5,       /* send every route, then End-of-RIB */
	BGP_ACT_DOWN = 1 << 6,              /* left Established: forget what was sent */
	BGP_ACT_RESEND = 1 << 7,            /* route refresh: send every route again */
};

struct bgp_fsm_config {
	bool passive;             /* never connect; wait for the peer */
	uint16_t hold_time;       /* offered in our OPEN, seconds (>= 3) */
	monotime_t connect_timeout;  /* an attempt not completed by then fails */
	monotime_t backoff_min;   /* first retry delay */
	monotime_t backoff_max;   /* cap of the exponential back-off */
	monotime_t send_hold;     /* RFC 9687: 0 = max(8 min, 2 x hold time) */
};

struct bgp_fsm {
	struct bgp_fsm_config cfg;
	enum bgp_state state;
	bool running;             /* started and not administratively stopped */
	uint16_t hold_time;       /* negotiated, seconds; 0 before OPEN_OK */
	monotime_t hold_deadline; /* 0 = not running */
	monotime_t keepalive_deadline;
	monotime_t connect_deadline;
	monotime_t retry_deadline;    /* Idle: when to try again */
	monotime_t send_hold_deadline;
	monotime_t established_at;
	unsigned failures;        /* consecutive, for the back-off */
	uint64_t rng;             /* jitter; seeded by the glue */
	struct bgp_error notify;  /* valid with BGP_ACT_SEND_NOTIFICATION */
	const char *reason;       /* why the last transition happened, for logs */
};

/* Initialises a stopped FSM.  seed feeds the back-off jitter. */
void bgp_fsm_init(struct bgp_fsm *f, const struct bgp_fsm_config *cfg, uint64_t seed);

/* Feeds one event; returns BGP_ACT_* bits.  For BGP_EV_OPEN_OK the glue sets
 * f->hold_time to the negotiated value first; for BGP_EV_MSG_ERROR it fills
 * f->notify. */
unsigned bgp_fsm_step(struct bgp_fsm *f, enum bgp_fsm_event ev, monotime_t now);

/* The earliest pending deadline, or 0 if none: call bgp_fsm_step with
 * BGP_EV_TIMERS at (or after) that time. */
monotime_t bgp_fsm_next_deadline(const struct bgp_fsm *f);

/* The delay before the next connection attempt after `failures`
 * consecutive failures: backoff_min doubling up to backoff_max, plus up to
 * 25 % jitter from *rng. */
monotime_t bgp_fsm_backoff(const struct bgp_fsm_config *cfg, unsigned failures, uint64_t *rng);

/* RFC 4271 §6.8: when both sides connected, keep the connection the peer
 * initiated if our BGP Identifier is the lower one. */
static inline bool bgp_fsm_collision_keep_incoming(uint32_t local_id, uint32_t remote_id)
{
	return local_id < remote_id;
}

const char *bgp_state_name(enum bgp_state s);

#endif
