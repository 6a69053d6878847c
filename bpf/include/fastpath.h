/* Map layouts of the forwarding fast path (fastpath.bpf.c), shared with src/native/fastPath.ts. */
#ifndef TANDEM_FASTPATH_H
#define TANDEM_FASTPATH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* fp_stats index: what happened to a packet. FP_TAKEN = forwarded by the program; the others
 * name why it went to the kernel's normal path. Keep in step with REASONS in fastPath.ts. */
enum fp_reason {
	FP_TAKEN = 0,
	FP_PASS_NOT_IP,          /* neither IPv4 nor IPv6 (ARP, LLDP...) */
	FP_PASS_NOT_FOR_US,      /* broadcast, multicast, another host's MAC */
	FP_PASS_MALFORMED,       /* headers shorter than they claim: the stack counts and drops them */
	FP_PASS_FRAGMENT,        /* IPv4 fragment */
	FP_PASS_IP_OPTIONS,      /* IPv4 options, IPv6 extension headers */
	FP_PASS_TTL,             /* TTL / hop limit <= 1: the stack sends Time Exceeded */
	FP_PASS_PROTOCOL,        /* not TCP or UDP (ICMP and its errors, GRE, ESP...) */
	FP_PASS_TCP_FLAGS,       /* SYN, FIN or RST: conntrack follows the TCP state */
	FP_PASS_NO_CONNECTION,   /* conntrack holds no entry: a new connection */
	FP_PASS_NOT_ESTABLISHED, /* not yet seen both ways, TCP not ESTABLISHED, dying */
	FP_PASS_HELPER,          /* a helper or sequence adjustment rewrites the payload */
	FP_PASS_NO_ROUTE,        /* local, unreachable, blackhole, forwarding off, not a unicast route */
	FP_PASS_NO_NEIGH,        /* next hop not resolved yet: the stack resolves it */
	FP_PASS_MTU,             /* larger than the egress MTU: the stack fragments or sends PTB */
	FP_PASS_CHECKSUM,        /* a checksum update failed */
	FP_REASONS,
};

struct fp_counter {
	__u64 packets;
	__u64 bytes;
};

/* fp_config[0], written by the control plane. Timeouts in milliseconds, from the kernel's
 * nf_conntrack_*_timeout sysctls; the program refreshes a connection's timeout to these. */
struct fp_config {
	__u32 tcp_established_ms;
	__u32 udp_ms;        /* seen both ways, not yet assured */
	__u32 udp_stream_ms; /* assured */
	__u32 refresh_ms;    /* refresh a connection's timeout at most this often */
	__u32 recheck_ms;    /* ask conntrack and routing again after this long */
	__u32 pad;
};

/* A packet's or a connection's addresses and ports. IPv4 uses saddr[0]/daddr[0], the rest 0. */
struct fp_tuple {
	__u8 family; /* 4 or 6 */
	__u8 proto;
	__be16 sport;
	__be16 dport;
	__u16 pad;
	__be32 saddr[4];
	__be32 daddr[4];
};

/* fp_paths key: one direction of a connection as its packets arrive. */
struct fp_path_key {
	__u32 ifindex;
	__u32 pad;
	struct fp_tuple t;
};

/* What conntrack and routing said about a direction, kept for recheck_ms so most packets cost
 * one hash lookup. verdict FP_TAKEN: forward as below; any other: hand to the stack. */
struct fp_path {
	struct fp_tuple conn; /* the connection's original-direction tuple (for show) */
	__be32 saddr[4];      /* what the packet becomes */
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
	__u32 addr_diff;      /* one's-complement checksum change of the addresses */
	__u32 port_diff;      /* ... and of the ports */
	__u32 oif;
	__u32 mark;           /* the mark routing saw (the balancer's uplink) */
	__u32 mtu;
	__u8 dir;             /* 0 original, 1 reply */
	__u8 verdict;
	__u8 smac[6];
	__u8 dmac[6];
	__u16 pad;
	__u64 checked_ns;     /* when conntrack and routing were asked (monotonic) */
	__u64 refresh_ns;     /* last timeout refresh of the conntrack entry */
	__u64 last_ns;        /* last packet through the fast path */
	__u64 packets;        /* fast-path packets and bytes of this direction */
	__u64 bytes;
};

#define FP_PATHS_MAX 262144

#endif
