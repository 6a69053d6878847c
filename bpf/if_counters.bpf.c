// SPDX-License-Identifier: GPL-2.0
/* Per-interface packet and byte counters: tc ingress/egress and XDP entry points that count and
 * pass every packet. The map is pinned by name so a daemon restart keeps the totals. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "if_counters.h"

/* Let later tc filters (WAN balancer, fast path) see the packet: counting decides nothing. */
#define TC_ACT_UNSPEC (-1)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TANDEM_IF_COUNTERS_MAX);
	__type(key, __u32);
	__type(value, struct tandem_if_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} if_counters SEC(".maps");

static __always_inline struct tandem_if_counters *slot(__u32 ifindex)
{
	__u32 key = ifindex < TANDEM_IF_COUNTERS_MAX ? ifindex : 0;

	return bpf_map_lookup_elem(&if_counters, &key);
}

SEC("tc")
int tc_count_ingress(struct __sk_buff *skb)
{
	struct tandem_if_counters *c = slot(skb->ifindex);

	if (c) {
		c->rx_packets++;
		c->rx_bytes += skb->len;
	}
	return TC_ACT_UNSPEC;
}

SEC("tc")
int tc_count_egress(struct __sk_buff *skb)
{
	struct tandem_if_counters *c = slot(skb->ifindex);

	if (c) {
		c->tx_packets++;
		c->tx_bytes += skb->len;
	}
	return TC_ACT_UNSPEC;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	struct tandem_if_counters *c = slot(ctx->ingress_ifindex);

	if (c) {
		c->rx_packets++;
		c->rx_bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
