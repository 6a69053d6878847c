// SPDX-License-Identifier: GPL-2.0
/* WAN load balancing classifier (spec wan-load-balancing.md §4.2-4.4, 4.10): tc ingress on the
 * LAN interfaces. The first packet of a connection walks the rules and gets the chosen uplink's
 * mark; later packets of a TCP/UDP connection get the connection's mark back from conntrack, which
 * is the flow table of record (nftables copies a new connection's packet mark into its ct mark).
 * The program never drops: everything it does not balance goes on untouched. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "wlb.h"

#define TC_ACT_UNSPEC (-1)
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMP 1
#define MARK_MASK 0xffu
/* Flows of protocols conntrack lookups cannot serve stay pinned while this idle. */
#define OTHER_IDLE_NS 180000000000ull

extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *skb, struct bpf_sock_tuple *tuple, u32 tuple__sz,
					 struct bpf_ct_opts *opts, u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wlb_ctl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WLB_MAX_RULES);
	__type(key, __u32);
	__type(value, struct wlb_rule);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * 1024);
	__type(key, struct wlb_inbound_key);
	__type(value, struct wlb_inbound);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_inbound SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4 * WLB_MAX_RULES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct wlb_ports_key);
	__type(value, struct wlb_ports);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WLB_MAX_RULES * 2);
	__type(key, __u32);
	__type(value, struct wlb_bucket);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_limits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WLB_FLOWS_MAX);
	__type(key, struct wlb_flow_key);
	__type(value, struct wlb_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct wlb_counter_key);
	__type(value, struct wlb_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct wlb_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WLB_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct wlb_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wlb_restores SEC(".maps");

struct pkt {
	struct wlb_flow_key key; /* network order, as conntrack sees the original direction */
	__u32 saddr;             /* host order, for range checks */
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 len;
	__u8 ports;              /* TCP/UDP with its ports (not a later fragment) */
};

/* What the rule walk decided. */
enum verdict { V_NONE, V_EXCLUDE, V_MARK, V_KEEP };

struct walk {
	struct __sk_buff *skb;
	struct pkt *p;
	__u64 mask[WLB_MASK_WORDS];
	__u32 gen;
	__u32 nrules;
	__u8 established; /* packet of an assigned flow: only limits count and per-packet rules draw */
	enum verdict verdict;
	__u32 rule;
	__u8 slot;
	__u8 per_packet;
	__u64 now;
	__u64 active;
};

static __always_inline void count(__u32 rule, __u32 entry, __u32 len)
{
	struct wlb_counter_key k = { .rule = rule, .entry = entry };
	struct wlb_counter *c = bpf_map_lookup_elem(&wlb_counters, &k);

	if (c) {
		c->packets++;
		c->bytes += len;
		return;
	}
	struct wlb_counter init = { .packets = 1, .bytes = len };
	bpf_map_update_elem(&wlb_counters, &k, &init, BPF_NOEXIST);
}

struct pool_scan {
	const struct wlb_rule *r;
	__u64 active;
	__u32 total;
	__u32 x;
	int slot;
};

static long pool_total(__u32 i, void *ctx)
{
	struct pool_scan *s = ctx;

	if (i >= s->r->pool_len || i >= WLB_MAX_POOL)
		return 1;
	/* Opaque to clang, so the mask survives for the verifier's bounds. */
	asm volatile("" : "+r"(i));
	const struct wlb_member *m = &s->r->pool[i & (WLB_MAX_POOL - 1)];
	__u8 slot = m->slot;
	if (!((s->active >> (slot & 63)) & 1))
		return 0;
	if (s->r->flags & WLB_R_FAILOVER) {
		s->slot = slot;
		return 1;
	}
	s->total += m->weight;
	return 0;
}

static long pool_pick(__u32 i, void *ctx)
{
	struct pool_scan *s = ctx;

	if (i >= s->r->pool_len || i >= WLB_MAX_POOL)
		return 1;
	/* Opaque to clang, so the mask survives for the verifier's bounds. */
	asm volatile("" : "+r"(i));
	const struct wlb_member *m = &s->r->pool[i & (WLB_MAX_POOL - 1)];
	__u8 slot = m->slot;
	if (!((s->active >> (slot & 63)) & 1))
		return 0;
	s->slot = slot;
	if (s->x < m->weight)
		return 1;
	s->x -= m->weight;
	return 0;
}

/* Weighted draw among the ACTIVE members (W-13/W-14); failover takes the first ACTIVE member of a
 * pool user space ordered by weight (W-16). 0 when no member is ACTIVE (W-7). */
static __always_inline int pick(const struct wlb_rule *r, __u64 active, __u8 *slot)
{
	struct pool_scan s = { .r = r, .active = active, .slot = -1 };

	bpf_loop(WLB_MAX_POOL, pool_total, &s, 0);
	if (s.slot < 0 && s.total) {
		s.x = bpf_get_prandom_u32() % s.total;
		bpf_loop(WLB_MAX_POOL, pool_pick, &s, 0);
	}
	if (s.slot < 0)
		return 0;
	*slot = s.slot;
	return 1;
}

static __always_inline int port_in(__u32 gen, __u32 index, __u16 dir, __u16 port)
{
	struct wlb_ports_key k = { .gen = gen, .rule_index = index, .dir = dir };
	struct wlb_ports *bits = bpf_map_lookup_elem(&wlb_ports, &k);

	if (!bits)
		return 0;
	return (bits->bits[(port >> 3) & (WLB_PORT_BITMAP_BYTES - 1)] >> (port & 7)) & 1;
}

static __always_inline int port_listed(const struct wlb_port_pair *list, __u8 n, __u16 port)
{
	for (int i = 0; i < WLB_INLINE_PORTS; i++) {
		if (i >= n)
			break;
		if (port >= list[i].lo && port <= list[i].hi)
			return 1;
	}
	return 0;
}

static __always_inline int criteria_match(const struct wlb_rule *r, __u32 gen, __u32 index, const struct pkt *p)
{
	__u32 f = r->flags;

	if (f & WLB_R_PROTO) {
		int eq = p->key.proto == r->proto;
		if (eq == !!(f & WLB_R_PROTO_NEG))
			return 0;
	}
	if (f & WLB_R_SADDR) {
		int in = p->saddr >= r->saddr_lo && p->saddr <= r->saddr_hi;
		if (in == !!(f & WLB_R_SADDR_NEG))
			return 0;
	}
	if (f & WLB_R_DADDR) {
		int in = p->daddr >= r->daddr_lo && p->daddr <= r->daddr_hi;
		if (in == !!(f & WLB_R_DADDR_NEG))
			return 0;
	}
	/* Port criteria need a TCP/UDP header: later fragments and other protocols never match. */
	if (f & WLB_R_SPORT) {
		if (!p->ports)
			return 0;
		int in = (f & WLB_R_SPORT_MAP) ? port_in(gen, index, 0, p->sport) : port_listed(r->sports, r->n_sports, p->sport);
		if (in == !!(f & WLB_R_SPORT_NEG))
			return 0;
	}
	if (f & WLB_R_DPORT) {
		if (!p->ports)
			return 0;
		int in = (f & WLB_R_DPORT_MAP) ? port_in(gen, index, 1, p->dport) : port_listed(r->dports, r->n_dports, p->dport);
		if (in == !!(f & WLB_R_DPORT_NEG))
			return 0;
	}
	return 1;
}

/* Token bucket of a rule (W-56/W-57): credit in nanoseconds, one packet costs ns_per_token. A
 * missing bucket is a full one (created with the rule). 1 = the packet conforms. */
static __always_inline int limit_conforms(const struct wlb_rule *r, __u64 now)
{
	__u32 num = r->number;
	struct wlb_bucket *b = bpf_map_lookup_elem(&wlb_limits, &num);

	if (!b) {
		struct wlb_bucket init = { .credit_ns = r->cap_ns, .last_ns = now };
		bpf_map_update_elem(&wlb_limits, &num, &init, BPF_NOEXIST);
		b = bpf_map_lookup_elem(&wlb_limits, &num);
		if (!b)
			return 1;
	}
	int ok = 0;
	bpf_spin_lock(&b->lock);
	__u64 credit = b->credit_ns;
	if (now > b->last_ns) {
		__u64 delta = now - b->last_ns;
		credit = delta >= r->cap_ns ? r->cap_ns : credit + delta;
	}
	if (credit > r->cap_ns)
		credit = r->cap_ns;
	b->last_ns = now;
	if (credit >= r->ns_per_token) {
		credit -= r->ns_per_token;
		ok = 1;
	}
	b->credit_ns = credit;
	bpf_spin_unlock(&b->lock);
	return ok;
}

static long walk_rule(__u32 i, void *ctx)
{
	struct walk *w = ctx;

	if (i >= w->nrules || i >= WLB_MAX_RULES)
		return 1;
	/* Constant offsets only: the verifier refuses variable-offset reads of the caller's stack. */
	__u64 word;
	switch (i >> 6) {
	case 0: word = w->mask[0]; break;
	case 1: word = w->mask[1]; break;
	case 2: word = w->mask[2]; break;
	default: word = w->mask[3]; break;
	}
	if (!((word >> (i & 63)) & 1))
		return 0;
	__u32 k = w->gen * WLB_MAX_RULES + i;
	struct wlb_rule *r = bpf_map_lookup_elem(&wlb_rules, &k);
	if (!r || !criteria_match(r, w->gen, i, w->p))
		return 0;
	if (r->flags & WLB_R_EXCLUDE) {
		w->verdict = w->established ? V_KEEP : V_EXCLUDE;
		w->rule = r->number;
		return 1;
	}
	__u8 slot = 0;
	/* The pool is checked before the bucket: a rule with no ACTIVE member does not count (W-57). */
	if (!pick(r, w->active, &slot))
		return 0;
	if (r->flags & WLB_R_LIMIT) {
		int conform = limit_conforms(r, w->now);
		count(r->number, conform ? WLB_ENTRY_LIMIT_CONFORM : WLB_ENTRY_LIMIT_EXCESS, w->p->len);
		if (conform == !!(r->flags & WLB_R_LIMIT_ABOVE))
			return 0; /* refused: the next rule decides (W-58) */
	}
	w->rule = r->number;
	if (w->established && !(r->flags & WLB_R_PER_PACKET)) {
		w->verdict = V_KEEP;
		return 1;
	}
	w->verdict = V_MARK;
	w->slot = slot;
	w->per_packet = !!(r->flags & WLB_R_PER_PACKET);
	return 1;
}

/* Headers the classifier reads: Ethernet, IPv4 with options, 8 bytes of L4. */
#define HDR_MAX (ETH_HLEN + 60 + 8)

static __always_inline int parse(struct __sk_buff *skb, struct pkt *p)
{
	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	if (data + ETH_HLEN + sizeof(struct iphdr) + 8 > end) {
		/* veth/trafgen frames may carry only the Ethernet header linear: pull the headers only. */
		if (bpf_skb_pull_data(skb, skb->len < HDR_MAX ? skb->len : HDR_MAX))
			return 0;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
	}
	struct iphdr *ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
		return 0;
	p->key.saddr = ip->saddr;
	p->key.daddr = ip->daddr;
	p->key.proto = ip->protocol;
	p->saddr = bpf_ntohl(ip->saddr);
	p->daddr = bpf_ntohl(ip->daddr);
	p->len = skb->len;
	if (bpf_ntohs(ip->frag_off) & IP_OFFSET)
		return 1; /* a later fragment: no L4 header */
	__u8 *l4 = (__u8 *)ip + ip->ihl * 4;
	if (l4 + 8 > (__u8 *)end)
		return ip->protocol != PROTO_TCP && ip->protocol != PROTO_UDP && ip->protocol != PROTO_ICMP;
	if (ip->protocol == PROTO_TCP || ip->protocol == PROTO_UDP) {
		__be16 *ports = (__be16 *)l4;
		p->key.sport = ports[0];
		p->key.dport = ports[1];
		p->sport = bpf_ntohs(ports[0]);
		p->dport = bpf_ntohs(ports[1]);
		p->ports = 1;
	} else if (ip->protocol == PROTO_ICMP) {
		struct icmphdr *ic = (struct icmphdr *)l4;
		/* Echo flows are told apart by identifier, as conntrack does. */
		if (ic->type == 8 || ic->type == 0)
			p->key.sport = ic->un.echo.id;
		p->key.dport = bpf_htons(((__u16)ic->type << 8) | ic->code);
	}
	return 1;
}

static __always_inline void set_mark(struct __sk_buff *skb, __u8 slot)
{
	skb->mark = (skb->mark & ~MARK_MASK) | (WLB_MARK_BASE + slot);
}

/* Conntrack's view of a TCP/UDP packet: -1 no entry, 0 reply direction or unassigned (leave it),
 * 1 assigned, with its mark's slot in *slot. */
static __always_inline int ct_state(struct __sk_buff *skb, struct pkt *p, __u8 *slot)
{
	struct bpf_sock_tuple t = {};
	struct bpf_ct_opts opts = { .netns_id = BPF_F_CURRENT_NETNS, .l4proto = p->key.proto };

	t.ipv4.saddr = p->key.saddr;
	t.ipv4.daddr = p->key.daddr;
	t.ipv4.sport = p->key.sport;
	t.ipv4.dport = p->key.dport;
	struct nf_conn *ct = bpf_skb_ct_lookup(skb, &t, sizeof(t.ipv4), &opts, sizeof(opts));
	if (!ct)
		return -1;
	int ret = 0;
	struct nf_conntrack_tuple *orig = &ct->tuplehash[0].tuple;
	__u32 mark = ct->mark & MARK_MASK;
	if (orig->src.u3.ip == p->key.saddr && orig->src.u.all == p->key.sport && mark >= WLB_MARK_BASE) {
		*slot = mark - WLB_MARK_BASE;
		ret = 1;
	}
	bpf_ct_release(ct);
	return ret;
}

static __always_inline void restore(struct __sk_buff *skb, __u8 slot, __u32 len)
{
	__u32 k = slot;
	struct wlb_counter *c = bpf_map_lookup_elem(&wlb_restores, &k);

	skb->mark = (skb->mark & ~MARK_MASK) | (WLB_MARK_BASE + slot);
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

SEC("tc")
int wlb_ingress(struct __sk_buff *skb)
{
	struct pkt p = {};
	__u32 zero = 0;

	if (!parse(skb, &p))
		return TC_ACT_UNSPEC;
	/* Multicast and limited broadcast are never forwarded (VRRP adverts, cluster heartbeats,
	 * DHCP): the router's own business, not flows to balance. */
	if ((p.daddr >> 28) == 0xe || p.daddr == 0xffffffff)
		return TC_ACT_UNSPEC;
	struct wlb_counter *tot = bpf_map_lookup_elem(&wlb_totals, &zero);
	if (tot) {
		tot->packets++;
		tot->bytes += p.len;
	}
	struct wlb_ctl *ctl = bpf_map_lookup_elem(&wlb_ctl, &zero);
	if (!ctl)
		return TC_ACT_UNSPEC;
	__u32 gen = ctl->gen & 1;
	__u64 now = 0; /* read only where needed: the established TCP/UDP path never pays for it */
	int established = 0;
	__u8 slot = 0;

	/* The flow table first: an assigned flow costs one lookup. */
	struct wlb_flow *flow = bpf_map_lookup_elem(&wlb_flows, &p.key);
	if (flow && !flow->per_packet) {
		slot = flow->slot;
		if (!p.ports) {
			/* Conntrack cannot be asked about these protocols: pinned while not idle. */
			now = bpf_ktime_get_ns();
			established = now - flow->last_ns < OTHER_IDLE_NS;
			if (established)
				flow->last_ns = now;
		} else if ((ctl->active >> (slot & 63)) & 1) {
			established = 1;
		} else {
			/* A FAILED uplink keeps its live connections (W-21); a stale entry does not. */
			__u8 ct_slot = 0;
			established = ct_state(skb, &p, &ct_slot) == 1 && ct_slot == slot;
		}
	} else if (!flow && p.ports) {
		int st = ct_state(skb, &p, &slot);
		if (st == 0)
			return TC_ACT_UNSPEC; /* a reply, or a connection that started unassigned (W-20) */
		if (st == 1) {
			/* Assigned before this flow table knew it (a restart, an eviction): learn it again. */
			struct wlb_flow nf = { .slot = slot, .last_ns = bpf_ktime_get_ns() };
			bpf_map_update_elem(&wlb_flows, &p.key, &nf, BPF_ANY);
			established = 1;
		}
	}
	if (established && !(ctl->flags[gen] & WLB_CTL_EST_WALK)) {
		restore(skb, slot, p.len);
		return TC_ACT_UNSPEC;
	}

	struct wlb_inbound_key ik = { .gen = gen, .ifindex = skb->ifindex };
	struct wlb_inbound *in = bpf_map_lookup_elem(&wlb_inbound, &ik);
	if (!in) {
		if (established)
			restore(skb, slot, p.len);
		return TC_ACT_UNSPEC;
	}
	if (!now)
		now = bpf_ktime_get_ns();
	struct walk w = {
		.skb = skb,
		.p = &p,
		.gen = gen,
		.nrules = ctl->nrules[gen],
		.established = established,
		.verdict = V_NONE,
		.now = now,
		.active = ctl->active,
	};
	__builtin_memcpy(w.mask, in->mask, sizeof(w.mask));
	bpf_loop(WLB_MAX_RULES, walk_rule, &w, 0);

	if (established && w.verdict != V_MARK) {
		restore(skb, slot, p.len);
		return TC_ACT_UNSPEC;
	}
	if (w.verdict == V_EXCLUDE) {
		count(w.rule, WLB_ENTRY_EXCLUDE, p.len);
		return TC_ACT_UNSPEC;
	}
	if (w.verdict != V_MARK)
		return TC_ACT_UNSPEC; /* no rule applies: the main table routes it (W-8) */
	set_mark(skb, w.slot);
	count(w.rule, w.slot, p.len);
	if (!established && !(flow && w.per_packet)) {
		struct wlb_flow nf = { .rule = w.rule, .slot = w.slot, .per_packet = w.per_packet, .last_ns = now };
		bpf_map_update_elem(&wlb_flows, &p.key, &nf, BPF_ANY);
	}
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
