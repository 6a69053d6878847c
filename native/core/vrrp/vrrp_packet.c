/* Transmit side of the VRRP wire format: adverts, whole packets and frames, announcements. */
#include "vrrp_packet.h"

#include <errno.h>
#include <string.h>

#include "vrrp_pkt_auth.h"
#include "vrrp_pkt_csum.h"
#include "vrrp_pkt_wire.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_IPV6 0x86dd
#define ICMPV6_PROTO 58
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_TARGET_LL 2
#define ND_NA_ROUTER 0x80
#define ND_NA_OVERRIDE 0x20

static const uint8_t mac_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_mcast4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
static const uint8_t mac_mcast6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x12 };
static const uint8_t mac_all_nodes6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ip6_all_nodes[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };

static size_t advert_len(const struct vrrp_wire_group *g)
{
	if (g->version == 2)
		return VRRP_V2_FIXED_LEN + 4u * g->vip_count;
	return VRRP_V3_FIXED_LEN + vrrp_addr_len(g->family) * g->vip_count;
}

static int check_group(const struct vrrp_wire_group *g, struct tdm_err *err)
{
	if (g->vrid == 0)
		return tdm_fail(err, -EINVAL, "VRRP group: VRID 0 is invalid");
	if (g->family != VRRP_IPV4 && g->family != VRRP_IPV6)
		return tdm_fail(err, -EINVAL, "VRRP group %u: unknown address family %u", g->vrid, g->family);
	if (g->vip_count == 0 || g->vip_count > VRRP_MAX_VIPS)
		return tdm_fail(err, -EINVAL, "VRRP group %u: %u virtual addresses (1-%d)", g->vrid, g->vip_count,
				VRRP_MAX_VIPS);
	if (g->version == 2) {
		if (g->family != VRRP_IPV4)
			return tdm_fail(err, -EINVAL, "VRRP group %u: VRRPv2 runs over IPv4 only", g->vrid);
		if (g->interval < 1 || g->interval > VRRP_V2_INTERVAL_MAX)
			return tdm_fail(err, -EINVAL, "VRRP group %u: v2 interval %u s (1-%d)", g->vrid, g->interval,
					VRRP_V2_INTERVAL_MAX);
		if (g->auth_type > VRRP_AUTH_AH)
			return tdm_fail(err, -EINVAL, "VRRP group %u: auth type %u", g->vrid, g->auth_type);
	} else if (g->version == 3) {
		if (g->interval < 1 || g->interval > VRRP_V3_INTERVAL_MAX)
			return tdm_fail(err, -EINVAL, "VRRP group %u: v3 interval %u cs (1-%d)", g->vrid, g->interval,
					VRRP_V3_INTERVAL_MAX);
		if (g->auth_type != VRRP_AUTH_NONE)
			return tdm_fail(err, -EINVAL, "VRRP group %u: VRRPv3 has no authentication", g->vrid);
		/* RFC 5798 §5.2.9: the link-local VIP leads an IPv6 advert. */
		if (g->family == VRRP_IPV6 && (g->vips[0].b[0] != 0xfe || (g->vips[0].b[1] & 0xc0) != 0x80))
			return tdm_fail(err, -EINVAL, "VRRP group %u: the first IPv6 VIP must be link-local", g->vrid);
	} else {
		return tdm_fail(err, -EINVAL, "VRRP group %u: version %u (2 or 3)", g->vrid, g->version);
	}
	return 0;
}

static int need(size_t cap, size_t len, const struct vrrp_wire_group *g, struct tdm_err *err)
{
	if (cap < len)
		return tdm_fail(err, -ENOSPC, "VRRP group %u: advert needs %zu bytes, buffer has %zu", g->vrid, len,
				cap);
	return 0;
}

/* Writes the message; the caller has validated g and the space. */
static size_t write_advert(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf)
{
	unsigned int alen = vrrp_addr_len(g->family);
	size_t len = advert_len(g);
	uint32_t sum = 0;
	uint8_t *p = buf + 8;

	buf[0] = (uint8_t)(g->version << 4 | 1);
	buf[1] = g->vrid;
	buf[2] = tx->priority;
	buf[3] = g->vip_count;
	if (g->version == 2) {
		buf[4] = g->auth_type;
		buf[5] = (uint8_t)g->interval;
	} else {
		put16(buf + 4, g->interval & 0x0fff); /* reserved nibble zero */
	}
	put16(buf + 6, 0);
	for (unsigned int i = 0; i < g->vip_count; i++, p += alen)
		memcpy(p, g->vips[i].b, alen);
	if (g->version == 2) {
		/* Only the plaintext type carries data; AH proves itself in its own header. */
		if (g->auth_type == VRRP_AUTH_PASSWORD)
			memcpy(p, g->password, VRRP_PASSWORD_LEN);
		else
			memset(p, 0, VRRP_PASSWORD_LEN);
	} else if (g->family == VRRP_IPV6) {
		sum = vrrp_csum_pseudo6(tx->src.b, vrrp_mcast6, VRRP_PROTO, (uint32_t)len);
	} else if (tx->csum_form == VRRP_CSUM_FORM_B) {
		sum = vrrp_csum_pseudo4(tx->src.b, vrrp_mcast4, VRRP_PROTO, (uint16_t)len);
	}
	put16(buf + 6, vrrp_csum_finish(vrrp_csum_add(sum, buf, len)));
	return len;
}

static int check_tx(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, struct tdm_err *err)
{
	if (g->version == 3 && g->family == VRRP_IPV4 && tx->csum_form != VRRP_CSUM_FORM_A &&
	    tx->csum_form != VRRP_CSUM_FORM_B)
		return tdm_fail(err, -EINVAL, "VRRP group %u: checksum form %u", g->vrid, tx->csum_form);
	return 0;
}

int vrrp_advert_encode(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
		       struct tdm_err *err)
{
	int rc = check_group(g, err);

	if (!rc)
		rc = check_tx(g, tx, err);
	if (!rc)
		rc = need(cap, advert_len(g), g, err);
	if (rc)
		return rc;
	return (int)write_advert(g, tx, buf);
}

int vrrp_ipv4_advert_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
			   struct tdm_err *err)
{
	bool ah = g->auth_type == VRRP_AUTH_AH;
	size_t hlen = VRRP_IPV4_HDR_LEN + (ah ? VRRP_AH_LEN : 0);
	size_t total;
	uint8_t *ip = buf, *ahp = buf + VRRP_IPV4_HDR_LEN, *msg = buf + hlen;
	int rc = check_group(g, err);

	if (rc)
		return rc;
	if (g->family != VRRP_IPV4)
		return tdm_fail(err, -EINVAL, "VRRP group %u: not an IPv4 group", g->vrid);
	/* A zero ID would be rewritten by the kernel, breaking the AH digest (§1.2). */
	if (tx->ip_id == 0)
		return tdm_fail(err, -EINVAL, "VRRP group %u: IPv4 identification must be non-zero", g->vrid);
	if (ah && tx->ah_seq == 0)
		return tdm_fail(err, -EINVAL, "VRRP group %u: AH sequence numbers start at 1", g->vrid);
	rc = check_tx(g, tx, err);
	if (!rc)
		rc = need(cap, hlen + advert_len(g), g, err);
	if (rc)
		return rc;

	total = hlen + write_advert(g, tx, msg);
	ip[0] = 0x45;
	ip[1] = VRRP_TOS;
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, tx->ip_id);
	put16(ip + 6, 0); /* DF clear, never fragmented */
	ip[8] = VRRP_TTL;
	ip[9] = ah ? VRRP_PROTO_AH : VRRP_PROTO;
	put16(ip + 10, 0);
	memcpy(ip + 12, tx->src.b, 4);
	memcpy(ip + 16, vrrp_mcast4, 4);
	put16(ip + 10, vrrp_csum_finish(vrrp_csum_add(0, ip, VRRP_IPV4_HDR_LEN)));
	if (ah) {
		uint8_t icv[VRRP_AH_ICV_LEN];

		ahp[0] = VRRP_PROTO;
		ahp[1] = VRRP_AH_PAYLOAD_LEN;
		put16(ahp + 2, 0);
		memcpy(ahp + 4, tx->src.b, 4); /* SPI = source address (keepalived) */
		put32(ahp + 8, tx->ah_seq);
		memset(ahp + 12, 0, VRRP_AH_ICV_LEN);
		if (vrrp_ah_icv(g->password, ip, VRRP_IPV4_HDR_LEN, ahp, msg, total - hlen, icv))
			return tdm_fail(err, -EIO, "VRRP group %u: HMAC-MD5 failed (OpenSSL)", g->vrid);
		memcpy(ahp + 12, icv, VRRP_AH_ICV_LEN);
	}
	return (int)total;
}

int vrrp_ipv6_advert_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
			   struct tdm_err *err)
{
	size_t mlen;
	int rc = check_group(g, err);

	if (rc)
		return rc;
	if (g->family != VRRP_IPV6)
		return tdm_fail(err, -EINVAL, "VRRP group %u: not an IPv6 group", g->vrid);
	rc = need(cap, VRRP_IPV6_HDR_LEN + advert_len(g), g, err);
	if (rc)
		return rc;
	mlen = write_advert(g, tx, buf + VRRP_IPV6_HDR_LEN);
	/* Version 6, traffic class 0xc0, flow label 0. */
	put32(buf, 6u << 28 | (uint32_t)VRRP_TOS << 20);
	put16(buf + 4, (uint16_t)mlen);
	buf[6] = VRRP_PROTO;
	buf[7] = VRRP_TTL;
	memcpy(buf + 8, tx->src.b, 16);
	memcpy(buf + 24, vrrp_mcast6, 16);
	return (int)(VRRP_IPV6_HDR_LEN + mlen);
}

static void put_eth(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	put16(buf + 12, type);
}

int vrrp_advert_frame_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, const uint8_t src_mac[6],
			    uint8_t *buf, size_t cap, struct tdm_err *err)
{
	int len;

	if (cap < VRRP_ETH_HDR_LEN)
		return tdm_fail(err, -ENOSPC, "VRRP group %u: frame buffer of %zu bytes", g->vrid, cap);
	if (g->family == VRRP_IPV6)
		len = vrrp_ipv6_advert_build(g, tx, buf + VRRP_ETH_HDR_LEN, cap - VRRP_ETH_HDR_LEN, err);
	else
		len = vrrp_ipv4_advert_build(g, tx, buf + VRRP_ETH_HDR_LEN, cap - VRRP_ETH_HDR_LEN, err);
	if (len < 0)
		return len;
	if (g->family == VRRP_IPV6)
		put_eth(buf, mac_mcast6, src_mac, ETH_P_IPV6);
	else
		put_eth(buf, mac_mcast4, src_mac, ETH_P_IPV4);
	return VRRP_ETH_HDR_LEN + len;
}

void vrrp_vmac(uint8_t family, uint8_t vrid, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = family == VRRP_IPV6 ? 0x02 : 0x01;
	mac[5] = vrid;
}

int vrrp_garp_frame_build(const uint8_t mac[6], const struct vrrp_ip *vip, uint16_t op, uint8_t *buf, size_t cap)
{
	uint8_t *arp = buf + VRRP_ETH_HDR_LEN;

	if (op != 1 && op != 2)
		return -EINVAL;
	if (cap < VRRP_GARP_FRAME_LEN)
		return -ENOSPC;
	put_eth(buf, mac_broadcast, mac, ETH_P_ARP);
	put16(arp, 1); /* Ethernet */
	put16(arp + 2, ETH_P_IPV4);
	arp[4] = 6;
	arp[5] = 4;
	put16(arp + 6, op);
	memcpy(arp + 8, mac, 6);
	memcpy(arp + 14, vip->b, 4);
	memcpy(arp + 18, op == 1 ? mac_broadcast : mac, 6);
	memcpy(arp + 24, vip->b, 4);
	return VRRP_GARP_FRAME_LEN;
}

int vrrp_na_frame_build(const uint8_t mac[6], const struct vrrp_ip *vip, uint8_t *buf, size_t cap)
{
	uint8_t *ip6 = buf + VRRP_ETH_HDR_LEN, *icmp = ip6 + VRRP_IPV6_HDR_LEN;
	const uint16_t icmp_len = 32;
	uint32_t sum;

	if (cap < VRRP_NA_FRAME_LEN)
		return -ENOSPC;
	put_eth(buf, mac_all_nodes6, mac, ETH_P_IPV6);
	put32(ip6, 6u << 28);
	put16(ip6 + 4, icmp_len);
	ip6[6] = ICMPV6_PROTO;
	ip6[7] = 255; /* receivers drop ND with any other hop limit */
	memcpy(ip6 + 8, vip->b, 16);
	memcpy(ip6 + 24, ip6_all_nodes, 16);
	icmp[0] = ND_NEIGHBOR_ADVERT;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	icmp[4] = ND_NA_ROUTER | ND_NA_OVERRIDE;
	icmp[5] = icmp[6] = icmp[7] = 0;
	memcpy(icmp + 8, vip->b, 16);
	icmp[24] = ND_OPT_TARGET_LL;
	icmp[25] = 1; /* option length in units of 8 bytes */
	memcpy(icmp + 26, mac, 6);
	sum = vrrp_csum_pseudo6(vip->b, ip6_all_nodes, ICMPV6_PROTO, icmp_len);
	put16(icmp + 2, vrrp_csum_finish(vrrp_csum_add(sum, icmp, icmp_len)));
	return VRRP_NA_FRAME_LEN;
}
