/* Sync groups (spec §4.8, V-70..V-76): a pure pass over the member FSMs of one sync group that
 * gates MASTER entry and propagates BACKUP and FAULT. The engine runs it after every FSM call on a
 * member (in particular after VRRP_ACT_SYNC_WAIT, a STATE_CHANGED or a fault change). */
#ifndef TANDEM_VRRP_SYNC_GROUP_H
#define TANDEM_VRRP_SYNC_GROUP_H

#include <stddef.h>
#include "vrrp_fsm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one update did: "Syncing instances to <X> state" log lines and the V-76 state change. */
#define VRRP_SYNCED_MASTER 1u
#define VRRP_SYNCED_BACKUP 2u
#define VRRP_SYNCED_FAULT 4u

struct vrrp_sync_group {
	uint8_t state; /* enum vrrp_state per V-76; DISABLED when no member is enabled */
};

struct vrrp_sync_result {
	unsigned synced; /* VRRP_SYNCED_* bits */
	bool changed; /* state changed: log and publish vrrp.sync-group.state */
	uint8_t from;
	uint8_t to;
};

/* Starts with no enabled member (state DISABLED). */
void vrrp_sync_group_init(struct vrrp_sync_group *sg);

/* members: the FSMs of this sync group (DISABLED ones are ignored, V-70); outs[i] is reset and
 * receives the actions members[i] must execute. Order of rules: V-73 (FAULT together), V-72
 * (BACKUP together, with priority-0 release), V-71 (MASTER only when every member wants it;
 * an owner is never gated or pulled to BACKUP). */
void vrrp_sync_group_update(struct vrrp_sync_group *sg, struct vrrp_fsm *const *members, size_t n,
			    uint64_t now_us, struct vrrp_actions *outs, struct vrrp_sync_result *res);

/* V-76 state of the members as they are. */
enum vrrp_state vrrp_sync_group_state(struct vrrp_fsm *const *members, size_t n);

#ifdef __cplusplus
}
#endif

#endif
