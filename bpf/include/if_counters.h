/* Map layout of the per-interface counters program (if_counters.bpf.c), shared with native/. */
#ifndef TANDEM_IF_COUNTERS_H
#define TANDEM_IF_COUNTERS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Array index = ifindex; interfaces with a larger ifindex are counted in the overflow slot 0. */
#define TANDEM_IF_COUNTERS_MAX 4096

/* Per-CPU value of the `if_counters` map: user space sums the CPUs. */
struct tandem_if_counters {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
};

#endif
