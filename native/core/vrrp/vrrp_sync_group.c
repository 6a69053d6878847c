/* Sync groups: gate and propagate transitions between member FSMs (spec §4.8). */
#include <string.h>

#include "vrrp_sync_group.h"

static bool active(const struct vrrp_fsm *m)
{
	return m->state != VRRP_STATE_DISABLED; /* V-70: enabled groups only */
}

static void append(struct vrrp_actions *out, const struct vrrp_actions *sub)
{
	for (uint32_t i = 0; i < sub->n; i++) {
		if (out->n < VRRP_ACTIONS_MAX)
			out->a[out->n++] = sub->a[i];
		else
			out->dropped++;
	}
	out->dropped += sub->dropped;
}

void vrrp_sync_group_init(struct vrrp_sync_group *sg)
{
	sg->state = VRRP_STATE_DISABLED;
}

enum vrrp_state vrrp_sync_group_state(struct vrrp_fsm *const *members, size_t n)
{
	size_t count = 0, masters = 0;
	bool fault = false, init = false;

	for (size_t i = 0; i < n; i++) {
		if (!active(members[i]))
			continue;
		count++;
		fault |= members[i]->state == VRRP_STATE_FAULT;
		init |= members[i]->state == VRRP_STATE_INIT;
		masters += members[i]->state == VRRP_STATE_MASTER;
	}
	if (!count)
		return VRRP_STATE_DISABLED;
	if (fault)
		return VRRP_STATE_FAULT;
	if (init)
		return VRRP_STATE_INIT;
	/* A MASTER/BACKUP mix left after the rules below does not converge to MASTER. */
	return masters == count ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
}

/* V-73: one member's own fault puts every member in FAULT; they leave together. */
static void sync_faults(struct vrrp_fsm *const *members, size_t n, uint64_t now_us, struct vrrp_actions *outs,
			unsigned *synced)
{
	struct vrrp_actions sub;
	bool own = false;

	for (size_t i = 0; i < n; i++)
		if (active(members[i]) && (members[i]->faults & ~(uint32_t)VRRP_FAULT_SYNC))
			own = true;
	for (size_t i = 0; i < n; i++) {
		struct vrrp_fsm *m = members[i];
		bool has = m->faults & VRRP_FAULT_SYNC;
		uint8_t was = m->state;

		if (!active(m) || has == own)
			continue;
		vrrp_fsm_set_fault(m, now_us, VRRP_FAULT_SYNC, own, 0, &sub);
		append(&outs[i], &sub);
		if (own && was != VRRP_STATE_FAULT && m->state == VRRP_STATE_FAULT)
			*synced |= VRRP_SYNCED_FAULT;
	}
}

/* V-72: a member that left MASTER for BACKUP pulls the other masters down (they release). */
static void sync_backup(struct vrrp_fsm *const *members, size_t n, uint64_t now_us, struct vrrp_actions *outs,
			unsigned *synced)
{
	struct vrrp_actions sub;
	bool left = false;

	for (size_t i = 0; i < n; i++) {
		if (members[i]->sync_left_master && active(members[i]))
			left = true;
		members[i]->sync_left_master = false;
	}
	if (!left)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!active(members[i]))
			continue;
		vrrp_actions_reset(&sub);
		if (vrrp_fsm_sync_backup(members[i], now_us, &sub) == 0) {
			append(&outs[i], &sub);
			*synced |= VRRP_SYNCED_BACKUP;
		}
	}
}

/* V-71: MASTER only when every member wants it (timer expired, or already MASTER, e.g. an owner). */
static void sync_master(struct vrrp_fsm *const *members, size_t n, uint64_t now_us, struct vrrp_actions *outs,
			unsigned *synced)
{
	struct vrrp_actions sub;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const struct vrrp_fsm *m = members[i];

		if (!active(m))
			continue;
		if (m->state == VRRP_STATE_BACKUP && m->want_master)
			any = true;
		else if (m->state != VRRP_STATE_MASTER)
			return; /* someone still hears a master, or is INIT/FAULT: stay BACKUP */
	}
	if (!any)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!active(members[i]))
			continue;
		vrrp_actions_reset(&sub);
		if (vrrp_fsm_sync_master(members[i], now_us, &sub) == 0) {
			append(&outs[i], &sub);
			*synced |= VRRP_SYNCED_MASTER;
		}
	}
}

void vrrp_sync_group_update(struct vrrp_sync_group *sg, struct vrrp_fsm *const *members, size_t n,
			    uint64_t now_us, struct vrrp_actions *outs, struct vrrp_sync_result *res)
{
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < n; i++)
		vrrp_actions_reset(&outs[i]);
	sync_faults(members, n, now_us, outs, &res->synced);
	sync_backup(members, n, now_us, outs, &res->synced);
	sync_master(members, n, now_us, outs, &res->synced);
	for (size_t i = 0; i < n; i++)
		outs[i].next_deadline_us = vrrp_fsm_next_deadline(members[i]);

	res->from = sg->state;
	res->to = vrrp_sync_group_state(members, n);
	res->changed = res->from != res->to;
	sg->state = res->to;
}
