/* Attaching programs to interfaces: tc clsact (direct action) and XDP, both through netlink so
 * the attachment outlives the process that made it (a daemon restart keeps the dataplane). */
#ifndef TANDEM_BPF_ATTACH_H
#define TANDEM_BPF_ATTACH_H

#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tdm_tc_dir { TDM_TC_INGRESS = 0, TDM_TC_EGRESS = 1 };
enum tdm_xdp_mode { TDM_XDP_AUTO = 0, TDM_XDP_SKB = 1, TDM_XDP_DRV = 2 };

struct tdm_tc_link {
	int ifindex;
	enum tdm_tc_dir dir;
	uint32_t handle;
	uint32_t priority;
};

/* Resolves ifname in the caller's network namespace; negative errno when absent. */
int tdm_ifindex(const char *ifname, struct tdm_err *err);

/* Creates the clsact qdisc if needed and attaches prog_fd; handle/priority 0 = kernel chooses.
 * An existing filter with the same handle and priority is replaced. */
int tdm_tc_attach(int ifindex, enum tdm_tc_dir dir, int prog_fd, uint32_t handle, uint32_t priority,
		  struct tdm_tc_link *out, struct tdm_err *err);
int tdm_tc_detach(const struct tdm_tc_link *link, struct tdm_err *err);

/* Id of the program attached at (ifindex, dir, handle, priority), 0 when none. */
int tdm_tc_query(const struct tdm_tc_link *link, uint32_t *prog_id, struct tdm_err *err);

int tdm_xdp_attach(int ifindex, int prog_fd, enum tdm_xdp_mode mode, struct tdm_err *err);
int tdm_xdp_detach(int ifindex, enum tdm_xdp_mode mode, struct tdm_err *err);
/* Id of the XDP program on ifindex in that mode (AUTO: any mode), 0 when none. */
int tdm_xdp_query(int ifindex, enum tdm_xdp_mode mode, uint32_t *prog_id, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
