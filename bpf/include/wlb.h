/* Map layouts of the WAN load-balancing classifier (wlb.bpf.c), shared with native/core/wlb. */
#ifndef TANDEM_WLB_H
#define TANDEM_WLB_H

#ifndef __VMLINUX_H__
#include <linux/bpf.h>
#include <linux/types.h>
#endif

#define WLB_MAX_RULES 256
#define WLB_MASK_WORDS (WLB_MAX_RULES / 64)
#define WLB_MAX_POOL 32
#define WLB_MAX_IFACES 55
#define WLB_MARK_BASE 0xc9
#define WLB_PORT_BITMAP_BYTES 8192
#define WLB_FLOWS_MAX 262144

/* Counter rows besides the interface slots 0..54 (spec §3.4). */
#define WLB_ENTRY_RESTORE 0x100 /* later packets of an assigned flow: "CONNMARK restore" */
#define WLB_ENTRY_EXCLUDE 0x101
#define WLB_ENTRY_LIMIT_CONFORM 0x102
#define WLB_ENTRY_LIMIT_EXCESS 0x103
/* Rows user space reports for wlb_restores: rule 0, entry WLB_ENTRY_RESTORE_SLOT + slot. */
#define WLB_ENTRY_RESTORE_SLOT 0x200

#define WLB_TOTAL_FORWARD 0
/* wlb_restores[slot]: later packets of assigned flows, per uplink (the CONNMARK rows). */

/* wlb_ctl flags per generation. */
#define WLB_CTL_EST_WALK (1u << 0) /* some rule is per-packet or limited: established packets walk */

struct wlb_ctl {
	__u32 gen; /* the generation packets use: 0 or 1 */
	__u32 nrules[2];
	__u32 flags[2];
	__u32 pad;
	__u64 active; /* bit s: interface slot s is configured and ACTIVE (one word: a flip is atomic) */
};

/* wlb_rule.flags */
#define WLB_R_EXCLUDE (1u << 0)
#define WLB_R_FAILOVER (1u << 1)
#define WLB_R_PER_PACKET (1u << 2)
#define WLB_R_LIMIT (1u << 3)
#define WLB_R_LIMIT_ABOVE (1u << 4)
#define WLB_R_PROTO (1u << 5) /* protocol criterion present (absent = all) */
#define WLB_R_PROTO_NEG (1u << 6)
#define WLB_R_SADDR (1u << 7)
#define WLB_R_SADDR_NEG (1u << 8)
#define WLB_R_DADDR (1u << 9)
#define WLB_R_DADDR_NEG (1u << 10)
#define WLB_R_SPORT (1u << 11)
#define WLB_R_SPORT_NEG (1u << 12)
#define WLB_R_DPORT (1u << 13)
#define WLB_R_DPORT_NEG (1u << 14)
#define WLB_R_SPORT_MAP (1u << 15) /* the list is longer than WLB_INLINE_PORTS: bitmap in wlb_ports */
#define WLB_R_DPORT_MAP (1u << 16)

#define WLB_INLINE_PORTS 8

struct wlb_member {
	__u8 slot;
	__u8 weight;
};

/* wlb_rules[gen * WLB_MAX_RULES + index]; addresses are host-order inclusive ranges. */
struct wlb_rule {
	__u32 number;
	__u32 flags;
	__u32 saddr_lo, saddr_hi;
	__u32 daddr_lo, daddr_hi;
	__u8 proto;
	__u8 pool_len;
	__u16 pad;
	__u32 pad2;
	__u64 ns_per_token; /* limit: one token every ns_per_token */
	__u64 cap_ns;       /* limit: bucket depth (burst) in the same unit */
	struct wlb_member pool[WLB_MAX_POOL];
	/* Short port lists live in the rule: no map lookup per rule on the new-flow path. */
	__u8 n_sports, n_dports;
	__u16 pad3;
	struct wlb_port_pair {
		__u16 lo, hi;
	} sports[WLB_INLINE_PORTS], dports[WLB_INLINE_PORTS];
};

struct wlb_inbound_key {
	__u32 gen;
	__u32 ifindex;
};

struct wlb_inbound {
	__u64 mask[WLB_MASK_WORDS]; /* bit i: rule index i may match packets arriving here */
};

struct wlb_ports_key {
	__u32 gen;
	__u16 rule_index;
	__u16 dir; /* 0 source, 1 destination */
};

struct wlb_ports {
	__u8 bits[WLB_PORT_BITMAP_BYTES];
};

struct wlb_bucket {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 credit_ns;
	__u64 last_ns;
};

/* Original-direction tuple; ICMP uses the echo identifier as source port. */
struct wlb_flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct wlb_flow {
	__u32 rule;
	__u8 slot;
	__u8 per_packet;
	__u16 pad;
	__u64 last_ns;
};

struct wlb_counter_key {
	__u32 rule;
	__u32 entry;
};

struct wlb_counter {
	__u64 packets;
	__u64 bytes;
};

#endif
