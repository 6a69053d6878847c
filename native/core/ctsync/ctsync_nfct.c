#include "ctsync_nfct.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <string.h>

int cts_from_nfct(const struct nf_conntrack *ct, struct cts_entry *e)
{
	memset(e, 0, sizeof(*e));
	uint8_t l3 = nfct_get_attr_u8(ct, ATTR_L3PROTO);
	if (l3 == AF_INET) {
		e->family = 4;
		memcpy(e->src, nfct_get_attr(ct, ATTR_ORIG_IPV4_SRC), 4);
		memcpy(e->dst, nfct_get_attr(ct, ATTR_ORIG_IPV4_DST), 4);
		e->present |= 1ull << CTS_A_IPV4;
	} else if (l3 == AF_INET6) {
		e->family = 6;
		memcpy(e->src, nfct_get_attr(ct, ATTR_ORIG_IPV6_SRC), 16);
		memcpy(e->dst, nfct_get_attr(ct, ATTR_ORIG_IPV6_DST), 16);
		e->present |= 1ull << CTS_A_IPV6;
	} else {
		return -1;
	}
	e->l4proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	e->present |= 1ull << CTS_A_L4PROTO;
	if (nfct_attr_is_set(ct, ATTR_ORIG_PORT_SRC)) {
		e->sport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC));
		e->dport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
		e->present |= 1ull << CTS_A_PORT;
	}
	if (e->l4proto == IPPROTO_TCP && nfct_attr_is_set(ct, ATTR_TCP_STATE)) {
		e->tcp_state = nfct_get_attr_u8(ct, ATTR_TCP_STATE);
		e->present |= 1ull << CTS_A_TCP_STATE;
	}
	if ((e->l4proto == IPPROTO_ICMP || e->l4proto == IPPROTO_ICMPV6) && nfct_attr_is_set(ct, ATTR_ICMP_TYPE)) {
		e->icmp_type = nfct_get_attr_u8(ct, ATTR_ICMP_TYPE);
		e->icmp_code = nfct_get_attr_u8(ct, ATTR_ICMP_CODE);
		e->icmp_id = ntohs(nfct_get_attr_u16(ct, ATTR_ICMP_ID));
		e->present |= 1ull << CTS_A_ICMP_TYPE | 1ull << CTS_A_ICMP_CODE | 1ull << CTS_A_ICMP_ID;
	}
	if (nfct_attr_is_set(ct, ATTR_STATUS)) {
		e->status = nfct_get_attr_u32(ct, ATTR_STATUS);
		e->present |= 1ull << CTS_A_STATUS;
	}
	if (nfct_attr_is_set(ct, ATTR_TIMEOUT)) {
		e->timeout = nfct_get_attr_u32(ct, ATTR_TIMEOUT);
		e->present |= 1ull << CTS_A_TIMEOUT;
	}
	if (nfct_attr_is_set(ct, ATTR_MARK)) {
		e->mark = nfct_get_attr_u32(ct, ATTR_MARK);
		e->present |= 1ull << CTS_A_MARK;
	}
	if (nfct_attr_is_set(ct, ATTR_ZONE) && nfct_get_attr_u16(ct, ATTR_ZONE)) {
		e->zone = nfct_get_attr_u16(ct, ATTR_ZONE);
		e->present |= 1ull << CTS_A_ZONE;
	}
	/* NAT, as the reply tuple shows it (IPv4, as conntrackd syncs it). */
	if (e->family == 4) {
		if (nfct_getobjopt(ct, NFCT_GOPT_IS_SNAT)) {
			uint32_t a = nfct_get_attr_u32(ct, ATTR_REPL_IPV4_DST);
			memcpy(e->snat_ipv4, &a, 4);
			e->present |= 1ull << CTS_A_SNAT_IPV4;
		}
		if (nfct_getobjopt(ct, NFCT_GOPT_IS_DNAT)) {
			uint32_t a = nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC);
			memcpy(e->dnat_ipv4, &a, 4);
			e->present |= 1ull << CTS_A_DNAT_IPV4;
		}
		if (nfct_getobjopt(ct, NFCT_GOPT_IS_SPAT)) {
			e->spat_port = ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
			e->present |= 1ull << CTS_A_SPAT_PORT;
		}
		if (nfct_getobjopt(ct, NFCT_GOPT_IS_DPAT)) {
			e->dpat_port = ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC));
			e->present |= 1ull << CTS_A_DPAT_PORT;
		}
	}
	return 0;
}

/* One direction's tuple as a kernel entry's original tuple. */
static void set_tuple(struct nf_conntrack *ct, const struct cts_entry *e, const uint8_t *src, const uint8_t *dst,
		      uint16_t sport, uint16_t dport, uint8_t icmp_type)
{
	if (e->family == 4) {
		nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
		nfct_set_attr(ct, ATTR_ORIG_IPV4_SRC, src);
		nfct_set_attr(ct, ATTR_ORIG_IPV4_DST, dst);
	} else {
		nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET6);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, src);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, dst);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, e->l4proto);
	if (CTS_HAS(e, CTS_A_PORT)) {
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(dport));
	}
	if (CTS_HAS(e, CTS_A_ICMP_TYPE)) {
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, icmp_type);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, e->icmp_code);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(e->icmp_id));
	}
	if (CTS_HAS(e, CTS_A_ZONE))
		nfct_set_attr_u16(ct, ATTR_ZONE, e->zone);
}

/* The answer to a tracked ICMP query type, or -1 (only queries are tracked as connections). */
static int icmp_answer(uint8_t l4proto, uint8_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 17, 18 } };
	if (l4proto == IPPROTO_ICMPV6)
		return type == 128 ? 129 : type == 129 ? 128 : -1;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		if (type == v4[i][0] || type == v4[i][1])
			return type == v4[i][0] ? v4[i][1] : v4[i][0];
	return -1;
}

struct nf_conntrack *cts_tuple_nfct(const struct cts_entry *e, int reply)
{
	const uint8_t *src = e->src, *dst = e->dst;
	uint16_t sport = e->sport, dport = e->dport;
	int icmp_type = e->icmp_type;
	if (reply) {
		/* The kernel's reply tuple: the original inverted, with the NAT bindings applied. */
		int v4 = e->family == 4;
		src = v4 && CTS_HAS(e, CTS_A_DNAT_IPV4) ? e->dnat_ipv4 : e->dst;
		dst = v4 && CTS_HAS(e, CTS_A_SNAT_IPV4) ? e->snat_ipv4 : e->src;
		sport = CTS_HAS(e, CTS_A_DPAT_PORT) ? e->dpat_port : e->dport;
		dport = CTS_HAS(e, CTS_A_SPAT_PORT) ? e->spat_port : e->sport;
		if (CTS_HAS(e, CTS_A_ICMP_TYPE) && (icmp_type = icmp_answer(e->l4proto, e->icmp_type)) < 0)
			return NULL;
	}
	struct nf_conntrack *ct = nfct_new();
	if (ct)
		set_tuple(ct, e, src, dst, sport, dport, (uint8_t)icmp_type);
	return ct;
}

struct nf_conntrack *cts_to_nfct(const struct cts_entry *e, uint32_t default_timeout)
{
	struct nf_conntrack *ct = nfct_new();
	if (!ct)
		return NULL;
	set_tuple(ct, e, e->src, e->dst, e->sport, e->dport, e->icmp_type);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	if (CTS_HAS(e, CTS_A_SNAT_IPV4)) {
		uint32_t a;
		memcpy(&a, e->snat_ipv4, 4);
		nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, a);
	}
	if (CTS_HAS(e, CTS_A_DNAT_IPV4)) {
		uint32_t a;
		memcpy(&a, e->dnat_ipv4, 4);
		nfct_set_attr_u32(ct, ATTR_DNAT_IPV4, a);
	}
	if (CTS_HAS(e, CTS_A_SPAT_PORT))
		nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(e->spat_port));
	if (CTS_HAS(e, CTS_A_DPAT_PORT))
		nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(e->dpat_port));
	if (e->l4proto == IPPROTO_TCP && CTS_HAS(e, CTS_A_TCP_STATE)) {
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, e->tcp_state);
		/* This router never saw the handshake: track the window liberally from here on. */
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, IP_CT_TCP_FLAG_BE_LIBERAL);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, IP_CT_TCP_FLAG_BE_LIBERAL);
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, IP_CT_TCP_FLAG_BE_LIBERAL);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, IP_CT_TCP_FLAG_BE_LIBERAL);
	}
	/* Only the bits a user may set; NAT bits follow from the bindings above. */
	uint32_t status = (CTS_HAS(e, CTS_A_STATUS) ? e->status : 0) & (IPS_ASSURED | IPS_SEEN_REPLY);
	nfct_set_attr_u32(ct, ATTR_STATUS, status | IPS_CONFIRMED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, CTS_HAS(e, CTS_A_TIMEOUT) && e->timeout ? e->timeout : default_timeout);
	if (CTS_HAS(e, CTS_A_MARK))
		nfct_set_attr_u32(ct, ATTR_MARK, e->mark);
	return ct;
}
