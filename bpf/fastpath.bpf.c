// SPDX-License-Identifier: GPL-2.0
/* Forwarding fast path (docs/fast-path.md): tc ingress on the forwarding interfaces, after the
 * counters and the WAN balancer. A TCP or UDP packet of a connection conntrack holds as
 * established is translated as that entry says (NAT), routed with bpf_fib_lookup (policy rules
 * see the balancer's mark), its TTL decremented, and sent straight to the egress interface.
 * Conntrack stays the record: the program only reads entries and refreshes their timeouts. What
 * conntrack and routing said is kept per direction (fp_paths) and asked again every recheck_ms,
 * at once on SYN/FIN/RST, and whenever the mark changes. Anything else, or anything the program
 * is unsure of, goes on to the normal stack untouched. */
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
	__uint(max_entries, FP_PATHS_MAX);
	__type(key, struct fp_path_key);
	__type(value, struct fp_path);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fp_paths SEC(".maps");

/* Where a new fp_path is put together (too big for the stack next to the rest). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_path);
} fp_scratch SEC(".maps");

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

/* Whether the connection's packets may take the fast path; if so, fills in the translation
 * (the reverse of the other direction's tuple) and the connection's tuple. */
static __always_inline __u32 judge(struct nf_conn *ct, const struct fp_tuple *pk, struct fp_path *p)
{
	unsigned long status = ct->status;
	int v6 = pk->family == 6;

	if (!(status & IPS_CONFIRMED) || !(status & IPS_SEEN_REPLY) || (status & IPS_DYING))
		return FP_PASS_NOT_ESTABLISHED;
	if (status & (IPS_HELPER | IPS_SEQ_ADJUST))
		return FP_PASS_HELPER;
	/* NAT chosen but not yet set up: the stack finishes it. */
	if (((status & IPS_SRC_NAT) && !(status & IPS_SRC_NAT_DONE)) ||
	    ((status & IPS_DST_NAT) && !(status & IPS_DST_NAT_DONE)))
		return FP_PASS_NOT_ESTABLISHED;
	if (pk->proto == PROTO_TCP && ct->proto.tcp.state != TCP_CONNTRACK_ESTABLISHED)
		return FP_PASS_NOT_ESTABLISHED;
	/* A UDP stream becomes assured (longer timeout, safe from early drop) with the first packet
	 * after stream_ts: let the stack see that one, so the entry ends as it would without us. */
	if (pk->proto == PROTO_UDP && !(status & IPS_ASSURED) &&
	    (long)(bpf_jiffies64() - ct->proto.udp.stream_ts) > 0)
		return FP_PASS_NOT_ESTABLISHED;

	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	int dir = orig->src.u.all != pk->sport || orig->dst.u.all != pk->dport;
#pragma unroll
	for (int i = 0; i < 4; i++)
		if ((i == 0 || v6) && (orig->src.u3.all[i] != pk->saddr[i] || orig->dst.u3.all[i] != pk->daddr[i]))
			dir = 1;
	const struct nf_conntrack_tuple *other = dir ? orig : reply;
	p->dir = dir;
	p->sport = other->dst.u.all;
	p->dport = other->src.u.all;
	p->conn.family = pk->family;
	p->conn.proto = pk->proto;
	p->conn.sport = orig->src.u.all;
	p->conn.dport = orig->dst.u.all;
#pragma unroll
	for (int i = 0; i < 4; i++) {
		if (i > 0 && !v6)
			continue;
		p->saddr[i] = other->dst.u3.all[i];
		p->daddr[i] = other->src.u3.all[i];
		p->conn.saddr[i] = orig->src.u3.all[i];
		p->conn.daddr[i] = orig->dst.u3.all[i];
	}
	return FP_TAKEN;
}

static __always_inline __u32 fib_verdict(long rc)
{
	if (rc == BPF_FIB_LKUP_RET_SUCCESS)
		return FP_TAKEN;
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return FP_PASS_NO_NEIGH;
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return FP_PASS_MTU;
	return FP_PASS_NO_ROUTE;
}

/* Routed as the stack would: after destination NAT, before source NAT, with the balancer's
 * mark. Without ports: this kernel's lookup fails (-EAFNOSUPPORT) when dport is set, so ECMP
 * with an L4 hash policy is not followed here (docs/fast-path.md). */
static __always_inline __u32 route(struct __sk_buff *skb, const struct fp_tuple *pk, __u32 tos_or_flow,
				   struct fp_path *p)
{
	struct bpf_fib_lookup fib = { .ifindex = skb->ingress_ifindex };

	if (pk->family == 6) {
		fib.family = AF_INET6;
		fib.flowinfo = tos_or_flow;
		__builtin_memcpy(fib.ipv6_src, pk->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, p->daddr, 16);
	} else {
		fib.family = AF_INET;
		fib.tos = tos_or_flow;
		fib.ipv4_src = pk->saddr[0];
		fib.ipv4_dst = p->daddr[0];
	}
	fib.mark = skb->mark;
	__u32 why = fib_verdict(bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_MARK));
	if (why)
		return why;
	p->oif = fib.ifindex;
	p->mtu = fib.mtu_result;
	__builtin_memcpy(p->smac, fib.smac, ETH_ALEN);
	__builtin_memcpy(p->dmac, fib.dmac, ETH_ALEN);
	return FP_TAKEN;
}

/* The checksum changes of the translation, computed once per recheck. (IPv4 leaves words 1-3
 * zero on both sides.) */
static __always_inline void diffs(const struct fp_tuple *pk, struct fp_path *p)
{
	__u32 addr = 0, port = 0;

	for (int i = 0; i < 4; i++) {
		if (p->saddr[i] != pk->saddr[i])
			addr = csum_replace32(addr, pk->saddr[i], p->saddr[i]);
		if (p->daddr[i] != pk->daddr[i])
			addr = csum_replace32(addr, pk->daddr[i], p->daddr[i]);
	}
	if (p->sport != pk->sport)
		port = csum_replace32(port, pk->sport, p->sport);
	if (p->dport != pk->dport)
		port = csum_replace32(port, pk->dport, p->dport);
	p->addr_diff = addr;
	p->port_diff = port;
}

/* Asks conntrack and routing about the packet's direction and records the answer (a negative
 * one too, when conntrack knows the connection: its packets then go to the stack without asking
 * for recheck_ms). Returns the direction's record, or NULL with *why set. */
static __always_inline struct fp_path *recheck(struct __sk_buff *skb, const struct fp_path_key *key,
					       __u32 tos_or_flow, const struct fp_config *cfg, __u64 now,
					       struct fp_path *old, __u32 *why)
{
	const struct fp_tuple *pk = &key->t;
	struct bpf_sock_tuple t = {};
	__u32 tuple_sz;

	if (pk->family == 6) {
		__builtin_memcpy(t.ipv6.saddr, pk->saddr, 16);
		__builtin_memcpy(t.ipv6.daddr, pk->daddr, 16);
		t.ipv6.sport = pk->sport;
		t.ipv6.dport = pk->dport;
		tuple_sz = sizeof(t.ipv6);
	} else {
		t.ipv4.saddr = pk->saddr[0];
		t.ipv4.daddr = pk->daddr[0];
		t.ipv4.sport = pk->sport;
		t.ipv4.dport = pk->dport;
		tuple_sz = sizeof(t.ipv4);
	}
	struct bpf_ct_opts opts = { .netns_id = BPF_F_CURRENT_NETNS, .l4proto = pk->proto };
	struct nf_conn *ct = bpf_skb_ct_lookup(skb, &t, tuple_sz, &opts, sizeof(opts));
	if (!ct) {
		*why = FP_PASS_NO_CONNECTION;
		if (old) {
			old->verdict = FP_PASS_NO_CONNECTION;
			old->checked_ns = now;
		}
		return NULL;
	}
	__u32 zero = 0;
	struct fp_path *p = bpf_map_lookup_elem(&fp_scratch, &zero);
	if (!p) {
		bpf_ct_release(ct);
		*why = FP_PASS_NO_CONNECTION;
		return NULL;
	}
	__builtin_memset(p, 0, sizeof(*p));
	__u32 v = judge(ct, pk, p);
	if (!v)
		v = route(skb, pk, tos_or_flow, p);
	if (!v) {
		diffs(pk, p);
		/* Conntrack never sees these packets: push the entry's timeout out again, at most every
		 * refresh_ms, to what the kernel itself would give it. */
		__u64 refreshed = old ? old->refresh_ns : 0;
		if (cfg && now - refreshed >= (__u64)cfg->refresh_ms * NS_PER_MS) {
			__u32 ms = pk->proto == PROTO_TCP		  ? cfg->tcp_established_ms
				   : (ct->status & IPS_ASSURED) ? cfg->udp_stream_ms
								      : cfg->udp_ms;
			if (ms) {
				bpf_ct_change_timeout(ct, ms);
				refreshed = now;
			}
		}
		p->refresh_ns = refreshed;
	}
	bpf_ct_release(ct);
	p->verdict = v;
	p->mark = skb->mark;
	p->checked_ns = now;
	if (old) {
		p->packets = old->packets;
		p->bytes = old->bytes;
		p->last_ns = old->last_ns;
	}
	/* A whole new value: a reader on another CPU sees the old record or this one, never a mix. */
	bpf_map_update_elem(&fp_paths, key, p, BPF_ANY);
	*why = v;
	return v ? NULL : bpf_map_lookup_elem(&fp_paths, key);
}

/* SYN, FIN or RST: both directions go to the stack until conntrack is asked again, so it sees
 * every packet of the handshake or teardown. */
static __always_inline void forget(const struct fp_path_key *key, __u64 now)
{
	struct fp_path *p = bpf_map_lookup_elem(&fp_paths, key);

	if (!p)
		return;
	p->verdict = FP_PASS_NOT_ESTABLISHED;
	p->checked_ns = now;
	struct fp_path_key back = { .ifindex = p->oif };
	back.t.family = key->t.family;
	back.t.proto = key->t.proto;
	back.t.sport = p->dport;
	back.t.dport = p->sport;
	__builtin_memcpy(back.t.saddr, p->daddr, 16);
	__builtin_memcpy(back.t.daddr, p->saddr, 16);
	struct fp_path *r = bpf_map_lookup_elem(&fp_paths, &back);
	if (r) {
		r->verdict = FP_PASS_NOT_ESTABLISHED;
		r->checked_ns = now;
	}
}

struct l4 {
	__be16 sport;
	__be16 dport;
	__u32 csum_off; /* offset of the TCP/UDP checksum from the start of the frame */
	__u8 ctl;       /* TCP SYN, FIN or RST */
};

/* Reads ports and flags; 0 when the packet is TCP or UDP with its ports. */
static __always_inline __u32 parse_l4(void *data, void *data_end, __u32 off, __u8 proto, struct l4 *l)
{
	if (proto == PROTO_TCP) {
		struct tcphdr *th = data + off;
		if ((void *)(th + 1) > data_end)
			return FP_PASS_MALFORMED;
		l->ctl = ((__u8 *)th)[13] & TCP_SYN_FIN_RST;
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

/* The recorded answer for the packet's direction, asking again when it is stale; NULL with
 * *why set when the packet goes to the stack. */
static __always_inline struct fp_path *lookup_path(struct __sk_buff *skb, const struct fp_path_key *key,
						   const struct l4 *l, __u32 tos_or_flow, __u32 len, __u32 *why)
{
	__u32 zero = 0;
	struct fp_config *cfg = bpf_map_lookup_elem(&fp_config, &zero);
	__u64 now = bpf_ktime_get_ns();

	if (l->ctl) {
		forget(key, now);
		*why = FP_PASS_TCP_FLAGS;
		return NULL;
	}
	struct fp_path *p = bpf_map_lookup_elem(&fp_paths, key);
	__u64 recheck_ns = cfg ? (__u64)cfg->recheck_ms * NS_PER_MS : 0;
	if (!p || now - p->checked_ns >= recheck_ns || p->mark != skb->mark)
		p = recheck(skb, key, tos_or_flow, cfg, now, p, why);
	else if (p->verdict) {
		*why = p->verdict;
		return NULL;
	}
	if (!p)
		return NULL;
	/* Larger than the egress MTU: the stack fragments it or answers "too big". */
	if (skb->gso_segs > 1 ? bpf_check_mtu(skb, p->oif, &(__u32){ 0 }, 0, BPF_MTU_CHK_SEGS) : len > p->mtu) {
		*why = FP_PASS_MTU;
		return NULL;
	}
	p->packets++;
	p->bytes += len;
	p->last_ns = now;
	return p;
}

/* The L4 checksum: pseudo-header (addresses) and port changes. The helpers know whether the
 * field is a full checksum or a CHECKSUM_PARTIAL seed, and leave a zero UDP checksum alone. */
static __always_inline int fix_l4_csum(struct __sk_buff *skb, __u32 csum_off, __u8 proto, const struct fp_path *p)
{
	__u64 mangled0 = proto == PROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (p->addr_diff && bpf_l4_csum_replace(skb, csum_off, 0, p->addr_diff, BPF_F_PSEUDO_HDR | mangled0))
		return -1;
	if (p->port_diff && bpf_l4_csum_replace(skb, csum_off, 0, p->port_diff, mangled0))
		return -1;
	return 0;
}

/* Last step for both families, once the IP header is rewritten: ports, MACs, out. */
static __always_inline int send(struct __sk_buff *skb, __u32 l4_off, const struct fp_path *p, __u32 len)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__be16 *ports = data + l4_off;

	if ((void *)(ports + 2) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	ports[0] = p->sport;
	ports[1] = p->dport;
	__builtin_memcpy(eth->h_dest, p->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, p->smac, ETH_ALEN);
	pass(FP_TAKEN, len);
	return bpf_redirect(p->oif, 0);
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
	struct fp_path_key key = { .ifindex = skb->ingress_ifindex };
	key.t.family = 4;
	key.t.proto = proto;
	key.t.sport = l.sport;
	key.t.dport = l.dport;
	key.t.saddr[0] = ip->saddr;
	key.t.daddr[0] = ip->daddr;
	struct fp_path *p = lookup_path(skb, &key, &l, ip->tos, len, &why);
	if (!p)
		return pass(why, len);
	if (fix_l4_csum(skb, l.csum_off, proto, p))
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
	if (p->addr_diff)
		sum = csum_add(sum, bpf_ntohs(csum_fold(p->addr_diff)));
	ip->check = bpf_htons(~csum_fold(sum) & 0xffff);
	ip->saddr = p->saddr[0];
	ip->daddr = p->daddr[0];
	return send(skb, ETH_HLEN + sizeof(*ip), p, len);
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
	struct fp_path_key key = { .ifindex = skb->ingress_ifindex };
	key.t.family = 6;
	key.t.proto = proto;
	key.t.sport = l.sport;
	key.t.dport = l.dport;
	__builtin_memcpy(key.t.saddr, &ip6->saddr, 16);
	__builtin_memcpy(key.t.daddr, &ip6->daddr, 16);
	struct fp_path *p = lookup_path(skb, &key, &l, *(__be32 *)ip6 & bpf_htonl(0x0FFFFFFF), len, &why);
	if (!p)
		return pass(why, len);
	if (fix_l4_csum(skb, l.csum_off, proto, p))
		return pass(FP_PASS_CHECKSUM, len);

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	ip6 = data + ETH_HLEN;
	if ((void *)(ip6 + 1) > data_end)
		return pass(FP_PASS_MALFORMED, len);
	ip6->hop_limit--;
	__builtin_memcpy(&ip6->saddr, p->saddr, 16);
	__builtin_memcpy(&ip6->daddr, p->daddr, 16);
	return send(skb, ETH_HLEN + sizeof(*ip6), p, len);
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
