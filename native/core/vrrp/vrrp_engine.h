/* The VRRP engine: one thread per daemon that owns the groups' sockets, timers and state machines
 * and makes every transition happen (adverts, VIPs, announcements) without waiting for JavaScript.
 * The binding configures it and reads its status under the engine lock; the engine reports
 * transitions and log lines through a callback that must not block (a thread-safe function). */
#ifndef TANDEM_VRRP_ENGINE_H
#define TANDEM_VRRP_ENGINE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include "tdm_err.h"
#include "vrrp_fsm.h"
#include "vrrp_packet.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VRRP_ENGINE_MAX_GROUPS 1024
#define VRRP_ENGINE_MAX_TRACK 8
#define VRRP_SYNC_NAME_MAX 33

enum vrrp_v3_csum_mode { VRRP_V3_CSUM_AUTO, VRRP_V3_CSUM_RFC9568, VRRP_V3_CSUM_PSEUDO };

struct vrrp_track_config {
	char ifname[IF_NAMESIZE];
	int32_t weight; /* 0: FAULT while down; > 0 increment while up; < 0 decrement while down */
};

/* One group as the daemon configures it (TypeScript resolves names and the primary address). */
struct vrrp_group_config {
	char parent[IF_NAMESIZE];
	char vrrp_ifname[IF_NAMESIZE]; /* RFC 3768 mode: the VRRP interface; "" = legacy mode */
	struct vrrp_fsm_config fsm; /* vrid, version, family, priority, interval, preempt…, primary */
	bool has_primary; /* false: no source address, the group is in FAULT */
	uint8_t auth_type; /* enum vrrp_auth */
	uint8_t password[VRRP_PASSWORD_LEN];
	uint8_t vip_count;
	struct vrrp_ip vips[VRRP_MAX_VIPS];
	uint8_t vip_prefix[VRRP_MAX_VIPS]; /* prefix length to install (32/128 when none configured) */
	uint8_t v3_csum; /* enum vrrp_v3_csum_mode */
	char sync_group[VRRP_SYNC_NAME_MAX]; /* "" = none */
	uint8_t track_count;
	struct vrrp_track_config track[VRRP_ENGINE_MAX_TRACK];
};

/* Per-interface receive counters (§3.6 interface block). */
struct vrrp_iface_counters {
	uint64_t unknown_vrid, bad_destination, malformed;
};

/* A snapshot of one group for show (copied under the engine lock). */
struct vrrp_group_status {
	char parent[IF_NAMESIZE];
	uint8_t vrid;
	struct vrrp_fsm fsm; /* state, priorities, master, timers, FSM counters */
	uint64_t drops[VRRP_RX_VERDICT_COUNT]; /* codec counters by verdict */
	uint64_t last_transition_unix_ms;
	bool link_up;
	uint8_t csum_form; /* what a v3 IPv4 group sends now */
	bool track_up[VRRP_ENGINE_MAX_TRACK];
	struct vrrp_iface_counters iface;
	char sync_group[VRRP_SYNC_NAME_MAX];
	uint8_t sync_state; /* enum vrrp_state of the sync group */
};

enum vrrp_event_type { VRRP_EV_STATE, VRRP_EV_SYNC_STATE, VRRP_EV_LOG };

struct vrrp_event {
	uint8_t type; /* enum vrrp_event_type */
	uint8_t level; /* LOG: 30 info, 40 warn, 50 error (pino levels) */
	char parent[IF_NAMESIZE];
	uint8_t vrid;
	char sync_group[VRRP_SYNC_NAME_MAX];
	struct vrrp_state_change change; /* STATE (and SYNC_STATE: from/to) */
	uint64_t unix_ms;
	char text[256]; /* LOG: the message (§4.13) */
};

typedef void (*vrrp_event_fn)(void *ctx, const struct vrrp_event *ev);

struct vrrp_engine;

/* Starts the engine thread. state_dir (may be NULL) holds one state record per group, so a
 * restarted daemon resumes MASTER without a failover (V-5). events is called from the engine
 * thread (and, during configure, from the caller's): it must only queue. */
struct vrrp_engine *vrrp_engine_start(const char *state_dir, vrrp_event_fn events, void *ctx,
				      struct tdm_err *err);

/* Makes the running groups match `groups`: new ones start (start delay on the engine's first
 * configure), changed ones reconfigure in place or restart (§4.11), missing ones stop (MASTERs
 * release). Returns 0 or the first error (the other groups are still applied). */
int vrrp_engine_configure(struct vrrp_engine *e, const struct vrrp_group_config *groups, size_t n,
			  struct tdm_err *err);

/* Copies up to cap group snapshots; returns how many groups there are. */
size_t vrrp_engine_status(struct vrrp_engine *e, struct vrrp_group_status *out, size_t cap);

/* `reset vrrp master interface <parent> group <vrid>`: 0, -ENOENT, -EINVAL (not MASTER), -EPERM (owner). */
int vrrp_engine_reset_master(struct vrrp_engine *e, const char *parent, uint8_t vrid);

/* Zeroes the counters of the groups on parent (NULL: all) with vrid (0: all) and of their
 * interfaces. Returns how many groups were reset. */
int vrrp_engine_reset_counters(struct vrrp_engine *e, const char *parent, uint8_t vrid);

/* Whether the engine thread got real-time scheduling (see tdm_thread.h). */
bool vrrp_engine_realtime(const struct vrrp_engine *e);

/* Stops every group (MASTERs release with priority 0 and remove their VIPs) and the thread. */
void vrrp_engine_stop(struct vrrp_engine *e);

/* `restart vrrp`: stops the thread but leaves the network as it is (VIPs, VRRP interfaces, fresh
 * state records), so a new engine given the same groups resumes every MASTER without a failover. */
void vrrp_engine_detach(struct vrrp_engine *e);

#ifdef __cplusplus
}
#endif

#endif
