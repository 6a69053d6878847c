/* The WAN load-balancing dataplane from user space: loads wlb.bpf.o with its maps pinned per
 * router, attaches it to inbound interfaces, swaps rule sets atomically, flips interface health
 * and reads counters and flows. */
#ifndef TANDEM_WLB_DATAPLANE_H
#define TANDEM_WLB_DATAPLANE_H

#include <stdint.h>
#include "tdm_err.h"
#include "wlb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* tc filter of the classifier: after the interface counters (handle 0x7464, priority 1). */
#define WLB_TC_HANDLE 0x776c
#define WLB_TC_PRIORITY 2

struct wlb_port_range {
	uint16_t lo, hi;
};

/* One rule as configured; flags are WLB_R_*. */
struct wlb_rule_spec {
	uint32_t number;
	uint32_t flags;
	uint8_t proto;
	uint32_t saddr_lo, saddr_hi, daddr_lo, daddr_hi; /* host order, inclusive */
	const struct wlb_port_range *sports;
	uint32_t n_sports;
	const struct wlb_port_range *dports;
	uint32_t n_dports;
	const int *inbound; /* ifindexes the rule's inbound-interface covers now */
	uint32_t n_inbound;
	struct wlb_member pool[WLB_MAX_POOL];
	uint8_t pool_len;
	uint64_t ns_per_token, cap_ns;
};

struct wlb_dp;

/* Opens and loads the object; maps already pinned under pin_root are reused (a restarted daemon
 * keeps counters, buckets and flows). On failure err carries the verifier's log. */
struct wlb_dp *wlb_dp_open(const char *obj_path, const char *pin_root, struct tdm_err *err);
void wlb_dp_close(struct wlb_dp *dp);

/* tc ingress attach (replaces the filter in place) / detach / attached program id (0: none). */
int wlb_dp_attach(struct wlb_dp *dp, int ifindex, struct tdm_err *err);
int wlb_dp_detach(int ifindex, struct tdm_err *err);
int wlb_dp_attached_id(int ifindex, uint32_t *prog_id, struct tdm_err *err);

/* Writes the inactive generation and flips to it: packets see the old or the new set, never a mix. */
int wlb_dp_commit(struct wlb_dp *dp, const struct wlb_rule_spec *rules, uint32_t n, struct tdm_err *err);
/* Health of every slot at once (bit s = slot s ACTIVE). */
int wlb_dp_set_active(struct wlb_dp *dp, uint64_t active, struct tdm_err *err);
/* Forgets a rule's token bucket: it restarts full. */
int wlb_dp_reset_limit(struct wlb_dp *dp, uint32_t number, struct tdm_err *err);

int wlb_dp_totals(struct wlb_dp *dp, struct wlb_counter *out, struct tdm_err *err);
/* Calls fn for every counter row (summed over CPUs); stops when fn returns non-zero. */
int wlb_dp_each_counter(struct wlb_dp *dp,
			int (*fn)(const struct wlb_counter_key *k, const struct wlb_counter *c, void *ctx), void *ctx,
			struct tdm_err *err);
int wlb_dp_each_flow(struct wlb_dp *dp, int (*fn)(const struct wlb_flow_key *k, const struct wlb_flow *f, void *ctx),
		     void *ctx, struct tdm_err *err);
/* Zeroes every counter row and the totals. */
int wlb_dp_clear_counters(struct wlb_dp *dp, struct tdm_err *err);

struct wlb_test_result {
	int retval;
	uint32_t ns_per_run;
	uint32_t mark;
};

/* BPF_PROG_TEST_RUN of the real program on a frame arriving on ingress_ifindex. */
int wlb_dp_test_run(struct wlb_dp *dp, const void *frame, uint32_t len, int ingress_ifindex, uint32_t repeat,
		    struct wlb_test_result *out, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
