/* libFuzzer target for the VRRP receive pipeline and decoder (native/core/vrrp/vrrp_packet.h).
 *
 * Input: one selector byte, then an IP packet as received. The group the lookup returns is derived
 * from the packet so that valid packets reach ACCEPT; selector bits then bend it to provoke the
 * later steps. Beyond "no crash, no out-of-bounds read, no UB", it checks properties:
 *  - the IPv6 header path and the raw-socket payload path reach the same verdict;
 *  - an accepted advert decodes alike and re-encodes to the same bytes;
 *  - with selector bit 7 the bytes instead describe a group, whose built packet must be accepted. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vrrp_packet.h"

#define SEL_FLIP_VERSION 0x01
#define SEL_NEXT_AUTH 0x02
#define SEL_OWNER 0x04
#define SEL_OTHER_VIPS 0x08
#define SEL_OTHER_INTERVAL 0x10
#define SEL_REPLAY 0x20
#define SEL_OTHER_PASSWORD 0x40
#define SEL_BUILD 0x80

#define FUZZ_ASSERT(c)                   \
	do {                             \
		if (!(c))                \
			__builtin_trap(); \
	} while (0)

struct fuzz_ctx {
	struct vrrp_wire_group group;
};

static const struct vrrp_wire_group *fuzz_lookup(void *ctx, uint8_t family, uint8_t vrid)
{
	struct fuzz_ctx *c = ctx;

	if (vrid % 61 == 0) /* leave some VRIDs unconfigured */
		return NULL;
	c->group.family = family;
	c->group.vrid = vrid;
	return &c->group;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Where the VRRP message would start, or 0 when the packet is too short to tell. */
static size_t message_offset(const uint8_t *pkt, size_t len, uint8_t *family, bool *ah)
{
	size_t off;

	*ah = false;
	if (len < 1)
		return 0;
	if (pkt[0] >> 4 == 6) {
		*family = VRRP_IPV6;
		return len >= 40 ? 40 : 0;
	}
	*family = VRRP_IPV4;
	if (len < 20)
		return 0;
	off = (size_t)(pkt[0] & 0x0f) * 4;
	if (pkt[9] == VRRP_PROTO_AH) {
		*ah = true;
		off += VRRP_AH_LEN;
	}
	return off <= len ? off : 0;
}

/* A group that matches the packet, then bent by the selector. */
static void derive_group(uint8_t sel, const uint8_t *pkt, size_t len, struct vrrp_wire_group *g)
{
	uint8_t family = VRRP_IPV4;
	bool ah;
	size_t off = message_offset(pkt, len, &family, &ah);
	const uint8_t *msg = pkt + off;
	size_t mlen = off ? len - off : 0;
	unsigned int alen = family == VRRP_IPV6 ? 16 : 4;

	memset(g, 0, sizeof(*g));
	g->family = family;
	g->version = family == VRRP_IPV6 ? 3 : 2;
	g->interval = 100;
	memcpy(g->password, "YOGHURT", 7);
	if (mlen >= 8) {
		uint8_t count = msg[3];

		if (msg[0] >> 4 == 3)
			g->version = 3;
		if (g->version == 2) {
			g->auth_type = msg[4] % 3;
			g->interval = msg[5];
			if (g->auth_type == VRRP_AUTH_PASSWORD && mlen >= 16 + 4u * count)
				memcpy(g->password, msg + 8 + 4u * count, VRRP_PASSWORD_LEN);
		}
		for (unsigned int i = 0; i < count && i < VRRP_MAX_VIPS && 8 + (i + 1) * alen <= mlen; i++)
			memcpy(g->vips[g->vip_count++].b, msg + 8 + i * alen, alen);
	}
	if (ah)
		g->auth_type = VRRP_AUTH_AH;
	if (sel & SEL_FLIP_VERSION)
		g->version = g->version == 2 ? 3 : 2;
	if (sel & SEL_NEXT_AUTH)
		g->auth_type = (uint8_t)((g->auth_type + 1) % 3);
	g->owner = (sel & SEL_OWNER) != 0;
	if (sel & SEL_OTHER_VIPS)
		g->vips[0].b[alen - 1] ^= 1;
	if (sel & SEL_OTHER_INTERVAL)
		g->interval++;
	if ((sel & SEL_REPLAY) && ah && off >= VRRP_AH_LEN)
		g->ah_last_seq = (uint32_t)pkt[off - 16] << 24 | (uint32_t)pkt[off - 15] << 16 |
				 (uint32_t)pkt[off - 14] << 8 | pkt[off - 13];
	if (sel & SEL_OTHER_PASSWORD)
		g->password[0] ^= 0x20;
}

/* An accepted advert is what the encoder would have written for it. */
static void check_reencodes(const struct vrrp_rx_advert *a, const uint8_t *msg, size_t mlen)
{
	struct vrrp_wire_group g = *a->group;
	struct vrrp_tx tx = { .priority = a->priority, .src = a->src, .csum_form = a->csum_form };
	struct vrrp_rx_advert d;
	uint8_t buf[VRRP_ADVERT_MAX];
	size_t cmp;
	int n;

	FUZZ_ASSERT(vrrp_advert_decode(a->family, msg, mlen, &d) == 0);
	FUZZ_ASSERT(d.vrid == a->vrid && d.priority == a->priority && d.count == a->count);
	FUZZ_ASSERT(d.interval == a->interval && d.version == a->version);
	if (a->count > VRRP_MAX_VIPS)
		return;
	g.vip_count = a->count;
	memcpy(g.vips, a->addrs, sizeof(g.vips));
	g.interval = a->interval;
	n = vrrp_advert_encode(&g, &tx, buf, sizeof(buf), NULL);
	if (n < 0)
		return; /* e.g. a group the encoder refuses (v2 interval 0, IPv6 list not led by fe80::) */
	FUZZ_ASSERT((size_t)n == mlen);
	/* Auth data of types 0 and 2 is ignored on receive; the v3 reserved nibble too. */
	cmp = a->version == 2 && a->auth_type != VRRP_AUTH_PASSWORD ? mlen - VRRP_PASSWORD_LEN : mlen;
	FUZZ_ASSERT(memcmp(buf, msg, 4) == 0);
	FUZZ_ASSERT(a->version == 3 ? (buf[4] & 0x0f) == (msg[4] & 0x0f) : buf[4] == msg[4]);
	FUZZ_ASSERT(buf[5] == msg[5]);
	FUZZ_ASSERT(memcmp(buf + 8, msg + 8, cmp - 8) == 0);
}

static void fuzz_receive(uint8_t sel, const uint8_t *pkt, size_t len)
{
	struct fuzz_ctx ctx;
	struct vrrp_rx_advert a, b;
	enum vrrp_rx_verdict v;

	derive_group(sel, pkt, len, &ctx.group);
	v = vrrp_rx_check(pkt, len, fuzz_lookup, &ctx, &a);
	FUZZ_ASSERT(v < VRRP_RX_VERDICT_COUNT);
	FUZZ_ASSERT(strcmp(vrrp_rx_verdict_name(v), "unknown") != 0);
	FUZZ_ASSERT((v == VRRP_RX_ACCEPT) == (a.step == 17));
	if (v == VRRP_RX_ACCEPT) {
		size_t off, end;
		uint8_t family;
		bool ah;

		FUZZ_ASSERT(a.group == &ctx.group && a.ttl == 255 && a.type == 1);
		FUZZ_ASSERT(a.version == ctx.group.version && !ctx.group.owner);
		FUZZ_ASSERT(a.count > 0 && (a.addr_list_mismatch ? a.priority == 255 : a.count == ctx.group.vip_count));
		off = message_offset(pkt, len, &family, &ah);
		end = family == VRRP_IPV6 ? 40 + (size_t)get16(pkt + 4) : get16(pkt + 2);
		FUZZ_ASSERT(off > 0 && end <= len && off < end && ah == a.has_ah);
		check_reencodes(&a, pkt + off, end - off);
	}

	/* The raw-socket path must agree with the packet-socket path on well-formed IPv6 headers. */
	if (len >= 40 && pkt[0] >> 4 == 6 && pkt[6] == VRRP_PROTO && get16(pkt + 4) <= len - 40) {
		struct vrrp_rx_ip6_meta m = { .hop_limit = pkt[7] };

		memcpy(m.src.b, pkt + 8, 16);
		memcpy(m.dst.b, pkt + 24, 16);
		FUZZ_ASSERT(vrrp_rx_check_ip6_payload(&m, pkt + 40, get16(pkt + 4), fuzz_lookup, &ctx, &b) == v);
		FUZZ_ASSERT(b.step == a.step);
	}
}

/* Selector bit 7: the bytes describe a group; what the builder makes of it must pass the pipeline. */
static void fuzz_build(const uint8_t *d, size_t len)
{
	struct fuzz_ctx ctx;
	struct vrrp_wire_group *g = &ctx.group;
	struct vrrp_tx tx = { 0 };
	struct vrrp_rx_advert a;
	uint8_t frame[VRRP_FRAME_MAX], mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	unsigned int alen;
	size_t need;
	int n;

	if (len < 24)
		return;
	memset(g, 0, sizeof(*g));
	g->family = d[0] & 1 ? VRRP_IPV6 : VRRP_IPV4;
	g->version = g->family == VRRP_IPV6 || (d[0] & 2) ? 3 : 2;
	g->auth_type = g->version == 2 ? (d[0] >> 2) % 3 : 0;
	g->vrid = d[1] % 61 ? d[1] : 1;
	g->interval = (uint16_t)(get16(d + 2) % (g->version == 2 ? 256 : 4096));
	memcpy(g->password, d + 4, VRRP_PASSWORD_LEN);
	g->vip_count = (uint8_t)(1 + d[12] % VRRP_MAX_VIPS);
	tx.priority = d[13];
	tx.csum_form = d[14] & 1;
	tx.ip_id = get16(d + 15);
	tx.ah_seq = (uint32_t)d[17] << 16 | (uint32_t)d[18] << 8 | d[19];
	alen = g->family == VRRP_IPV6 ? 16 : 4;
	memcpy(tx.src.b, d + 20, 4);
	d += 24, len -= 24;
	need = (size_t)g->vip_count * alen;
	if (len < need)
		return;
	for (unsigned int i = 0; i < g->vip_count; i++)
		memcpy(g->vips[i].b, d + i * alen, alen);
	if (g->family == VRRP_IPV6) {
		/* The link-local VIP leads, and the source is link-local too. */
		g->vips[0].b[0] = 0xfe, g->vips[0].b[1] = 0x80;
		memmove(tx.src.b + 12, tx.src.b, 4);
		memset(tx.src.b, 0, 12);
		tx.src.b[0] = 0xfe, tx.src.b[1] = 0x80;
	}

	n = vrrp_advert_frame_build(g, &tx, mac, frame, sizeof(frame), NULL);
	if (n < 0)
		return; /* refused (interval 0, ID 0, sequence 0, …) */
	FUZZ_ASSERT(n > 14 && n <= (int)sizeof(frame));
	FUZZ_ASSERT(vrrp_rx_check(frame + 14, (size_t)n - 14, fuzz_lookup, &ctx, &a) == VRRP_RX_ACCEPT);
	FUZZ_ASSERT(a.priority == tx.priority && a.count == g->vip_count && a.interval == g->interval);
	FUZZ_ASSERT(!(g->version == 3 && g->family == VRRP_IPV4) || a.csum_form == tx.csum_form ||
		    a.csum_form == VRRP_CSUM_FORM_B);
	FUZZ_ASSERT(a.has_ah == (g->auth_type == VRRP_AUTH_AH) && (!a.has_ah || a.ah_seq == tx.ah_seq));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_rx_advert a;

	if (size < 1)
		return 0;
	if (data[0] & SEL_BUILD)
		fuzz_build(data + 1, size - 1);
	else
		fuzz_receive(data[0], data + 1, size - 1);
	/* The decoder alone, on the same bytes as a bare message of either family. */
	vrrp_advert_decode(VRRP_IPV4, data + 1, size - 1, &a);
	vrrp_advert_decode(VRRP_IPV6, data + 1, size - 1, &a);
	return 0;
}
