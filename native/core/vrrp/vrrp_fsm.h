/* The per-group VRRP state machine (spec §1.9-1.14, §4.1-4.4, 4.7, 4.11, 4.12): pure and
 * clock-injected. The engine feeds it events with the monotonic time in microseconds, executes
 * the actions it returns in order and calls vrrp_fsm_tick() at next_deadline_us. No I/O, no
 * allocation, no globals; every field is public so show/JSON can read it. */
#ifndef TANDEM_VRRP_FSM_H
#define TANDEM_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>
#include "vrrp_timers.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_DISABLED,
};

/* Why a transition happened; vrrp_reason_name() gives the event-bus token of §4.14. */
enum vrrp_reason {
	VRRP_REASON_NONE,
	VRRP_REASON_STARTUP, /* INIT → BACKUP */
	VRRP_REASON_OWNER_STARTUP, /* → MASTER at once, priority 255 */
	VRRP_REASON_MASTER_DOWN, /* Master_Down_Timer expired: the master went silent */
	VRRP_REASON_PREEMPTION, /* timer expired while discarding a lower-priority master */
	VRRP_REASON_PRIORITY_ZERO, /* timer expired after the master released */
	VRRP_REASON_HIGHER_PRIORITY, /* MASTER → BACKUP on a better advert */
	VRRP_REASON_SYNC_GROUP, /* forced by the sync group (V-71, V-72) */
	VRRP_REASON_FAULT_LINK, /* parent admin down or no carrier */
	VRRP_REASON_FAULT_NO_SOURCE,
	VRRP_REASON_FAULT_TRACK, /* a tracked interface without weight is down */
	VRRP_REASON_FAULT_SYNC, /* another sync-group member is in FAULT (V-73) */
	VRRP_REASON_FAULT_CLEARED, /* FAULT → BACKUP */
	VRRP_REASON_OPERATOR_RESET, /* reset vrrp master (V-103) */
	VRRP_REASON_DISABLE,
	VRRP_REASON_ENABLE, /* DISABLED → BACKUP */
	VRRP_REASON_SHUTDOWN, /* engine stop or group delete */
	VRRP_REASON_RECONFIGURE, /* restarted by a commit (V-92) */
	VRRP_REASON_RESUME, /* MASTER kept across an engine restart (V-5) */
};

/* Fault conditions (V-60), a bit mask; the engine sets and clears all but SYNC. */
enum vrrp_fault {
	VRRP_FAULT_LINK = 1u << 0,
	VRRP_FAULT_NO_SOURCE = 1u << 1,
	VRRP_FAULT_TRACK = 1u << 2, /* the engine reports "any unweighted tracked interface down" */
	VRRP_FAULT_SYNC = 1u << 3, /* set and cleared by vrrp_sync_group_update() only */
};
#define VRRP_FAULT_KINDS 4

enum vrrp_action_type {
	VRRP_ACT_STATE_CHANGED, /* log, event bus, script (after the whole list), filter map */
	VRRP_ACT_SEND_ADVERT, /* one advert with .priority (0 = release); local interval */
	VRRP_ACT_INSTALL_VIPS, /* idempotent */
	VRRP_ACT_REMOVE_VIPS,
	VRRP_ACT_ANNOUNCE, /* GARP / unsolicited NA burst of kind .announce (§1.13) */
	VRRP_ACT_SYNC_WAIT, /* sync member wants MASTER: run vrrp_sync_group_update() (V-71) */
};

enum vrrp_announce {
	VRRP_ANNOUNCE_FIRST, /* on entering MASTER: 5 per VIP (+5 replies in legacy mode) */
	VRRP_ANNOUNCE_SECOND, /* 5 s later: 5 per VIP */
	VRRP_ANNOUNCE_SPLIT_BRAIN, /* V-15: one burst as FIRST, after a competing lower master */
};

struct vrrp_state_change {
	uint8_t from; /* enum vrrp_state */
	uint8_t to;
	uint8_t reason; /* enum vrrp_reason */
	uint8_t cause; /* reason SYNC_GROUP into MASTER: the member's own reason; else = reason */
	bool has_peer; /* peer fields valid: the advert's sender behind this transition */
	uint8_t peer_priority;
	uint8_t peer[16]; /* IPv4 in the first 4 bytes; family as the group's */
	uint32_t fault_detail; /* FAULT_LINK/TRACK: what the engine passed (e.g. ifindex), else 0 */
};

struct vrrp_action {
	uint8_t type; /* enum vrrp_action_type */
	union {
		uint8_t priority; /* SEND_ADVERT */
		uint8_t announce; /* ANNOUNCE: enum vrrp_announce */
		struct vrrp_state_change change; /* STATE_CHANGED */
	};
};

/* Large enough for the longest call (a MASTER restarted by a commit: 7 actions). */
#define VRRP_ACTIONS_MAX 12

/* Output of every entry point, in execution order. */
struct vrrp_actions {
	uint32_t n;
	uint32_t dropped; /* actions that did not fit; always 0 unless there is a bug */
	struct vrrp_action a[VRRP_ACTIONS_MAX];
	uint64_t next_deadline_us; /* call vrrp_fsm_tick() then; 0 = no timer armed */
};

/* Configuration of one group (engine-resolved: primary address per V-12, intervals in wire units). */
struct vrrp_fsm_config {
	uint8_t vrid; /* 1-255 */
	uint8_t version; /* 2 or 3 */
	uint8_t family; /* 4 or 6 (IP version; same values as enum vrrp_family) */
	uint8_t priority; /* configured, 1-255; 255 = address owner */
	uint16_t interval; /* v2: seconds 1-255; v3: centiseconds 1-4095 */
	bool preempt;
	bool accept; /* v3 Accept_Mode: carried for the engine, no effect on the FSM */
	bool sync_member; /* in a sync group: MASTER entry waits for vrrp_sync_group_update() */
	bool disabled;
	uint16_t preempt_delay_s; /* 0-3600 */
	uint16_t start_delay_s; /* 0-600, applied by vrrp_fsm_start(VRRP_START_DELAY) only */
	uint8_t primary[16]; /* local primary address (tie-break), IPv4 in the first 4 bytes */
};

/* An advert that passed the receive pipeline (§1.11 steps 1-16). */
struct vrrp_fsm_advert {
	uint8_t version;
	uint8_t family; /* 4 or 6 */
	uint8_t priority; /* 0-255 */
	uint16_t interval; /* v2: seconds; v3: centiseconds */
	uint8_t src[16]; /* sender's primary address (IP source), IPv4 in the first 4 bytes */
	uint8_t src_mac[6]; /* Ethernet source, for show */
};

/* The master as learnt from the last accepted advert (V-102). */
struct vrrp_fsm_master {
	bool known;
	uint8_t priority;
	uint8_t addr[16];
	uint8_t mac[6];
	uint64_t interval_us; /* the advert's interval */
	uint64_t last_seen_us;
};

/* Counters the FSM owns (§3.6). Advertisements received / priority zero received count adverts
 * handed to vrrp_fsm_advert(), i.e. step 17 of the pipeline; the error counters are the codec's. */
struct vrrp_fsm_counters {
	uint64_t adverts_sent; /* including priority 0 */
	uint64_t adverts_received;
	uint64_t became_master;
	uint64_t released_master; /* left MASTER for any reason */
	uint64_t prio0_sent;
	uint64_t prio0_received;
};

struct vrrp_fsm {
	struct vrrp_fsm_config cfg;
	uint8_t state; /* enum vrrp_state */
	uint8_t effective_priority; /* what adverts carry and election uses */
	int32_t priority_delta; /* Σ weights from the engine (V-65) */
	uint32_t faults; /* enum vrrp_fault bits */
	uint32_t fault_detail[VRRP_FAULT_KINDS]; /* per bit index */
	bool started; /* vrrp_fsm_start() called, not stopped since */

	/* Timers: absolute monotonic µs, 0 = unarmed. */
	uint64_t start_at_us; /* INIT: end of the start delay */
	uint64_t master_down_at_us; /* BACKUP */
	uint64_t adver_at_us; /* MASTER: next advert, previous + interval (drift-free) */
	uint64_t announce_at_us; /* MASTER: second announcement burst */

	uint64_t master_adver_interval_us; /* Master_Adver_Interval (v3: learnt) */
	uint64_t last_advert_us; /* MASTER: when the last advert was due / sent */
	uint64_t reannounce_ok_us; /* MASTER: earliest split-brain re-announce (V-15) */

	/* BACKUP bookkeeping. */
	bool down_by_release; /* master_down armed with Skew_Time after a priority-0 advert */
	bool lower_pending; /* discarding a lower-priority master: next expiry is preemption */
	uint8_t lower_priority;
	uint8_t lower_addr[16];
	bool window_opened; /* preempt-delay window used since entering BACKUP (V-24) */
	uint64_t window_start_us;
	bool preempt_hold; /* V-103: behave as preempt false until leaving BACKUP or a commit */

	/* Sync-group signals: written by the FSM, consumed by vrrp_sync_group_update(). */
	bool want_master;
	uint8_t want_reason; /* enum vrrp_reason of the expiry that made it want */
	bool sync_left_master; /* left MASTER for BACKUP on its own (V-72) */

	struct vrrp_fsm_master master;
	uint64_t last_transition_us; /* not touched by a resume: the engine restores it */
	struct vrrp_fsm_counters counters;
};

/* vrrp_fsm_start() flags. */
#define VRRP_START_DELAY 1u /* apply cfg.start_delay_s (first engine start / first link up, V-4) */
#define VRRP_START_RESUME 2u /* V-5: the state record says MASTER and is fresh: resume MASTER */

/* Sets up a stopped group in INIT (DISABLED when cfg->disabled); counters zero. No actions. */
void vrrp_fsm_init(struct vrrp_fsm *fsm, const struct vrrp_fsm_config *cfg);

/* Startup: owner → MASTER, others → BACKUP, FAULT while a fault holds; with VRRP_START_DELAY stays
 * INIT (ignoring adverts) for the start delay. VRRP_START_RESUME enters MASTER with an advert and
 * VIPs but no announcement, or removes left-over VIPs when it cannot resume. */
void vrrp_fsm_start(struct vrrp_fsm *fsm, uint64_t now_us, unsigned flags, struct vrrp_actions *out);

/* Engine stop or group delete: a MASTER releases (priority 0) and removes its VIPs; → INIT. */
void vrrp_fsm_stop(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);

/* Runs every timer due at now_us. */
void vrrp_fsm_tick(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);

/* An accepted advert for this group (§1.10). Owners ignore adverts (the pipeline counts them). */
void vrrp_fsm_advert(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_advert *adv,
		     struct vrrp_actions *out);

/* Sets or clears one fault condition (enum vrrp_fault bit); detail (e.g. an ifindex) is echoed in
 * the state change. Recorded while INIT/DISABLED; the last clear restarts the group (V-62). */
void vrrp_fsm_set_fault(struct vrrp_fsm *fsm, uint64_t now_us, uint32_t fault, bool on, uint32_t detail,
			struct vrrp_actions *out);

/* Weighted tracking (V-65): delta = Σ increments of tracked interfaces up − Σ decrements of those
 * down. Takes effect with the next advert sent or received. */
void vrrp_fsm_set_priority_delta(struct vrrp_fsm *fsm, uint64_t now_us, int32_t delta,
				 struct vrrp_actions *out);

/* The kernel changed the primary address (V-12, DHCP): applied in place, no restart. */
void vrrp_fsm_set_primary(struct vrrp_fsm *fsm, const uint8_t primary[16]);

/* disable / delete disable (V-8). */
void vrrp_fsm_disable(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);
void vrrp_fsm_enable(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);

/* reset vrrp master (V-103): 0, -EINVAL when not MASTER, -EPERM for the address owner. */
int vrrp_fsm_reset_master(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);

/* A commit changed the group (§4.11): vrid, version, family, primary address or owner-ness
 * (priority to/from 255) restart it (V-92); the rest applies in place (V-91). An identical cfg is
 * a no-op (V-90); any change lifts the reset hold (V-103). */
void vrrp_fsm_reconfigure(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_config *cfg,
			  struct vrrp_actions *out);

/* Used by vrrp_sync_group_update(): a BACKUP that wants MASTER enters it; a non-owner MASTER
 * releases and goes BACKUP. They append to out (no reset). 0, or -EINVAL when the member is not
 * in that position. */
int vrrp_fsm_sync_master(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);
int vrrp_fsm_sync_backup(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out);

/* Earliest armed timer, 0 = none. */
uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *fsm);

/* Current timer values (§3.14 skewTimeUs, masterDownIntervalUs). */
uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *fsm);
uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *fsm);

void vrrp_actions_reset(struct vrrp_actions *out);

/* "INIT", "BACKUP", "MASTER", "FAULT", "DISABLED". */
const char *vrrp_state_name(enum vrrp_state state);
/* Event-bus token (§4.14), e.g. "master-down-timer", "fault:link-down". */
const char *vrrp_reason_name(enum vrrp_reason reason);
/* Log phrase, e.g. "master down timer expired", "preempted lower priority master". */
const char *vrrp_reason_text(enum vrrp_reason reason);

#ifdef __cplusplus
}
#endif

#endif
