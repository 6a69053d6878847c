/* The cluster heartbeat engine (spec clustering.md §4.2-4.5, §6.2): one thread per daemon sends a
 * heartbeat on every cluster link each keepalive-interval (and at once when the local state
 * changes), receives and authenticates the peer's, keeps per-link and peer liveness, and pings the
 * monitor hosts. A stalled JavaScript event loop can neither delay a heartbeat nor make a live peer
 * look dead. The engine decides nothing about resources: it reports what it knows (a status
 * snapshot, and a notification whenever something in it changed) and carries the state the
 * daemon gives it. */
#ifndef TANDEM_CLUSTER_ENGINE_H
#define TANDEM_CLUSTER_ENGINE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster_msg.h"
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CLE_MAX_LINKS 8
#define CLE_MAX_MONITORS 32
#define CLE_KEY_MAX 128

struct cle_config {
	char node[CHB_NODE_MAX + 1];  /* this router's host name */
	char peer[CHB_NODE_MAX + 1];  /* the other configured node */
	char group[CHB_GROUP_MAX + 1];
	uint8_t role;                 /* enum chb_role */
	char links[CLE_MAX_LINKS][16];
	int n_links;
	struct in_addr mcast;
	uint16_t port;
	uint32_t keepalive_ms, dead_ms, monitor_dead_ms, init_dead_ms;
	uint8_t key[CLE_KEY_MAX];
	size_t key_len;
	struct in_addr monitors[CLE_MAX_MONITORS];
	int n_monitors;
	uint8_t digest[16];           /* of the group configuration (CL-14) */
	uint64_t generation;          /* persisted by the daemon, larger at every engine start */
	int skip_init;                /* resume as holder (CL-5): no start-up wait */
};

enum cle_monitor_state { CLE_MON_UNKNOWN = 0, CLE_MON_REACHABLE = 1, CLE_MON_UNREACHABLE = 2 };

struct cle_link_status {
	int up;              /* a valid heartbeat arrived on it within dead-interval */
	int64_t last_rx_ms;  /* monotonic ms of the last one, 0 when none */
	uint64_t late;       /* late heartbeats on this link (CL-22) */
	int socket_error;    /* errno of the last failure to open or send, 0 when fine */
};

struct cle_monitor_status {
	uint8_t state;       /* enum cle_monitor_state */
	int64_t last_reply_ms;
	uint32_t rtt_us;
};

struct cle_counters {
	uint64_t sent, received, auth_failures, malformed, replays, late, foreign;
};

struct cle_status {
	int64_t now_ms;           /* monotonic, the base of every *_ms field */
	int64_t started_ms;
	bool realtime;             /* the thread runs SCHED_FIFO (tdm_thread.h) */
	int in_init;              /* start-up wait (CL-30) */
	int left_init_alone;      /* the wait ended without hearing the peer */
	uint8_t local_state;      /* what this node announces (enum chb_state) */
	uint16_t local_flags;
	int peer_heard;           /* a valid heartbeat was ever accepted from the peer */
	int peer_alive;           /* some link is up */
	int64_t peer_last_ms;
	struct chb_msg peer;      /* the peer's last accepted heartbeat */
	int n_links;
	struct cle_link_status links[CLE_MAX_LINKS];
	int n_monitors;
	struct cle_monitor_status monitors[CLE_MAX_MONITORS];
	uint16_t monitors_reachable; /* Unknown counts as reachable (CL-42) */
	struct cle_counters counters;
};

typedef void (*cle_notify_fn)(void *ctx);

struct cle_engine;

/* Starts the thread; notify (from the engine thread, never blocking) tells that the status changed
 * in a way that matters: liveness, the peer's state or counts, a monitor, the end of init. */
struct cle_engine *cle_start(const struct cle_config *c, cle_notify_fn notify, void *ctx, struct tdm_err *err);

/* Applies a new configuration in place (CL-3): links are reopened, liveness and monitor history of
 * what stays is kept; generation and sequence go on. */
int cle_reconfigure(struct cle_engine *e, const struct cle_config *c, struct tdm_err *err);

/* What this node announces from now on; a change is sent at once (at most 10 per second). */
void cle_set_local(struct cle_engine *e, uint8_t state, uint16_t flags);

void cle_status(struct cle_engine *e, struct cle_status *out);

/* Sends one last heartbeat with the current local state, then stops the thread and frees e. */
void cle_stop(struct cle_engine *e);

#ifdef __cplusplus
}
#endif

#endif
