// SPDX-License-Identifier: GPL-2.0
/* Forwarding fast path (docs/fast-path.md): tc ingress on the forwarding interfaces, after the
 * counters and the WAN balancer. A TCP or UDP packet of a connection conntrack holds as
 * established is translated as that entry says (NAT), routed with bpf_fib_lookup (policy rules
 * see the balancer's mark), its TTL decremented, and sent straight to the egress interface.
 * Conntrack stays the record: the program only reads entries and refreshes their timeouts.
 * Anything else, or anything the program is unsure of, goes on to the normal stack untouched. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "fastpath.h"

#define TC_ACT_UNSPEC (-1)
#define ETH_HLEN 14
#define ETH_ALEN 6
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define PACKET_HOST 0
#define AF_INET 2
#define AF_INET6 10
#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_SYN_FIN_RST 0x07 /* in the flags byte */
#define NS_PER_MS 1000000ull

extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *skb, struct bpf_sock_tuple *tuple, u32 tuple__sz,
					 struct bpf_ct_opts *opts, u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;
extern int bpf_ct_change_timeout(struct nf_conn *nfct, u32 timeout) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fp_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_REASONS);
	__type(key, __u32);
	__type(value, struct fp_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fp_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FP_FLOWS_MAX);
	__type(key, struct fp_flow_key);
	__type(value, struct fp_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fp_flows SEC(".maps");

static __always_inline int pass(__u32 reason, __u32 len)
{
	struct fp_counter *c = bpf_map_lookup_elem(&fp_stats, &reason);

	if (c) {
		c->packets++;
		c->bytes += len;
	}
	return TC_ACT_UNSPEC;
}

/* One's-complement arithmetic for incremental checksum updates (RFC 1624). */
static __always_inline __u32 csum_add(__u32 a, __u32 b)
{
	a += b;
	return a + (a < b);
}

static __always_inline __u32 csum_replace32(__u32 sum, __u32 from, __u32 to)
{
	return csum_add(csum_add(sum, ~from), to);
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* What the packet becomes: the reverse of the other direction's tuple. */
struct xlate {
	__be32 saddr[4];
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
	int dir; /* 0 original, 1 reply */
};

/* Decides from the entry whether its packets may take the fast path and fills in the
 * translation; refreshes the timeout. Returns FP_TAKEN or the reason to pass. */
static __always_inline __u32 judge(struct nf_conn *ct, const struct fp_flow_key *pk, int v6, struct xlate *x,
				   struct fp_flow_key *fk, __u8 proto)
{
	unsigned long status = ct->status;

	if (!(status & IPS_CONFIRMED) || !(status & IPS_SEEN_REPLY) || (status & IPS_DYING))
		return FP_PASS_NOT_ESTABLISHED;
	if (status & (IPS_HELPER | IPS_SEQ_ADJUST))
		return FP_PASS_HELPER;
	/* NAT chosen but not yet set up: the stack finishes it. */
	if (((status & IPS_SRC_NAT) && !(status & IPS_SRC_NAT_DONE)) ||
	    ((status & IPS_DST_NAT) && !(status & IPS_DST_NAT_DONE)))
		return FP_PASS_NOT_ESTABLISHED;
	if (proto == PROTO_TCP && ct->proto.tcp.state != TCP_CONNTRACK_ESTABLISHED)
		return FP_PASS_NOT_ESTABLISHED;
	/* A UDP stream becomes assured (longer timeout, safe from early drop) with the first packet
	 * after stream_ts: let the stack see that one, so the entry ends as it would without us. */
	if (proto == PROTO_UDP && !(status & IPS_ASSURED) && (long)(bpf_jiffies64() - ct->proto.udp.stream_ts) > 0)
		return FP_PASS_NOT_ESTABLISHED;

	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	int dir = orig->src.u.all != pk->sport || orig->dst.u.all != pk->dport;
	if (!dir) {
		if (v6) {
#pragma unroll
			for (int i = 0; i < 4; i++)
				if (orig->src.u3.all[i] != pk->saddr[i] || orig->dst.u3.all[i] != pk->daddr[i])
					dir = 1;
		} else {
			dir = orig->src.u3.ip != pk->saddr[0] || orig->dst.u3.ip != pk->daddr[0];
		}
	}
	const struct nf_conntrack_tuple *other = dir ? orig : reply;
	x->dir = dir;
	x->sport = other->dst.u.all;
	x->dport = other->src.u.all;
	fk->family = v6 ? 6 : 4;
	fk->proto = proto;
	fk->sport = orig->src.u.all;
	fk->dport = orig->dst.u.all;
	if (v6) {
		for (int i = 0; i < 4; i++) {
			x->saddr[i] = other->dst.u3.all[i];
			x->daddr[i] = other->src.u3.all[i];
			fk->saddr[i] = orig->src.u3.all[i];
			fk->daddr[i] = orig->dst.u3.all[i];
		}
	} else {
		x->saddr[0] = other->dst.u3.ip;
		x->daddr[0] = other->src.u3.ip;
		fk->saddr[0] = orig->src.u3.ip;
		fk->daddr[0] = orig->dst.u3.ip;
	}
	return FP_TAKEN;
}

/* Counts the packet on its connection and, at most every refresh_ms, pushes the entry's timeout
 * out again: conntrack never sees these packets, so it would expire a busy connection. */
static __always_inline void account(struct nf_conn *ct, const struct fp_flow_key *fk, int dir, __u32 len,
				    __u8 proto)
{
	__u32 zero = 0;
	struct fp_config *cfg = bpf_map_lookup_elem(&fp_config, &zero);
	__u64 now = bpf_ktime_get_ns();
	struct fp_flow *f = bpf_map_lookup_elem(&fp_flows, fk);

	if (!f) {
		struct fp_flow init = {};
		bpf_map_update_elem(&fp_flows, fk, &init, BPF_NOEXIST);
		f = bpf_map_lookup_elem(&fp_flows, fk);
		if (!f)
			return;
	}
	dir &= 1;
	__sync_fetch_and_add(&f->packets[dir], 1);
	__sync_fetch_and_add(&f->bytes[dir], len);
	f->last_ns = now;
	if (!cfg || now - f->refresh_ns < cfg->refresh_ms * NS_PER_MS)
		return;
	__u32 ms = proto == PROTO_TCP		      ? cfg->tcp_established_ms
		   : (ct->status & IPS_ASSURED) ? cfg->udp_stream_ms
						      : cfg->udp_ms;
	if (ms) {
		bpf_ct_change_timeout(ct, ms);
		f->refresh_ns = now;
	}
}

struct l4 {
	__be16 sport;
	__be16 dport;
	__u32 csum_off; /* offset of the TCP/UDP checksum from the start of the frame */
};

/* Reads ports and flags; 0 when they are there and the packet may go on. */
static __always_inline __u32 parse_l4(void *data, void *data_end, __u32 off, __u8 proto, struct l4 *l)
{
	if (proto == PROTO_TCP) {
		struct tcphdr *th = data + off;
		if ((void *)(th + 1) > data_end)
			return FP_PASS_MALFORMED;
		if (((__u8 *)th)[13] & TCP_SYN_FIN_RST)
			return FP_PASS_TCP_FLAGS;
		l->sport = th->source;
		l->dport = th->dest;
		l->csum_off = off + offsetof(struct tcphdr, check);
		return 0;
	}
	if (proto == PROTO_UDP) {
		struct udphdr *uh = data + off;
		if ((void *)(uh + 1) > data_end)
			return FP_PASS_MALFORMED;
		l->sport = uh->source;
		l->dport = uh->dest;
		l->csum_off = off + offsetof(struct udphdr, check);
		return 0;
	}
	return FP_PASS_PROTOCOL;
}

/* The L4 checksum: pseudo-header (addresses) and port changes. The helpers know whether the
 * field is a full checksum or a CHECKSUM_PARTIAL seed, and leave a zero UDP checksum alone. */
static __always_inline int fix_l4_csum(struct __sk_buff *skb, __u32 csum_off, __u8 proto, __u32 addr_diff,
				       __u32 port_diff)
{
	__u64 mangled0 = proto == PROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (addr_diff && bpf_l4_csum_replace(skb, csum_off, 0, addr_diff, BPF_F_PSEUDO_HDR | mangled0))
		return -1;
	if (port_diff && bpf_l4_csum_replace(skb, csum_off, 0, port_diff, mangled0))
		return -1;
	return 0;
}

static __always_inline int fib_verdict(long rc)
{
	if (rc == BPF_FIB_LKUP_RET_SUCCESS)
		return FP_TAKEN;
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return FP_PASS_NO_NEIGH;
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return FP_PASS_MTU;
	return FP_PASS_NO_ROUTE;
}

/* The part both families share once the headers are read: the connection must qualify, routing
 * must give a resolved next hop. On FP_TAKEN, x and fib hold the translation and the egress. */
static __always_inline __u32 decide(struct __sk_buff *skb, struct bpf_sock_tuple *t, __u32 tuple_sz,
				    const struct fp_flow_key *pk, int v6, __u8 proto, struct xlate *x,
				    struct bpf_fib_lookup *fib, __u32 len)
{
	struct bpf_ct_opts opts = { .netns_id = BPF_F_CURRENT_NETNS, .l4proto = proto };
	struct nf_conn *ct = bpf_skb_ct_lookup(skb, t, tuple_sz, &opts, sizeof(opts));
	if (!ct)
		return FP_PASS_NO_CONNECTION;
	struct fp_flow_key fk = {};
	__u32 why = judge(ct, pk, v6, x, &fk, proto);
	if (!why) {
		/* Routed as the stack would: after destination NAT, before source NAT, with the
		 * balancer's mark. Without ports: this kernel's lookup fails (-EAFNOSUPPORT) when
		 * dport is set, so ECMP with an L4 hash policy is not followed (docs/fast-path.md). */
		fib->ifindex = skb->ingress_ifindex;
		fib->mark = skb->mark;
		if (v6) {
			__builtin_memcpy(fib->ipv6_src, pk->saddr, 16);
			__builtin_memcpy(fib->ipv6_dst, x->daddr, 16);
		} else {
			fib->ipv4_src = pk->saddr[0];
			fib->ipv4_dst = x->daddr[0];
		}
		why = fib_verdict(bpf_fib_lookup(skb, fib, sizeof(*fib), BPF_FIB_LOOKUP_MARK));
	}
	if (!why)
		account(ct, &fk, x->dir, len, proto);
	bpf_ct_release(ct);
	return why;
}

/* The L4 checksum for the new addresses and ports; returns the address part of the change
 * (IPv4 also needs it in the header checksum), or -1 when a helper failed. */
static __always_inline long l4_rewrite(struct __sk_buff *skb, const struct l4 *l, __u8 proto,
				       const struct fp_flow_key *pk, const struct xlate *x, int words)
{
	__u32 addr_diff = 0, port_diff = 0;

#pragma unroll
	for (int i = 0; i < 4; i++) {
		if (i >= words)
			break;
		if (x->saddr[i] != pk->saddr[i])
			addr_diff = csum_replace32(addr_diff, pk->saddr[i], x->saddr[i]);
		if (x->daddr[i] != pk->daddr[i])
			addr_diff = csum_replace32(addr_diff, pk->daddr[i], x->daddr[i]);
	}
	if (x->sport != pk->sport)
		port_diff = csum_replace32(port_diff, pk->sport, x->sport);
	if (x->dport != pk->dport)
		port_diff = csum_replace32(port_diff, pk->dport, x->dport);
	if ((addr_diff || port_diff) && fix_l4_csum(skb, l->csum_off, proto, addr_diff, port_diff))
		return -1;
	return addr_diff;
}

/* Last step for both families, once the IP header is rewritten: ports, MACs, out. */
static __always_inline int send(struct __sk_buff *skb, __u32 l4_off, const struct xlate *x,
				const struct bpf_fib_lookup *fib, __u32 len)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__be16 *ports = data + l4_off;

	if ((void *)(ports + 2) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	ports[0] = x->sport;
	ports[1] = x->dport;
	__builtin_memcpy(eth->h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib->smac, ETH_ALEN);
	pass(FP_TAKEN, len);
	return bpf_redirect(fib->ifindex, 0);
}

static __always_inline int forward4(struct __sk_buff *skb, __u32 len)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + ETH_HLEN;

	if ((void *)(ip + 1) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	if (ip->ihl != 5)
		return pass(FP_PASS_IP_OPTIONS, len);
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return pass(FP_PASS_FRAGMENT, len);
	if (ip->ttl <= 1)
		return pass(FP_PASS_TTL, len);
	__u8 proto = ip->protocol;
	struct l4 l = {};
	__u32 why = parse_l4(data, data_end, ETH_HLEN + sizeof(*ip), proto, &l);
	if (why)
		return pass(why, len);

	struct fp_flow_key pk = { .sport = l.sport, .dport = l.dport };
	pk.saddr[0] = ip->saddr;
	pk.daddr[0] = ip->daddr;
	struct bpf_sock_tuple t = {};
	t.ipv4.saddr = ip->saddr;
	t.ipv4.daddr = ip->daddr;
	t.ipv4.sport = l.sport;
	t.ipv4.dport = l.dport;
	struct xlate x = {};
	struct bpf_fib_lookup fib = { .family = AF_INET, .tos = ip->tos };
	why = decide(skb, &t, sizeof(t.ipv4), &pk, 0, proto, &x, &fib, len);
	if (why)
		return pass(why, len);
	long addr_diff = l4_rewrite(skb, &l, proto, &pk, &x, 1);
	if (addr_diff < 0)
		return pass(FP_PASS_CHECKSUM, len);

	/* The helpers may have moved the data: look again. */
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip = data + ETH_HLEN;
	if ((void *)(ip + 1) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	/* The IPv4 header checksum is always complete: update it in place (addresses and TTL). */
	__u32 sum = ~(__u32)bpf_ntohs(ip->check) & 0xffff;
	__u32 ttl_old = bpf_ntohs(*(__be16 *)&ip->ttl);
	ip->ttl--;
	__u32 ttl_new = bpf_ntohs(*(__be16 *)&ip->ttl);
	sum = csum_add(sum, (~ttl_old & 0xffff) + ttl_new);
	if (addr_diff)
		sum = csum_add(sum, bpf_ntohs(csum_fold((__u32)addr_diff)));
	ip->check = bpf_htons(~csum_fold(sum) & 0xffff);
	ip->saddr = x.saddr[0];
	ip->daddr = x.daddr[0];
	return send(skb, ETH_HLEN + sizeof(*ip), &x, &fib, len);
}

static __always_inline int forward6(struct __sk_buff *skb, __u32 len)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ipv6hdr *ip6 = data + ETH_HLEN;

	if ((void *)(ip6 + 1) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	if (ip6->hop_limit <= 1)
		return pass(FP_PASS_TTL, len);
	__u8 proto = ip6->nexthdr;
	if (proto != PROTO_TCP && proto != PROTO_UDP) {
		/* Extension headers (fragments among them) are the stack's; so is ICMPv6. */
		return pass(proto == 58 ? FP_PASS_PROTOCOL : FP_PASS_IP_OPTIONS, len);
	}
	struct l4 l = {};
	__u32 why = parse_l4(data, data_end, ETH_HLEN + sizeof(*ip6), proto, &l);
	if (why)
		return pass(why, len);

	struct fp_flow_key pk = { .sport = l.sport, .dport = l.dport };
	struct bpf_sock_tuple t = {};
	__builtin_memcpy(pk.saddr, &ip6->saddr, 16);
	__builtin_memcpy(pk.daddr, &ip6->daddr, 16);
	__builtin_memcpy(t.ipv6.saddr, pk.saddr, 16);
	__builtin_memcpy(t.ipv6.daddr, pk.daddr, 16);
	t.ipv6.sport = l.sport;
	t.ipv6.dport = l.dport;
	struct xlate x = {};
	struct bpf_fib_lookup fib = { .family = AF_INET6, .flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0FFFFFFF) };
	why = decide(skb, &t, sizeof(t.ipv6), &pk, 1, proto, &x, &fib, len);
	if (why)
		return pass(why, len);
	if (l4_rewrite(skb, &l, proto, &pk, &x, 4) < 0)
		return pass(FP_PASS_CHECKSUM, len);

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip6 = data + ETH_HLEN;
	if ((void *)(ip6 + 1) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	ip6->hop_limit--;
	__builtin_memcpy(&ip6->saddr, x.saddr, 16);
	__builtin_memcpy(&ip6->daddr, x.daddr, 16);
	return send(skb, ETH_HLEN + sizeof(*ip6), &x, &fib, len);
}

SEC("tc")
int fp_ingress(struct __sk_buff *skb)
{
	/* Bytes as conntrack and nftables count them: from the IP header on. */
	__u32 len = skb->len > ETH_HLEN ? skb->len - ETH_HLEN : 0;

	if (skb->pkt_type != PACKET_HOST)
		return pass(FP_PASS_NOT_FOR_US, len);
	if (skb->protocol == bpf_htons(ETH_P_IP))
		return forward4(skb, len);
	if (skb->protocol == bpf_htons(ETH_P_IPV6))
		return forward6(skb, len);
	return pass(FP_PASS_NOT_IP, len);
}

char LICENSE[] SEC("license") = "GPL";
