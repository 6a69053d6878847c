#include "ctsync_msg.h"
#include "tdm_bytes.h"

#include <string.h>

/* Value sizes of the fixed-size attributes; 0 marks the variable ones (helper name, labels). */
static const uint8_t ATTR_SIZE[CTS_A_MAX] = {
	[CTS_A_IPV4] = 8,	    [CTS_A_IPV6] = 32,		  [CTS_A_L4PROTO] = 1,
	[CTS_A_PORT] = 4,	    [CTS_A_TCP_STATE] = 1,	  [CTS_A_STATUS] = 4,
	[CTS_A_TIMEOUT] = 4,	    [CTS_A_MARK] = 4,		  [CTS_A_MASTER_IPV4] = 8,
	[CTS_A_MASTER_IPV6] = 32,   [CTS_A_MASTER_L4PROTO] = 1,	  [CTS_A_MASTER_PORT] = 4,
	[CTS_A_SNAT_IPV4] = 4,	    [CTS_A_DNAT_IPV4] = 4,	  [CTS_A_SPAT_PORT] = 2,
	[CTS_A_DPAT_PORT] = 2,	    [CTS_A_NAT_SEQ_ADJ] = 24,	  [CTS_A_SCTP_STATE] = 1,
	[CTS_A_SCTP_VTAG_ORIG] = 4, [CTS_A_SCTP_VTAG_REPL] = 4,	  [CTS_A_DCCP_STATE] = 1,
	[CTS_A_DCCP_ROLE] = 1,	    [CTS_A_ICMP_TYPE] = 1,	  [CTS_A_ICMP_CODE] = 1,
	[CTS_A_ICMP_ID] = 2,	    [CTS_A_TCP_WSCALE_ORIG] = 1,  [CTS_A_TCP_WSCALE_REPL] = 1,
	[CTS_A_HELPER_NAME] = 0,    [CTS_A_LABELS] = 0,		  [CTS_A_SNAT_IPV6] = 16,
	[CTS_A_DNAT_IPV6] = 16,	    [CTS_A_SYNPROXY] = 12,	  [CTS_A_ZONE] = 2,
};

const char *cts_strerror(int err)
{
	switch (err) {
	case CTS_OK: return "ok";
	case CTS_E_SHORT: return "truncated message";
	case CTS_E_VERSION: return "unknown protocol version";
	case CTS_E_LENGTH: return "bad message length";
	case CTS_E_TYPE: return "unknown message type";
	case CTS_E_ATTR: return "malformed attribute";
	case CTS_E_INCOMPLETE: return "connection without address or protocol";
	default: return "unknown error";
	}
}


static int is_ack_like(uint8_t flags) { return (flags & (CTS_F_ACK | CTS_F_NACK | CTS_F_RESYNC)) != 0; }

int cts_hdr_parse(const uint8_t *buf, size_t avail, struct cts_hdr *h)
{
	if (avail < CTS_HDR_LEN)
		return CTS_E_SHORT;
	memset(h, 0, sizeof(*h));
	h->type = buf[0] & 0x0f;
	h->version = buf[0] >> 4;
	h->flags = buf[1];
	h->len = get16(buf + 2);
	h->seq = get32(buf + 4);
	if (h->version != CTS_VERSION)
		return CTS_E_VERSION;
	if (h->len < CTS_HDR_LEN || h->len % 4)
		return CTS_E_LENGTH;
	if (h->len > avail)
		return CTS_E_SHORT;
	if (h->type == CTS_CTL) {
		/* Control messages have exactly one size, chosen by their flags. */
		size_t want = is_ack_like(h->flags) ? CTS_ACK_HDR_LEN : CTS_HDR_LEN;
		if (h->len != want)
			return CTS_E_LENGTH;
		if (want == CTS_ACK_HDR_LEN) {
			h->from = get32(buf + 8);
			h->to = get32(buf + 12);
		}
	} else if (h->type > CTS_EXP_DEL) {
		return CTS_E_TYPE;
	}
	return h->len;
}

/* Stores one attribute's value into the entry. */
static void take(struct cts_entry *e, unsigned type, const uint8_t *v, size_t n)
{
	switch (type) {
	case CTS_A_IPV4: e->family = 4; memcpy(e->src, v, 4); memcpy(e->dst, v + 4, 4); break;
	case CTS_A_IPV6: e->family = 6; memcpy(e->src, v, 16); memcpy(e->dst, v + 16, 16); break;
	case CTS_A_L4PROTO: e->l4proto = v[0]; break;
	case CTS_A_PORT: e->sport = get16(v); e->dport = get16(v + 2); break;
	case CTS_A_TCP_STATE: e->tcp_state = v[0]; break;
	case CTS_A_STATUS: e->status = get32(v); break;
	case CTS_A_TIMEOUT: e->timeout = get32(v); break;
	case CTS_A_MARK: e->mark = get32(v); break;
	case CTS_A_MASTER_IPV4:
		e->master_family = 4;
		memcpy(e->master_src, v, 4);
		memcpy(e->master_dst, v + 4, 4);
		break;
	case CTS_A_MASTER_IPV6:
		e->master_family = 6;
		memcpy(e->master_src, v, 16);
		memcpy(e->master_dst, v + 16, 16);
		break;
	case CTS_A_MASTER_L4PROTO: e->master_l4proto = v[0]; break;
	case CTS_A_MASTER_PORT: e->master_sport = get16(v); e->master_dport = get16(v + 2); break;
	case CTS_A_SNAT_IPV4: memcpy(e->snat_ipv4, v, 4); break;
	case CTS_A_DNAT_IPV4: memcpy(e->dnat_ipv4, v, 4); break;
	case CTS_A_SPAT_PORT: e->spat_port = get16(v); break;
	case CTS_A_DPAT_PORT: e->dpat_port = get16(v); break;
	case CTS_A_NAT_SEQ_ADJ:
		for (int i = 0; i < 6; i++)
			e->nat_seq_adj[i] = get32(v + 4 * i);
		break;
	case CTS_A_SCTP_STATE: e->sctp_state = v[0]; break;
	case CTS_A_SCTP_VTAG_ORIG: e->sctp_vtag_orig = get32(v); break;
	case CTS_A_SCTP_VTAG_REPL: e->sctp_vtag_repl = get32(v); break;
	case CTS_A_DCCP_STATE: e->dccp_state = v[0]; break;
	case CTS_A_DCCP_ROLE: e->dccp_role = v[0]; break;
	case CTS_A_ICMP_TYPE: e->icmp_type = v[0]; break;
	case CTS_A_ICMP_CODE: e->icmp_code = v[0]; break;
	case CTS_A_ICMP_ID: e->icmp_id = get16(v); break;
	case CTS_A_TCP_WSCALE_ORIG: e->tcp_wscale_orig = v[0]; break;
	case CTS_A_TCP_WSCALE_REPL: e->tcp_wscale_repl = v[0]; break;
	/* A repeated attribute replaces the earlier one whole, shorter or not. */
	case CTS_A_HELPER_NAME: memset(e->helper, 0, sizeof(e->helper)); memcpy(e->helper, v, n); break;
	case CTS_A_LABELS:
		memset(e->labels, 0, sizeof(e->labels));
		memcpy(e->labels, v, n);
		e->labels_len = (uint8_t)n;
		break;
	case CTS_A_SNAT_IPV6: memcpy(e->snat_ipv6, v, 16); break;
	case CTS_A_DNAT_IPV6: memcpy(e->dnat_ipv6, v, 16); break;
	case CTS_A_SYNPROXY:
		for (int i = 0; i < 3; i++)
			e->synproxy[i] = get32(v + 4 * i);
		break;
	case CTS_A_ZONE: e->zone = get16(v); break;
	}
}

/* A string on the wire: NUL-terminated, no NUL inside. */
static int wire_string(const uint8_t *v, size_t n)
{
	return n > 0 && strnlen((const char *)v, n) == n - 1;
}

/* Walks the attributes of a message's payload: `attr` gets each one's type, value and value
 * length, and returns 0 to go on or a cts_error to stop. A header running past the payload, or a
 * type at or above max_type, is malformed. */
static int walk_attrs(const uint8_t *p, size_t len, unsigned max_type,
		      int (*attr)(void *obj, unsigned type, const uint8_t *v, size_t n), void *obj)
{
	for (size_t off = 0; off < len;) {
		if (len - off < 4)
			return CTS_E_ATTR;
		uint16_t alen = get16(p + off), type = get16(p + off + 2);
		if (alen < 4 || alen > len - off || type >= max_type)
			return CTS_E_ATTR;
		int rc = attr(obj, type, p + off + 4, alen - 4u);
		if (rc)
			return rc;
		off += CTS_ALIGN(alen);
	}
	return CTS_OK;
}

static int entry_attr(void *obj, unsigned type, const uint8_t *v, size_t n)
{
	struct cts_entry *e = obj;
	if (ATTR_SIZE[type] ? n != ATTR_SIZE[type] : n > 16)
		return CTS_E_ATTR;
	if (type == CTS_A_HELPER_NAME && !wire_string(v, n))
		return CTS_E_ATTR;
	/* One tuple has one address family. */
	if ((type == CTS_A_IPV4 && CTS_HAS(e, CTS_A_IPV6)) || (type == CTS_A_IPV6 && CTS_HAS(e, CTS_A_IPV4)) ||
	    (type == CTS_A_MASTER_IPV4 && CTS_HAS(e, CTS_A_MASTER_IPV6)) ||
	    (type == CTS_A_MASTER_IPV6 && CTS_HAS(e, CTS_A_MASTER_IPV4)))
		return CTS_E_ATTR;
	take(e, type, v, type == CTS_A_HELPER_NAME ? n - 1 : n);
	e->present |= 1ull << type;
	return 0;
}

int cts_entry_decode(const uint8_t *p, size_t len, struct cts_entry *e)
{
	memset(e, 0, sizeof(*e));
	int rc = walk_attrs(p, len, CTS_A_MAX, entry_attr, e);
	if (rc)
		return rc;
	if (!e->family || !CTS_HAS(e, CTS_A_L4PROTO))
		return CTS_E_INCOMPLETE;
	return CTS_OK;
}

struct writer {
	uint8_t *buf;
	size_t cap, len;
	int overflow;
};

/* Appends one attribute (header, value, zero padding to 4 bytes). */
static uint8_t *attr(struct writer *w, unsigned type, size_t n)
{
	size_t total = CTS_ALIGN(4 + n);
	if (w->overflow || w->len + total > w->cap) {
		w->overflow = 1;
		return NULL;
	}
	uint8_t *a = w->buf + w->len;
	put16(a, (uint16_t)(4 + n));
	put16(a + 2, (uint16_t)type);
	memset(a + 4 + n, 0, total - 4 - n);
	w->len += total;
	return a + 4;
}

static void attr_u8(struct writer *w, unsigned type, uint8_t v)
{
	uint8_t *a = attr(w, type, 1);
	if (a)
		a[0] = v;
}

static void attr_u16(struct writer *w, unsigned type, uint16_t v)
{
	uint8_t *a = attr(w, type, 2);
	if (a)
		put16(a, v);
}

static void attr_u32(struct writer *w, unsigned type, uint32_t v)
{
	uint8_t *a = attr(w, type, 4);
	if (a)
		put32(a, v);
}

static void attr_bytes(struct writer *w, unsigned type, const void *v, size_t n)
{
	uint8_t *a = attr(w, type, n);
	if (a)
		memcpy(a, v, n);
}

static void attr_pair(struct writer *w, unsigned type, const uint8_t *x, const uint8_t *y, size_t n)
{
	uint8_t *a = attr(w, type, 2 * n);
	if (a) {
		memcpy(a, x, n);
		memcpy(a + n, y, n);
	}
}

static void attr_ports(struct writer *w, unsigned type, uint16_t s, uint16_t d)
{
	uint8_t *a = attr(w, type, 4);
	if (a) {
		put16(a, s);
		put16(a + 2, d);
	}
}

static void header(uint8_t *buf, uint8_t type, uint8_t flags, uint16_t len, uint32_t seq)
{
	buf[0] = (uint8_t)(CTS_VERSION << 4 | (type & 0x0f));
	buf[1] = flags;
	put16(buf + 2, len);
	put32(buf + 4, seq);
}

size_t cts_build_entry(uint8_t *buf, size_t cap, enum cts_type type, uint8_t flags, uint32_t seq,
		       const struct cts_entry *e)
{
	if (cap < CTS_HDR_LEN)
		return 0;
	struct writer w = { .buf = buf, .cap = cap, .len = CTS_HDR_LEN };
	size_t alen = e->family == 6 ? 16 : 4;
	/* conntrackd's order: tuple, status, protocol, protocol state, timeout, mark, master, NAT. */
	attr_pair(&w, e->family == 6 ? CTS_A_IPV6 : CTS_A_IPV4, e->src, e->dst, alen);
	for (unsigned a = CTS_A_L4PROTO; a < CTS_A_MAX; a++) {
		if (!CTS_HAS(e, a))
			continue;
		switch (a) {
		case CTS_A_L4PROTO: attr_u8(&w, a, e->l4proto); break;
		case CTS_A_PORT: attr_ports(&w, a, e->sport, e->dport); break;
		case CTS_A_TCP_STATE: attr_u8(&w, a, e->tcp_state); break;
		case CTS_A_STATUS: attr_u32(&w, a, e->status); break;
		case CTS_A_TIMEOUT: attr_u32(&w, a, e->timeout); break;
		case CTS_A_MARK: attr_u32(&w, a, e->mark); break;
		case CTS_A_MASTER_IPV4: attr_pair(&w, a, e->master_src, e->master_dst, 4); break;
		case CTS_A_MASTER_IPV6: attr_pair(&w, a, e->master_src, e->master_dst, 16); break;
		case CTS_A_MASTER_L4PROTO: attr_u8(&w, a, e->master_l4proto); break;
		case CTS_A_MASTER_PORT: attr_ports(&w, a, e->master_sport, e->master_dport); break;
		case CTS_A_SNAT_IPV4: attr_bytes(&w, a, e->snat_ipv4, 4); break;
		case CTS_A_DNAT_IPV4: attr_bytes(&w, a, e->dnat_ipv4, 4); break;
		case CTS_A_SPAT_PORT: attr_u16(&w, a, e->spat_port); break;
		case CTS_A_DPAT_PORT: attr_u16(&w, a, e->dpat_port); break;
		case CTS_A_NAT_SEQ_ADJ: {
			uint8_t *v = attr(&w, a, 24);
			for (int i = 0; v && i < 6; i++)
				put32(v + 4 * i, e->nat_seq_adj[i]);
			break;
		}
		case CTS_A_SCTP_STATE: attr_u8(&w, a, e->sctp_state); break;
		case CTS_A_SCTP_VTAG_ORIG: attr_u32(&w, a, e->sctp_vtag_orig); break;
		case CTS_A_SCTP_VTAG_REPL: attr_u32(&w, a, e->sctp_vtag_repl); break;
		case CTS_A_DCCP_STATE: attr_u8(&w, a, e->dccp_state); break;
		case CTS_A_DCCP_ROLE: attr_u8(&w, a, e->dccp_role); break;
		case CTS_A_ICMP_TYPE: attr_u8(&w, a, e->icmp_type); break;
		case CTS_A_ICMP_CODE: attr_u8(&w, a, e->icmp_code); break;
		case CTS_A_ICMP_ID: attr_u16(&w, a, e->icmp_id); break;
		case CTS_A_TCP_WSCALE_ORIG: attr_u8(&w, a, e->tcp_wscale_orig); break;
		case CTS_A_TCP_WSCALE_REPL: attr_u8(&w, a, e->tcp_wscale_repl); break;
		case CTS_A_HELPER_NAME: attr_bytes(&w, a, e->helper, strnlen(e->helper, sizeof(e->helper) - 1) + 1); break;
		case CTS_A_LABELS: attr_bytes(&w, a, e->labels, e->labels_len > 16 ? 16 : e->labels_len); break;
		case CTS_A_SNAT_IPV6: attr_bytes(&w, a, e->snat_ipv6, 16); break;
		case CTS_A_DNAT_IPV6: attr_bytes(&w, a, e->dnat_ipv6, 16); break;
		case CTS_A_SYNPROXY: {
			uint8_t *v = attr(&w, a, 12);
			for (int i = 0; v && i < 3; i++)
				put32(v + 4 * i, e->synproxy[i]);
			break;
		}
		case CTS_A_ZONE: attr_u16(&w, a, e->zone); break;
		}
	}
	if (w.overflow || w.len > 0xffff)
		return 0;
	header(buf, (uint8_t)type, flags, (uint16_t)w.len, seq);
	return w.len;
}

/* Value sizes of the expectation attributes; strings give their limit, NUL included. */
static const uint8_t EXP_ATTR_SIZE[CTS_X_MAX] = {
	[CTS_X_MASTER_IPV4] = 8, [CTS_X_MASTER_IPV6] = 32, [CTS_X_MASTER_L4PROTO] = 1, [CTS_X_MASTER_PORT] = 4,
	[CTS_X_EXPECT_IPV4] = 8, [CTS_X_EXPECT_IPV6] = 32, [CTS_X_EXPECT_L4PROTO] = 1, [CTS_X_EXPECT_PORT] = 4,
	[CTS_X_MASK_IPV4] = 8,	 [CTS_X_MASK_IPV6] = 32,   [CTS_X_MASK_L4PROTO] = 1,   [CTS_X_MASK_PORT] = 4,
	[CTS_X_TIMEOUT] = 4,	 [CTS_X_FLAGS] = 4,	   [CTS_X_CLASS] = 4,	       [CTS_X_NAT_IPV4] = 8,
	[CTS_X_NAT_PORT] = 4,	 [CTS_X_NAT_L4PROTO] = 1,  [CTS_X_NAT_DIR] = 4,	       [CTS_X_HELPER_NAME] = 16,
	[CTS_X_FN] = 32,
};

static int exp_is_string(unsigned type) { return type == CTS_X_HELPER_NAME || type == CTS_X_FN; }

/* The tuple an expectation attribute describes. */
static struct cts_tuple *exp_tuple(struct cts_exp *x, unsigned type)
{
	switch (type) {
	case CTS_X_MASTER_IPV4 ... CTS_X_MASTER_PORT: return &x->master;
	case CTS_X_EXPECT_IPV4 ... CTS_X_EXPECT_PORT: return &x->expect;
	case CTS_X_MASK_IPV4 ... CTS_X_MASK_PORT: return &x->mask;
	case CTS_X_NAT_IPV4: case CTS_X_NAT_PORT: case CTS_X_NAT_L4PROTO: return &x->nat;
	default: return NULL;
	}
}

static void exp_take(struct cts_exp *x, unsigned type, const uint8_t *v, size_t n)
{
	struct cts_tuple *t = exp_tuple(x, type);
	switch (type) {
	case CTS_X_MASTER_IPV4: case CTS_X_EXPECT_IPV4: case CTS_X_MASK_IPV4: case CTS_X_NAT_IPV4:
		t->family = 4;
		memcpy(t->src, v, 4);
		memcpy(t->dst, v + 4, 4);
		break;
	case CTS_X_MASTER_IPV6: case CTS_X_EXPECT_IPV6: case CTS_X_MASK_IPV6:
		t->family = 6;
		memcpy(t->src, v, 16);
		memcpy(t->dst, v + 16, 16);
		break;
	case CTS_X_MASTER_L4PROTO: case CTS_X_EXPECT_L4PROTO: case CTS_X_MASK_L4PROTO: case CTS_X_NAT_L4PROTO:
		t->l4proto = v[0];
		break;
	case CTS_X_MASTER_PORT: case CTS_X_EXPECT_PORT: case CTS_X_MASK_PORT: case CTS_X_NAT_PORT:
		t->sport = get16(v);
		t->dport = get16(v + 2);
		break;
	case CTS_X_TIMEOUT: x->timeout = get32(v); break;
	case CTS_X_FLAGS: x->flags = get32(v); break;
	case CTS_X_CLASS: x->klass = get32(v); break;
	case CTS_X_NAT_DIR: x->nat_dir = get32(v); break;
	case CTS_X_HELPER_NAME: memset(x->helper, 0, sizeof(x->helper)); memcpy(x->helper, v, n); break;
	case CTS_X_FN: memset(x->fn, 0, sizeof(x->fn)); memcpy(x->fn, v, n); break;
	}
}

static int exp_attr(void *obj, unsigned type, const uint8_t *v, size_t n)
{
	struct cts_exp *x = obj;
	if (exp_is_string(type) ? n > EXP_ATTR_SIZE[type] || !wire_string(v, n) : n != EXP_ATTR_SIZE[type])
		return CTS_E_ATTR;
	/* One tuple has one address family: IPv4 and IPv6 of a tuple are neighbours. */
	if (type <= CTS_X_MASK_IPV6 && type % 4 < 2 && CTS_HAS(x, type ^ 1u))
		return CTS_E_ATTR;
	exp_take(x, type, v, exp_is_string(type) ? n - 1 : n);
	x->present |= 1ull << type;
	return 0;
}

int cts_exp_decode(const uint8_t *p, size_t len, struct cts_exp *x)
{
	memset(x, 0, sizeof(*x));
	int rc = walk_attrs(p, len, CTS_X_MAX, exp_attr, x);
	if (rc)
		return rc;
	if (!x->master.family || !CTS_HAS(x, CTS_X_MASTER_L4PROTO) || !x->expect.family ||
	    !CTS_HAS(x, CTS_X_EXPECT_L4PROTO))
		return CTS_E_INCOMPLETE;
	return CTS_OK;
}

/* A tuple's group of attributes (address pair, protocol, ports), those the message has. */
static void exp_put_tuple(struct writer *w, const struct cts_exp *x, const struct cts_tuple *t, unsigned v4,
			  unsigned v6, unsigned proto, unsigned port)
{
	if (CTS_HAS(x, v4))
		attr_pair(w, v4, t->src, t->dst, 4);
	else if (v6 != CTS_X_MAX && CTS_HAS(x, v6))
		attr_pair(w, v6, t->src, t->dst, 16);
	if (CTS_HAS(x, proto))
		attr_u8(w, proto, t->l4proto);
	if (CTS_HAS(x, port))
		attr_ports(w, port, t->sport, t->dport);
}

size_t cts_build_exp(uint8_t *buf, size_t cap, enum cts_type type, uint8_t flags, uint32_t seq,
		     const struct cts_exp *x)
{
	if (cap < CTS_HDR_LEN)
		return 0;
	struct writer w = { .buf = buf, .cap = cap, .len = CTS_HDR_LEN };
	/* conntrackd decodes master, expected and mask attributes into more than their own tuple, so
	 * the order is what makes each end up right: master, expected, mask, then the rest. */
	exp_put_tuple(&w, x, &x->master, CTS_X_MASTER_IPV4, CTS_X_MASTER_IPV6, CTS_X_MASTER_L4PROTO,
		      CTS_X_MASTER_PORT);
	exp_put_tuple(&w, x, &x->expect, CTS_X_EXPECT_IPV4, CTS_X_EXPECT_IPV6, CTS_X_EXPECT_L4PROTO,
		      CTS_X_EXPECT_PORT);
	exp_put_tuple(&w, x, &x->mask, CTS_X_MASK_IPV4, CTS_X_MASK_IPV6, CTS_X_MASK_L4PROTO, CTS_X_MASK_PORT);
	if (CTS_HAS(x, CTS_X_TIMEOUT))
		attr_u32(&w, CTS_X_TIMEOUT, x->timeout);
	if (CTS_HAS(x, CTS_X_FLAGS))
		attr_u32(&w, CTS_X_FLAGS, x->flags);
	if (CTS_HAS(x, CTS_X_CLASS))
		attr_u32(&w, CTS_X_CLASS, x->klass);
	exp_put_tuple(&w, x, &x->nat, CTS_X_NAT_IPV4, CTS_X_MAX, CTS_X_NAT_L4PROTO, CTS_X_NAT_PORT);
	if (CTS_HAS(x, CTS_X_NAT_DIR))
		attr_u32(&w, CTS_X_NAT_DIR, x->nat_dir);
	if (CTS_HAS(x, CTS_X_HELPER_NAME))
		attr_bytes(&w, CTS_X_HELPER_NAME, x->helper, strnlen(x->helper, 15) + 1);
	if (CTS_HAS(x, CTS_X_FN))
		attr_bytes(&w, CTS_X_FN, x->fn, strnlen(x->fn, 31) + 1);
	if (w.overflow || w.len > 0xffff)
		return 0;
	header(buf, (uint8_t)type, flags, (uint16_t)w.len, seq);
	return w.len;
}

size_t cts_build_ctl(uint8_t *buf, size_t cap, uint8_t flags, uint32_t seq, uint32_t from, uint32_t to)
{
	size_t len = is_ack_like(flags) ? CTS_ACK_HDR_LEN : CTS_HDR_LEN;
	if (cap < len)
		return 0;
	header(buf, CTS_CTL, flags, (uint16_t)len, seq);
	if (len == CTS_ACK_HDR_LEN) {
		put32(buf + 8, from);
		put32(buf + 12, to);
	}
	return len;
}

int cts_datagram_walk(const uint8_t *buf, size_t len,
		      void (*fn)(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx), void *ctx,
		      struct cts_rx_stats *stats)
{
	int n = 0;
	size_t off = 0;
	while (off < len) {
		struct cts_hdr h;
		int mlen = cts_hdr_parse(buf + off, len - off, &h);
		if (mlen < 0) {
			stats->malformed++;
			break;
		}
		size_t hlen = h.type == CTS_CTL && mlen == CTS_ACK_HDR_LEN ? CTS_ACK_HDR_LEN : CTS_HDR_LEN;
		stats->messages++;
		fn(&h, buf + off + hlen, (size_t)mlen - hlen, ctx);
		n++;
		off += (size_t)mlen;
	}
	return n;
}
