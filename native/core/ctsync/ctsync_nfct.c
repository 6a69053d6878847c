#include "ctsync_nfct.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <string.h>

/* A kernel object's original tuple: 1 with ports, 0 without, -1 for a family we skip. */
static int tuple_from(const struct nf_conntrack *ct, struct cts_tuple *t)
{
	uint8_t l3 = nfct_get_attr_u8(ct, ATTR_L3PROTO);
	if (l3 == AF_INET) {
		t->family = 4;
		memcpy(t->src, nfct_get_attr(ct, ATTR_ORIG_IPV4_SRC), 4);
		memcpy(t->dst, nfct_get_attr(ct, ATTR_ORIG_IPV4_DST), 4);
	} else if (l3 == AF_INET6) {
		t->family = 6;
		memcpy(t->src, nfct_get_attr(ct, ATTR_ORIG_IPV6_SRC), 16);
		memcpy(t->dst, nfct_get_attr(ct, ATTR_ORIG_IPV6_DST), 16);
	} else {
		return -1;
	}
	t->l4proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	if (!nfct_attr_is_set(ct, ATTR_ORIG_PORT_SRC))
		return 0;
	t->sport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC));
	t->dport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
	return 1;
}

int cts_from_nfct(const struct nf_conntrack *ct, struct cts_entry *e)
{
	memset(e, 0, sizeof(*e));
	struct cts_tuple t = { 0 };
	int ports = tuple_from(ct, &t);
	if (ports < 0)
		return -1;
	e->family = t.family;
	e->l4proto = t.l4proto;
	memcpy(e->src, t.src, sizeof(e->src));
	memcpy(e->dst, t.dst, sizeof(e->dst));
	e->sport = t.sport;
	e->dport = t.dport;
	e->present |= 1ull << (t.family == 6 ? CTS_A_IPV6 : CTS_A_IPV4) | 1ull << CTS_A_L4PROTO;
	if (ports)
		e->present |= 1ull << CTS_A_PORT;
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
	/* The helper follows the connection: its expectations need it on the new active router. */
	const char *helper = nfct_attr_is_set(ct, ATTR_HELPER_NAME) ? nfct_get_attr(ct, ATTR_HELPER_NAME) : NULL;
	if (helper && *helper) {
		strncpy(e->helper, helper, sizeof(e->helper) - 1);
		e->present |= 1ull << CTS_A_HELPER_NAME;
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

/* A tuple as a kernel object's original tuple (addresses of the family's size at src, dst). */
static void put_tuple(struct nf_conntrack *ct, uint8_t family, uint8_t l4proto, const uint8_t *src,
		      const uint8_t *dst, int ports, uint16_t sport, uint16_t dport)
{
	nfct_set_attr_u8(ct, ATTR_L3PROTO, family == 6 ? AF_INET6 : AF_INET);
	nfct_set_attr(ct, family == 6 ? ATTR_ORIG_IPV6_SRC : ATTR_ORIG_IPV4_SRC, src);
	nfct_set_attr(ct, family == 6 ? ATTR_ORIG_IPV6_DST : ATTR_ORIG_IPV4_DST, dst);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, l4proto);
	if (ports) {
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(dport));
	}
}

/* One direction of a connection as a kernel entry's original tuple, with its ICMP id and zone. */
static void set_tuple(struct nf_conntrack *ct, const struct cts_entry *e, const uint8_t *src, const uint8_t *dst,
		      uint16_t sport, uint16_t dport, uint8_t icmp_type)
{
	put_tuple(ct, e->family, e->l4proto, src, dst, CTS_HAS(e, CTS_A_PORT), sport, dport);
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
	if (CTS_HAS(e, CTS_A_HELPER_NAME) && e->helper[0])
		nfct_set_attr(ct, ATTR_HELPER_NAME, e->helper);
	return ct;
}

/* ---- expectations ------------------------------------------------------------------------ */

/* Sets the attribute bits of one tuple read from the kernel. */
static void tuple_present(struct cts_exp *x, const struct cts_tuple *t, int ports, unsigned v4, unsigned v6,
			  unsigned proto, unsigned port)
{
	x->present |= 1ull << (t->family == 6 ? v6 : v4) | 1ull << proto;
	if (ports)
		x->present |= 1ull << port;
}

int cts_exp_from_nfexp(const struct nf_expect *exp, struct cts_exp *x)
{
	memset(x, 0, sizeof(*x));
	const struct nf_conntrack *master = nfexp_get_attr(exp, ATTR_EXP_MASTER),
				  *expected = nfexp_get_attr(exp, ATTR_EXP_EXPECTED),
				  *mask = nfexp_get_attr(exp, ATTR_EXP_MASK);
	if (!master || !expected || !mask)
		return -1;
	int mp = tuple_from(master, &x->master), ep = tuple_from(expected, &x->expect), kp = tuple_from(mask, &x->mask);
	if (mp < 0 || ep < 0 || kp < 0 || x->master.family != x->expect.family)
		return -1;
	tuple_present(x, &x->master, mp, CTS_X_MASTER_IPV4, CTS_X_MASTER_IPV6, CTS_X_MASTER_L4PROTO,
		      CTS_X_MASTER_PORT);
	tuple_present(x, &x->expect, ep, CTS_X_EXPECT_IPV4, CTS_X_EXPECT_IPV6, CTS_X_EXPECT_L4PROTO,
		      CTS_X_EXPECT_PORT);
	x->mask.family = x->expect.family; /* the kernel's mask carries no family of its own */
	tuple_present(x, &x->mask, kp, CTS_X_MASK_IPV4, CTS_X_MASK_IPV6, CTS_X_MASK_L4PROTO, CTS_X_MASK_PORT);
	if (nfexp_attr_is_set(exp, ATTR_EXP_TIMEOUT)) {
		x->timeout = nfexp_get_attr_u32(exp, ATTR_EXP_TIMEOUT);
		x->present |= 1ull << CTS_X_TIMEOUT;
	}
	x->flags = nfexp_attr_is_set(exp, ATTR_EXP_FLAGS) ? nfexp_get_attr_u32(exp, ATTR_EXP_FLAGS) : 0;
	x->present |= 1ull << CTS_X_FLAGS;
	if (nfexp_attr_is_set(exp, ATTR_EXP_CLASS)) {
		x->klass = nfexp_get_attr_u32(exp, ATTR_EXP_CLASS);
		x->present |= 1ull << CTS_X_CLASS;
	}
	const struct nf_conntrack *nat =
		nfexp_attr_is_set(exp, ATTR_EXP_NAT_TUPLE) ? nfexp_get_attr(exp, ATTR_EXP_NAT_TUPLE) : NULL;
	if (nat && x->master.family == 4) {
		int np = tuple_from(nat, &x->nat);
		if (np >= 0) {
			x->nat.family = 4;
			tuple_present(x, &x->nat, np, CTS_X_NAT_IPV4, CTS_X_NAT_IPV4, CTS_X_NAT_L4PROTO, CTS_X_NAT_PORT);
			x->nat_dir = nfexp_attr_is_set(exp, ATTR_EXP_NAT_DIR) ? nfexp_get_attr_u8(exp, ATTR_EXP_NAT_DIR) : 0;
			x->present |= 1ull << CTS_X_NAT_DIR;
		}
	}
	const char *helper = nfexp_attr_is_set(exp, ATTR_EXP_HELPER_NAME) ? nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME)
									  : NULL;
	if (helper && *helper) {
		strncpy(x->helper, helper, sizeof(x->helper) - 2); /* 15 characters: the wire's limit */
		x->present |= 1ull << CTS_X_HELPER_NAME;
	}
	const char *fn = nfexp_attr_is_set(exp, ATTR_EXP_FN) ? nfexp_get_attr(exp, ATTR_EXP_FN) : NULL;
	if (fn && *fn) {
		strncpy(x->fn, fn, sizeof(x->fn) - 2);
		x->present |= 1ull << CTS_X_FN;
	}
	return 0;
}

/* One tuple as a kernel object's original tuple; ports when the message had them. */
static struct nf_conntrack *tuple_nfct(const struct cts_tuple *t, int ports)
{
	struct nf_conntrack *ct = nfct_new();
	if (ct)
		put_tuple(ct, t->family, t->l4proto, t->src, t->dst, ports, t->sport, t->dport);
	return ct;
}

struct nf_expect *cts_exp_to_nfexp(const struct cts_exp *x, uint32_t default_timeout)
{
	struct nf_expect *exp = nfexp_new();
	struct cts_tuple mask = x->mask;
	if (!CTS_HAS(x, CTS_X_MASK_IPV4) && !CTS_HAS(x, CTS_X_MASK_IPV6)) {
		/* No mask on the wire: match the expected tuple exactly. */
		memset(mask.src, 0xff, sizeof(mask.src));
		memset(mask.dst, 0xff, sizeof(mask.dst));
		mask.sport = mask.dport = 0xffff;
	}
	mask.family = x->expect.family;
	mask.l4proto = x->expect.l4proto;
	struct nf_conntrack *master = tuple_nfct(&x->master, CTS_HAS(x, CTS_X_MASTER_PORT)),
			    *expected = tuple_nfct(&x->expect, CTS_HAS(x, CTS_X_EXPECT_PORT)),
			    *m = tuple_nfct(&mask, CTS_HAS(x, CTS_X_EXPECT_PORT)),
			    *nat = x->nat.family ? tuple_nfct(&x->nat, CTS_HAS(x, CTS_X_NAT_PORT)) : NULL;
	if (!exp || !master || !expected || !m || (x->nat.family && !nat)) {
		if (exp)
			nfexp_destroy(exp);
		exp = NULL;
		goto out;
	}
	/* The setters copy the objects. */
	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfexp_set_attr(exp, ATTR_EXP_MASK, m);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, CTS_HAS(x, CTS_X_TIMEOUT) && x->timeout ? x->timeout : default_timeout);
	if (CTS_HAS(x, CTS_X_FLAGS))
		nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, x->flags);
	if (CTS_HAS(x, CTS_X_CLASS))
		nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, x->klass);
	if (CTS_HAS(x, CTS_X_HELPER_NAME))
		nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, x->helper);
	if (nat) {
		nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, nat);
		nfexp_set_attr_u8(exp, ATTR_EXP_NAT_DIR, (uint8_t)x->nat_dir);
	}
	if (CTS_HAS(x, CTS_X_FN))
		nfexp_set_attr(exp, ATTR_EXP_FN, x->fn);
out:
	if (master)
		nfct_destroy(master);
	if (expected)
		nfct_destroy(expected);
	if (m)
		nfct_destroy(m);
	if (nat)
		nfct_destroy(nat);
	return exp;
}
