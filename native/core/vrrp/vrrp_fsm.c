/* The per-group VRRP state machine: transition rows of spec §1.10, timers of §1.9. */
#include <errno.h>
#include <string.h>

#include "vrrp_fsm.h"

#define ANNOUNCE_SECOND_DELAY_US 5000000u /* §1.13: second burst 5 s after the first */

/* ---- small helpers ---- */

static size_t addr_len(uint8_t family)
{
	return family == 6 ? 16 : 4;
}

static bool is_owner(const struct vrrp_fsm *fsm)
{
	return fsm->cfg.priority == VRRP_PRIO_OWNER;
}

static uint64_t local_interval_us(const struct vrrp_fsm *fsm)
{
	return vrrp_interval_us(fsm->cfg.version, fsm->cfg.interval);
}

static struct vrrp_action *push(struct vrrp_actions *out, enum vrrp_action_type type)
{
	struct vrrp_action *a;

	if (out->n >= VRRP_ACTIONS_MAX) {
		out->dropped++;
		return NULL;
	}
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

static void send_advert(struct vrrp_fsm *fsm, uint8_t priority, struct vrrp_actions *out)
{
	struct vrrp_action *a = push(out, VRRP_ACT_SEND_ADVERT);

	if (a)
		a->priority = priority;
	fsm->counters.adverts_sent++;
	if (priority == VRRP_PRIO_RELEASE)
		fsm->counters.prio0_sent++;
}

static void announce(struct vrrp_actions *out, enum vrrp_announce kind)
{
	struct vrrp_action *a = push(out, VRRP_ACT_ANNOUNCE);

	if (a)
		a->announce = kind;
}

/* Appends a STATE_CHANGED and switches the state. peer may be NULL. */
static void change_state(struct vrrp_fsm *fsm, uint64_t now_us, enum vrrp_state to, enum vrrp_reason reason,
			 enum vrrp_reason cause, const uint8_t *peer, uint8_t peer_priority, uint32_t detail,
			 struct vrrp_actions *out)
{
	struct vrrp_action *a = push(out, VRRP_ACT_STATE_CHANGED);

	if (a) {
		a->change.from = fsm->state;
		a->change.to = to;
		a->change.reason = reason;
		a->change.cause = cause;
		a->change.fault_detail = detail;
		if (peer) {
			a->change.has_peer = true;
			a->change.peer_priority = peer_priority;
			memcpy(a->change.peer, peer, 16);
		}
	}
	fsm->state = to;
	if (reason != VRRP_REASON_RESUME)
		fsm->last_transition_us = now_us;
}

static void clear_timers(struct vrrp_fsm *fsm)
{
	fsm->start_at_us = 0;
	fsm->master_down_at_us = 0;
	fsm->adver_at_us = 0;
	fsm->announce_at_us = 0;
}

/* Everything that only lives while in BACKUP (V-24 window, V-103 hold, V-71 wish). */
static void clear_backup(struct vrrp_fsm *fsm)
{
	fsm->master_down_at_us = 0;
	fsm->down_by_release = false;
	fsm->lower_pending = false;
	fsm->window_opened = false;
	fsm->window_start_us = 0;
	fsm->preempt_hold = false;
	fsm->want_master = false;
	fsm->want_reason = VRRP_REASON_NONE;
}

static void finish(const struct vrrp_fsm *fsm, struct vrrp_actions *out)
{
	out->next_deadline_us = vrrp_fsm_next_deadline(fsm);
}

/* The highest-ranked active fault, for the reason of a transition into FAULT. */
static enum vrrp_reason fault_reason(const struct vrrp_fsm *fsm, uint32_t *detail)
{
	static const enum vrrp_reason reasons[VRRP_FAULT_KINDS] = {
		VRRP_REASON_FAULT_LINK, VRRP_REASON_FAULT_NO_SOURCE, VRRP_REASON_FAULT_TRACK,
		VRRP_REASON_FAULT_SYNC,
	};

	for (int i = 0; i < VRRP_FAULT_KINDS; i++) {
		if (fsm->faults & (1u << i)) {
			*detail = fsm->fault_detail[i];
			return reasons[i];
		}
	}
	*detail = 0;
	return VRRP_REASON_NONE;
}

static int fault_index(uint32_t fault)
{
	for (int i = 0; i < VRRP_FAULT_KINDS; i++)
		if (fault == (1u << i))
			return i;
	return -1;
}

/* ---- entering and leaving states ---- */

static void enter_master(struct vrrp_fsm *fsm, uint64_t now_us, enum vrrp_reason reason, enum vrrp_reason cause,
			 const uint8_t *peer, uint8_t peer_priority, struct vrrp_actions *out)
{
	clear_backup(fsm);
	fsm->start_at_us = 0;
	change_state(fsm, now_us, VRRP_STATE_MASTER, reason, cause, peer, peer_priority, 0, out);
	send_advert(fsm, fsm->effective_priority, out);
	push(out, VRRP_ACT_INSTALL_VIPS);
	fsm->last_advert_us = now_us;
	fsm->adver_at_us = now_us + local_interval_us(fsm);
	fsm->reannounce_ok_us = 0;
	if (reason == VRRP_REASON_RESUME) {
		fsm->announce_at_us = 0; /* V-5: VIPs stayed, hosts already point here */
	} else {
		announce(out, VRRP_ANNOUNCE_FIRST);
		fsm->announce_at_us = now_us + ANNOUNCE_SECOND_DELAY_US;
		fsm->counters.became_master++;
	}
}

/* MASTER → to; release sends the priority-0 advert (§1.12). */
static void leave_master(struct vrrp_fsm *fsm, uint64_t now_us, enum vrrp_state to, enum vrrp_reason reason,
			 const uint8_t *peer, uint8_t peer_priority, uint32_t detail, bool release,
			 struct vrrp_actions *out)
{
	change_state(fsm, now_us, to, reason, reason, peer, peer_priority, detail, out);
	if (release)
		send_advert(fsm, VRRP_PRIO_RELEASE, out);
	push(out, VRRP_ACT_REMOVE_VIPS);
	fsm->adver_at_us = 0;
	fsm->announce_at_us = 0;
	fsm->counters.released_master++;
}

/* Arms Master_Down_Timer after the state change into BACKUP (the caller emits it). */
static void arm_backup(struct vrrp_fsm *fsm, uint64_t now_us, uint64_t master_interval_us)
{
	clear_backup(fsm);
	fsm->master_adver_interval_us = master_interval_us;
	fsm->master_down_at_us = now_us + vrrp_master_down_us(fsm->effective_priority, master_interval_us);
}

static void enter_fault(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	uint32_t detail;
	enum vrrp_reason reason = fault_reason(fsm, &detail);

	if (fsm->state == VRRP_STATE_MASTER) {
		/* V-61: release only if the link can still transmit. */
		bool can_send = !(fsm->faults & (VRRP_FAULT_LINK | VRRP_FAULT_NO_SOURCE));

		leave_master(fsm, now_us, VRRP_STATE_FAULT, reason, NULL, 0, detail, can_send, out);
	} else {
		change_state(fsm, now_us, VRRP_STATE_FAULT, reason, reason, NULL, 0, detail, out);
	}
	clear_backup(fsm);
	clear_timers(fsm);
	fsm->sync_left_master = false;
}

/* "Startup" of §1.10 from INIT, FAULT or DISABLED; backup_reason names the BACKUP entry. */
static void startup(struct vrrp_fsm *fsm, uint64_t now_us, enum vrrp_reason backup_reason, struct vrrp_actions *out)
{
	fsm->start_at_us = 0;
	if (fsm->faults) {
		if (fsm->state != VRRP_STATE_FAULT)
			enter_fault(fsm, now_us, out);
		return;
	}
	if (is_owner(fsm)) {
		enter_master(fsm, now_us, VRRP_REASON_OWNER_STARTUP, VRRP_REASON_OWNER_STARTUP, NULL, 0, out);
		return;
	}
	change_state(fsm, now_us, VRRP_STATE_BACKUP, backup_reason, backup_reason, NULL, 0, 0, out);
	arm_backup(fsm, now_us, local_interval_us(fsm));
}

/* Leaves whatever state for INIT (stop, restart); a MASTER releases. */
static void to_init(struct vrrp_fsm *fsm, uint64_t now_us, enum vrrp_reason reason, struct vrrp_actions *out)
{
	if (fsm->state == VRRP_STATE_MASTER)
		leave_master(fsm, now_us, VRRP_STATE_INIT, reason, NULL, 0, 0, true, out);
	else if (fsm->state != VRRP_STATE_INIT && fsm->state != VRRP_STATE_DISABLED)
		change_state(fsm, now_us, VRRP_STATE_INIT, reason, reason, NULL, 0, 0, out);
	clear_backup(fsm);
	clear_timers(fsm);
	fsm->sync_left_master = false;
}

/* ---- public entry points ---- */

void vrrp_actions_reset(struct vrrp_actions *out)
{
	out->n = 0;
	out->dropped = 0;
	out->next_deadline_us = 0;
}

void vrrp_fsm_init(struct vrrp_fsm *fsm, const struct vrrp_fsm_config *cfg)
{
	struct vrrp_fsm_config copy = *cfg; /* cfg may point into fsm (re-init with &fsm->cfg) */

	memset(fsm, 0, sizeof(*fsm));
	fsm->cfg = copy;
	fsm->state = copy.disabled ? VRRP_STATE_DISABLED : VRRP_STATE_INIT;
	fsm->effective_priority = vrrp_effective_priority(copy.priority, 0);
	fsm->master_adver_interval_us = local_interval_us(fsm);
}

void vrrp_fsm_start(struct vrrp_fsm *fsm, uint64_t now_us, unsigned flags, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	if (fsm->started)
		goto done;
	fsm->started = true;
	if (flags & VRRP_START_RESUME) {
		if (fsm->state == VRRP_STATE_INIT && !fsm->faults) {
			enter_master(fsm, now_us, VRRP_REASON_RESUME, VRRP_REASON_RESUME, NULL, 0, out);
			goto done;
		}
		push(out, VRRP_ACT_REMOVE_VIPS); /* V-5: the record's VIPs are still in the kernel */
	}
	if (fsm->state == VRRP_STATE_DISABLED)
		goto done;
	if ((flags & VRRP_START_DELAY) && fsm->cfg.start_delay_s && !(flags & VRRP_START_RESUME)) {
		fsm->start_at_us = now_us + (uint64_t)fsm->cfg.start_delay_s * 1000000u;
		goto done;
	}
	startup(fsm, now_us, VRRP_REASON_STARTUP, out);
done:
	finish(fsm, out);
}

void vrrp_fsm_stop(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	to_init(fsm, now_us, VRRP_REASON_SHUTDOWN, out);
	fsm->started = false;
	finish(fsm, out);
}

static void master_down_expired(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	enum vrrp_reason reason = VRRP_REASON_MASTER_DOWN;
	const uint8_t *peer = fsm->master.known ? fsm->master.addr : NULL;
	uint8_t peer_priority = fsm->master.priority;

	if (fsm->down_by_release) {
		reason = VRRP_REASON_PRIORITY_ZERO;
	} else if (fsm->lower_pending) {
		reason = VRRP_REASON_PREEMPTION;
		peer = fsm->lower_addr;
		peer_priority = fsm->lower_priority;
	}
	if (fsm->cfg.sync_member) {
		/* V-71: prefer BACKUP until every member wants MASTER; keep waiting a full interval. */
		if (!fsm->want_master)
			fsm->want_reason = reason;
		fsm->want_master = true;
		fsm->down_by_release = false;
		fsm->master_down_at_us =
			now_us + vrrp_master_down_us(fsm->effective_priority, fsm->master_adver_interval_us);
		push(out, VRRP_ACT_SYNC_WAIT);
		return;
	}
	enter_master(fsm, now_us, reason, reason, peer, peer_priority, out);
}

void vrrp_fsm_tick(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	switch (fsm->state) {
	case VRRP_STATE_INIT:
		if (fsm->start_at_us && now_us >= fsm->start_at_us)
			startup(fsm, now_us, VRRP_REASON_STARTUP, out);
		break;
	case VRRP_STATE_BACKUP:
		if (fsm->master_down_at_us && now_us >= fsm->master_down_at_us)
			master_down_expired(fsm, now_us, out);
		break;
	case VRRP_STATE_MASTER:
		if (fsm->adver_at_us && now_us >= fsm->adver_at_us) {
			uint64_t iv = local_interval_us(fsm);

			send_advert(fsm, fsm->effective_priority, out);
			/* Drift-free: the schedule keeps its phase; a late tick skips missed slots. */
			fsm->last_advert_us = fsm->adver_at_us;
			fsm->adver_at_us += iv;
			while (fsm->adver_at_us <= now_us) {
				fsm->last_advert_us = fsm->adver_at_us;
				fsm->adver_at_us += iv;
			}
		}
		if (fsm->announce_at_us && now_us >= fsm->announce_at_us) {
			announce(out, VRRP_ANNOUNCE_SECOND);
			fsm->announce_at_us = 0;
		}
		break;
	default:
		break;
	}
	finish(fsm, out);
}

/* The sender beats us: higher priority, or equal and higher primary address (unsigned big-endian). */
static bool advert_wins(const struct vrrp_fsm *fsm, const struct vrrp_fsm_advert *adv)
{
	if (adv->priority != fsm->effective_priority)
		return adv->priority > fsm->effective_priority;
	return memcmp(adv->src, fsm->cfg.primary, addr_len(fsm->cfg.family)) > 0;
}

static void record_master(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_advert *adv)
{
	fsm->master.known = true;
	fsm->master.priority = adv->priority;
	memcpy(fsm->master.addr, adv->src, 16);
	memcpy(fsm->master.mac, adv->src_mac, 6);
	fsm->master.interval_us = vrrp_interval_us(adv->version, adv->interval);
	fsm->master.last_seen_us = now_us;
}

/* v3 backups adopt the master's interval; v2 intervals are equal by the pipeline's step 15. */
static uint64_t advert_master_interval(const struct vrrp_fsm *fsm, const struct vrrp_fsm_advert *adv)
{
	if (fsm->cfg.version == 3 && adv->interval)
		return vrrp_interval_us(3, adv->interval);
	return local_interval_us(fsm);
}

/* V-24: is a lower-priority advert still acceptable because of preempt off, the hold or the
 * preempt-delay window? Opens the window on the first one since entering BACKUP. */
static bool lower_acceptable(struct vrrp_fsm *fsm, uint64_t now_us)
{
	uint64_t d_us = (uint64_t)fsm->cfg.preempt_delay_s * 1000000u;

	if (!fsm->cfg.preempt || fsm->preempt_hold)
		return true;
	if (!d_us)
		return false;
	if (!fsm->window_opened) {
		fsm->window_opened = true;
		fsm->window_start_us = now_us;
	}
	return now_us < fsm->window_start_us + d_us;
}

static void backup_advert(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_advert *adv,
			  struct vrrp_actions *out)
{
	(void)out;
	if (adv->priority == VRRP_PRIO_RELEASE) {
		/* Take over after Skew_Time only; the preempt delay never applies (V-24). */
		fsm->master_down_at_us = now_us + vrrp_skew_us(fsm->effective_priority, fsm->master_adver_interval_us);
		fsm->down_by_release = true;
		fsm->lower_pending = false;
		return;
	}
	if (adv->priority >= fsm->effective_priority || lower_acceptable(fsm, now_us)) {
		fsm->master_adver_interval_us = advert_master_interval(fsm, adv);
		fsm->master_down_at_us =
			now_us + vrrp_master_down_us(fsm->effective_priority, fsm->master_adver_interval_us);
		fsm->down_by_release = false;
		fsm->lower_pending = false;
		fsm->want_master = false; /* a live master: the sync group stays BACKUP (V-74) */
		fsm->want_reason = VRRP_REASON_NONE;
		record_master(fsm, now_us, adv);
		return;
	}
	/* Lower priority and we preempt: discard, the running timer makes us MASTER. */
	fsm->lower_pending = true;
	fsm->lower_priority = adv->priority;
	memcpy(fsm->lower_addr, adv->src, 16);
}

static void master_advert(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_advert *adv,
			  struct vrrp_actions *out)
{
	if (adv->priority == VRRP_PRIO_RELEASE) {
		/* Another master released: assert ourselves at once and restart the schedule. */
		send_advert(fsm, fsm->effective_priority, out);
		fsm->last_advert_us = now_us;
		fsm->adver_at_us = now_us + local_interval_us(fsm);
		return;
	}
	if (advert_wins(fsm, adv)) {
		uint64_t mai = advert_master_interval(fsm, adv);

		leave_master(fsm, now_us, VRRP_STATE_BACKUP, VRRP_REASON_HIGHER_PRIORITY, adv->src, adv->priority, 0,
			     false, out);
		arm_backup(fsm, now_us, mai);
		record_master(fsm, now_us, adv);
		fsm->sync_left_master = true;
		return;
	}
	/* V-15: a competing lower master; re-point hosts, at most once per Master_Down_Interval. */
	if (!fsm->reannounce_ok_us || now_us >= fsm->reannounce_ok_us) {
		announce(out, VRRP_ANNOUNCE_SPLIT_BRAIN);
		fsm->reannounce_ok_us = now_us + vrrp_master_down_us(fsm->effective_priority, local_interval_us(fsm));
	}
}

void vrrp_fsm_advert(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_advert *adv,
		     struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	if (adv->version != fsm->cfg.version || adv->family != fsm->cfg.family)
		goto done;
	fsm->counters.adverts_received++;
	if (adv->priority == VRRP_PRIO_RELEASE)
		fsm->counters.prio0_received++;
	if (is_owner(fsm)) /* V-17, V-34 */
		goto done;
	if (fsm->state == VRRP_STATE_BACKUP)
		backup_advert(fsm, now_us, adv, out);
	else if (fsm->state == VRRP_STATE_MASTER)
		master_advert(fsm, now_us, adv, out);
	/* INIT (start delay), FAULT, DISABLED: counted, not acted on (V-4, V-61). */
done:
	finish(fsm, out);
}

void vrrp_fsm_set_fault(struct vrrp_fsm *fsm, uint64_t now_us, uint32_t fault, bool on, uint32_t detail,
			struct vrrp_actions *out)
{
	int i = fault_index(fault);

	vrrp_actions_reset(out);
	if (i < 0)
		goto done;
	if (on) {
		fsm->faults |= fault;
		fsm->fault_detail[i] = detail;
	} else {
		fsm->faults &= ~fault;
		fsm->fault_detail[i] = 0;
	}
	/* Not running (stopped, start delay, disabled): only recorded, startup looks at it. */
	if (!fsm->started || fsm->state == VRRP_STATE_INIT || fsm->state == VRRP_STATE_DISABLED)
		goto done;
	if (fsm->faults && fsm->state != VRRP_STATE_FAULT)
		enter_fault(fsm, now_us, out);
	else if (!fsm->faults && fsm->state == VRRP_STATE_FAULT)
		startup(fsm, now_us, VRRP_REASON_FAULT_CLEARED, out); /* V-62 */
done:
	finish(fsm, out);
}

void vrrp_fsm_set_priority_delta(struct vrrp_fsm *fsm, uint64_t now_us, int32_t delta,
				 struct vrrp_actions *out)
{
	(void)now_us;
	vrrp_actions_reset(out);
	fsm->priority_delta = delta;
	fsm->effective_priority = vrrp_effective_priority(fsm->cfg.priority, delta);
	finish(fsm, out);
}

void vrrp_fsm_set_primary(struct vrrp_fsm *fsm, const uint8_t primary[16])
{
	memcpy(fsm->cfg.primary, primary, 16);
}

void vrrp_fsm_disable(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	fsm->cfg.disabled = true;
	if (fsm->state == VRRP_STATE_DISABLED)
		goto done;
	if (fsm->state == VRRP_STATE_MASTER)
		leave_master(fsm, now_us, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE, NULL, 0, 0, true, out);
	else
		change_state(fsm, now_us, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE, VRRP_REASON_DISABLE, NULL, 0, 0,
			     out);
	clear_backup(fsm);
	clear_timers(fsm);
	fsm->sync_left_master = false;
done:
	finish(fsm, out);
}

void vrrp_fsm_enable(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	fsm->cfg.disabled = false;
	if (fsm->state != VRRP_STATE_DISABLED)
		goto done;
	if (!fsm->started) {
		change_state(fsm, now_us, VRRP_STATE_INIT, VRRP_REASON_ENABLE, VRRP_REASON_ENABLE, NULL, 0, 0, out);
		goto done;
	}
	startup(fsm, now_us, VRRP_REASON_ENABLE, out); /* V-8: per V-2/V-3, no start delay */
done:
	finish(fsm, out);
}

int vrrp_fsm_reset_master(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	vrrp_actions_reset(out);
	if (is_owner(fsm)) {
		finish(fsm, out);
		return -EPERM;
	}
	if (fsm->state != VRRP_STATE_MASTER) {
		finish(fsm, out);
		return -EINVAL;
	}
	leave_master(fsm, now_us, VRRP_STATE_BACKUP, VRRP_REASON_OPERATOR_RESET, NULL, 0, 0, true, out);
	arm_backup(fsm, now_us, local_interval_us(fsm));
	fsm->preempt_hold = true;
	fsm->sync_left_master = true; /* V-72 */
	finish(fsm, out);
	return 0;
}

int vrrp_fsm_sync_master(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	enum vrrp_reason cause = fsm->want_reason;
	const uint8_t *peer = NULL;
	uint8_t peer_priority = 0;

	if (fsm->state != VRRP_STATE_BACKUP || !fsm->want_master)
		return -EINVAL;
	if (cause == VRRP_REASON_PREEMPTION && fsm->lower_pending) {
		peer = fsm->lower_addr;
		peer_priority = fsm->lower_priority;
	} else if (fsm->master.known) {
		peer = fsm->master.addr;
		peer_priority = fsm->master.priority;
	}
	enter_master(fsm, now_us, VRRP_REASON_SYNC_GROUP, cause, peer, peer_priority, out);
	finish(fsm, out);
	return 0;
}

int vrrp_fsm_sync_backup(struct vrrp_fsm *fsm, uint64_t now_us, struct vrrp_actions *out)
{
	if (fsm->state != VRRP_STATE_MASTER || is_owner(fsm))
		return -EINVAL;
	/* V-72: release so the peer's member takes over within its Skew_Time. */
	leave_master(fsm, now_us, VRRP_STATE_BACKUP, VRRP_REASON_SYNC_GROUP, NULL, 0, 0, true, out);
	arm_backup(fsm, now_us, local_interval_us(fsm));
	finish(fsm, out);
	return 0;
}

static bool config_equal(const struct vrrp_fsm_config *a, const struct vrrp_fsm_config *b)
{
	return a->vrid == b->vrid && a->version == b->version && a->family == b->family &&
	       a->priority == b->priority && a->interval == b->interval && a->preempt == b->preempt &&
	       a->accept == b->accept && a->sync_member == b->sync_member && a->disabled == b->disabled &&
	       a->preempt_delay_s == b->preempt_delay_s && a->start_delay_s == b->start_delay_s &&
	       memcmp(a->primary, b->primary, sizeof(a->primary)) == 0;
}

/* V-92: what only takes effect at start-up. */
static bool needs_restart(const struct vrrp_fsm_config *a, const struct vrrp_fsm_config *b)
{
	return a->vrid != b->vrid || a->version != b->version || a->family != b->family ||
	       (a->priority == VRRP_PRIO_OWNER) != (b->priority == VRRP_PRIO_OWNER) ||
	       memcmp(a->primary, b->primary, addr_len(b->family)) != 0;
}

void vrrp_fsm_reconfigure(struct vrrp_fsm *fsm, uint64_t now_us, const struct vrrp_fsm_config *cfg,
			  struct vrrp_actions *out)
{
	struct vrrp_fsm_config old = fsm->cfg;
	struct vrrp_actions sub;

	vrrp_actions_reset(out);
	if (config_equal(&old, cfg))
		goto done;
	fsm->preempt_hold = false; /* V-103: a commit lifts the hold */

	if (needs_restart(&old, cfg)) {
		bool was_started = fsm->started;

		to_init(fsm, now_us, VRRP_REASON_RECONFIGURE, out);
		fsm->cfg = *cfg;
		fsm->effective_priority = vrrp_effective_priority(cfg->priority, fsm->priority_delta);
		fsm->master_adver_interval_us = local_interval_us(fsm);
		memset(&fsm->master, 0, sizeof(fsm->master));
		if (cfg->disabled) {
			if (fsm->state != VRRP_STATE_DISABLED)
				change_state(fsm, now_us, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE,
					     VRRP_REASON_DISABLE, NULL, 0, 0, out);
		} else if (fsm->state == VRRP_STATE_DISABLED) {
			if (was_started)
				startup(fsm, now_us, VRRP_REASON_ENABLE, out);
			else
				change_state(fsm, now_us, VRRP_STATE_INIT, VRRP_REASON_ENABLE, VRRP_REASON_ENABLE,
					     NULL, 0, 0, out);
		} else if (was_started) {
			startup(fsm, now_us, VRRP_REASON_RECONFIGURE, out);
		}
		goto done;
	}

	/* V-91: in place; `disabled` goes through disable/enable below. */
	fsm->cfg = *cfg;
	fsm->cfg.disabled = old.disabled;
	fsm->effective_priority = vrrp_effective_priority(cfg->priority, fsm->priority_delta);
	if (cfg->interval != old.interval) {
		uint64_t iv = local_interval_us(fsm);

		/* The next advert carries the new interval; never later than one new interval. */
		if (fsm->state == VRRP_STATE_MASTER && fsm->last_advert_us + iv < fsm->adver_at_us)
			fsm->adver_at_us = fsm->last_advert_us + iv;
		if (cfg->version == 2 || !fsm->master.known)
			fsm->master_adver_interval_us = iv;
	}
	if (!cfg->sync_member) {
		fsm->want_master = false; /* its timer runs again and takes MASTER alone */
		fsm->want_reason = VRRP_REASON_NONE;
	}
	if (cfg->disabled != old.disabled) {
		if (cfg->disabled)
			vrrp_fsm_disable(fsm, now_us, &sub);
		else
			vrrp_fsm_enable(fsm, now_us, &sub);
		for (uint32_t i = 0; i < sub.n; i++) {
			struct vrrp_action *a = push(out, sub.a[i].type);

			if (a)
				*a = sub.a[i];
		}
		out->dropped += sub.dropped;
	}
done:
	finish(fsm, out);
}

uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *fsm)
{
	const uint64_t t[] = { fsm->start_at_us, fsm->master_down_at_us, fsm->adver_at_us, fsm->announce_at_us };
	uint64_t min = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i] && (!min || t[i] < min))
			min = t[i];
	return min;
}

uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *fsm)
{
	return vrrp_skew_us(fsm->effective_priority, fsm->master_adver_interval_us);
}

uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *fsm)
{
	return vrrp_master_down_us(fsm->effective_priority, fsm->master_adver_interval_us);
}

const char *vrrp_state_name(enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	case VRRP_STATE_DISABLED:
		return "DISABLED";
	}
	return "UNKNOWN";
}

struct reason_names {
	const char *token;
	const char *text;
};

static const struct reason_names reason_names[] = {
	[VRRP_REASON_NONE] = { "none", "none" },
	[VRRP_REASON_STARTUP] = { "startup", "startup" },
	[VRRP_REASON_OWNER_STARTUP] = { "owner-startup", "owner start-up" },
	[VRRP_REASON_MASTER_DOWN] = { "master-down-timer", "master down timer expired" },
	[VRRP_REASON_PREEMPTION] = { "preemption", "preempted lower priority master" },
	[VRRP_REASON_PRIORITY_ZERO] = { "priority-zero", "priority 0 received" },
	[VRRP_REASON_HIGHER_PRIORITY] = { "higher-priority-advert", "received higher prio advert" },
	[VRRP_REASON_SYNC_GROUP] = { "sync-group", "sync group" },
	[VRRP_REASON_FAULT_LINK] = { "fault:link-down", "fault: link down" },
	[VRRP_REASON_FAULT_NO_SOURCE] = { "fault:no-source-address", "fault: no source address" },
	[VRRP_REASON_FAULT_TRACK] = { "fault:track", "fault: tracked interface down" },
	[VRRP_REASON_FAULT_SYNC] = { "fault:sync-group", "fault: sync group" },
	[VRRP_REASON_FAULT_CLEARED] = { "fault-cleared", "fault cleared" },
	[VRRP_REASON_OPERATOR_RESET] = { "operator-reset", "forced to BACKUP by operator" },
	[VRRP_REASON_DISABLE] = { "disable", "disabled" },
	[VRRP_REASON_ENABLE] = { "enable", "enabled" },
	[VRRP_REASON_SHUTDOWN] = { "shutdown", "shutdown" },
	[VRRP_REASON_RECONFIGURE] = { "reconfigure", "restarted by configuration change" },
	[VRRP_REASON_RESUME] = { "resume", "resumed after restart" },
};

const char *vrrp_reason_name(enum vrrp_reason reason)
{
	if ((size_t)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[reason].token;
}

const char *vrrp_reason_text(enum vrrp_reason reason)
{
	if ((size_t)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[reason].text;
}
