/* Receive side of the VRRP wire format: the §1.11 pipeline, in its order, over untrusted bytes.
 * Every read is preceded by a length check against what the IP header and the buffer both allow. */
#include "vrrp_packet.h"

#include <errno.h>
#include <string.h>

#include "vrrp_pkt_auth.h"
#include "vrrp_pkt_csum.h"
#include "vrrp_pkt_wire.h"

#define VRRP_TYPE_ADVERT 1
#define IPV4_FRAG_MASK 0x3fff /* MF and fragment offset; DF is tolerated */

/* The IP layer reduced to what the VRRP steps need. */
struct rx_view {
	uint8_t family;
	const uint8_t *iph; /* IPv4 header, for the AH digest; NULL for IPv6 */
	size_t ihl;
	const uint8_t *payload; /* after the IP header: AH or the VRRP message */
	size_t payload_len; /* as the IP length field says, never beyond the buffer */
	bool ah;
	struct vrrp_ip src, dst;
	int ttl;
};

static enum vrrp_rx_verdict drop(struct vrrp_rx_advert *out, uint8_t step, enum vrrp_rx_verdict v)
{
	out->step = step;
	return v;
}

/* VRRPv2 addresses are IPv4 whatever carried them; v3 uses the IP family. */
static unsigned int msg_addr_len(uint8_t version, uint8_t family)
{
	return version == 2 ? 4 : vrrp_addr_len(family);
}

static size_t expected_len(uint8_t version, uint8_t family, uint8_t count)
{
	size_t fixed = version == 2 ? VRRP_V2_FIXED_LEN : VRRP_V3_FIXED_LEN;

	return fixed + (size_t)msg_addr_len(version, family) * count;
}

/* Header fields present in the first len bytes; addresses only when the length is exact. */
static void parse_fields(uint8_t family, const uint8_t *msg, size_t len, struct vrrp_rx_advert *out)
{
	unsigned int alen;

	out->family = family;
	out->version = msg[0] >> 4;
	alen = msg_addr_len(out->version, family);
	out->type = msg[0] & 0x0f;
	out->vrid = msg[1];
	if (len > 2)
		out->priority = msg[2];
	if (len > 3)
		out->count = msg[3];
	if (len < VRRP_V3_FIXED_LEN)
		return;
	if (out->version == 2) {
		out->auth_type = msg[4];
		out->interval = msg[5];
	} else {
		out->auth_type = 0;
		out->interval = get16(msg + 4) & 0x0fff; /* reserved nibble ignored */
	}
	if (len < 4 || len != expected_len(out->version, family, out->count))
		return;
	for (unsigned int i = 0; i < out->count && i < VRRP_MAX_VIPS; i++) {
		memset(&out->addrs[i], 0, sizeof(out->addrs[i]));
		memcpy(out->addrs[i].b, msg + 8 + (size_t)i * alen, alen);
	}
}

static bool addr_in(const uint8_t *a, const struct vrrp_ip *set, size_t n, unsigned int alen)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(a, set[i].b, alen) == 0)
			return true;
	return false;
}

/* Step 16: the same set, order ignored, checked both ways so duplicates cannot fake equality. */
static bool vip_set_equal(const struct vrrp_wire_group *g, const uint8_t *addrs, uint8_t count,
			  unsigned int alen)
{
	size_t n = g->vip_count < VRRP_MAX_VIPS ? g->vip_count : VRRP_MAX_VIPS;

	if (count != g->vip_count || count == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t j = 0; j < count && !found; j++)
			found = memcmp(addrs + j * alen, g->vips[i].b, alen) == 0;
		if (!found)
			return false;
	}
	for (size_t j = 0; j < count; j++)
		if (!addr_in(addrs + j * alen, g->vips, n, alen))
			return false;
	return true;
}

/* Step 13 for AH: ICV, then SPI, then the replay window, as §1.6 orders them. */
static enum vrrp_auth_fail check_ah(const struct rx_view *v, const struct vrrp_wire_group *g, const uint8_t *msg,
				    size_t len)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	const uint8_t *ah = v->payload;

	if (!v->iph || vrrp_ah_icv(g->password, v->iph, v->ihl, ah, msg, len, icv) ||
	    !vrrp_secret_equal(icv, ah + 12, VRRP_AH_ICV_LEN))
		return VRRP_AUTH_FAIL_ICV;
	if (memcmp(ah + 4, v->src.b, 4) != 0)
		return VRRP_AUTH_FAIL_SPI;
	if (get32(ah + 8) <= g->ah_last_seq)
		return VRRP_AUTH_FAIL_REPLAY;
	return VRRP_AUTH_FAIL_NONE;
}

/* Step 14; records which form verified. */
static bool checksum_ok(const struct rx_view *v, const uint8_t *msg, size_t len, uint8_t version,
			struct vrrp_rx_advert *out)
{
	uint32_t sum = vrrp_csum_add(0, msg, len);

	if (version == 2) {
		out->csum_form = VRRP_CSUM_FORM_A;
		return vrrp_csum_fold(sum) == 0xffff;
	}
	if (v->family == VRRP_IPV6) {
		out->csum_form = VRRP_CSUM_FORM_B;
		return vrrp_csum_fold(sum + vrrp_csum_pseudo6(v->src.b, v->dst.b, VRRP_PROTO, (uint32_t)len)) ==
		       0xffff;
	}
	/* Both forms are accepted (I-6); B first, so "A only" really means a form-A peer (V-93). */
	out->csum_form = VRRP_CSUM_FORM_B;
	if (vrrp_csum_fold(sum + vrrp_csum_pseudo4(v->src.b, v->dst.b, VRRP_PROTO, (uint16_t)len)) == 0xffff)
		return true;
	out->csum_form = VRRP_CSUM_FORM_A;
	return vrrp_csum_fold(sum) == 0xffff;
}

/* Steps 4-17, after the IP layer passed steps 1-3. */
static enum vrrp_rx_verdict rx_vrrp(const struct rx_view *v, vrrp_group_lookup_fn lookup, void *ctx,
				    struct vrrp_rx_advert *out)
{
	const struct vrrp_wire_group *g;
	const uint8_t *msg = v->payload;
	size_t len = v->payload_len;
	uint8_t version, auth;

	out->family = v->family;
	out->src = v->src;
	out->ttl = v->ttl >= 0 && v->ttl <= 255 ? (uint8_t)v->ttl : 0;
	out->has_ah = v->ah;
	if (v->ah) {
		/* Only keepalived's 24-byte AH is spoken; anything else hides where VRRP starts. */
		if (len < VRRP_AH_LEN || msg[1] != VRRP_AH_PAYLOAD_LEN)
			return drop(out, 4, VRRP_RX_MALFORMED);
		out->ah_seq = get32(msg + 8);
		msg += VRRP_AH_LEN;
		len -= VRRP_AH_LEN;
	}
	if (len < 2) /* no VRID: no group to count against */
		return drop(out, 4, VRRP_RX_MALFORMED);
	parse_fields(v->family, msg, len, out);
	version = out->version;

	g = lookup ? lookup(ctx, v->family, out->vrid) : NULL;
	if (!g || g->family != v->family || g->vrid != out->vrid)
		return drop(out, 4, VRRP_RX_UNKNOWN_VRID);
	out->group = g;

	if (v->ah != (g->auth_type == VRRP_AUTH_AH))
		return drop(out, 5, VRRP_RX_AUTH_TYPE_MISMATCH);

	/* The packet's own version sizes it, so a v3 advert reaching a v2 group counts as Version
	 * (step 8), not Length; an unknown version is sized as the group's. */
	if (len < 4 || len != expected_len(version == 2 || version == 3 ? version : g->version, v->family,
					   out->count))
		return drop(out, 6, VRRP_RX_LENGTH);

	if (v->ttl != VRRP_TTL)
		return drop(out, 7, VRRP_RX_TTL);
	/* VRRPv2 exists over IPv4 only, whatever a (misconfigured) group says. */
	if (version != g->version || (version == 2 && v->family != VRRP_IPV4))
		return drop(out, 8, VRRP_RX_VERSION);
	if (out->type != VRRP_TYPE_ADVERT)
		return drop(out, 9, VRRP_RX_INVALID_TYPE);
	if (g->owner)
		return drop(out, 10, VRRP_RX_OWNER_DISCARD);

	auth = out->auth_type;
	if (version == 2) {
		if (auth > VRRP_AUTH_AH)
			return drop(out, 11, VRRP_RX_AUTH_INVALID_TYPE);
		if (auth != g->auth_type)
			return drop(out, 12, VRRP_RX_AUTH_TYPE_MISMATCH);
		if (auth == VRRP_AUTH_PASSWORD &&
		    !vrrp_secret_equal(msg + len - VRRP_PASSWORD_LEN, g->password, VRRP_PASSWORD_LEN)) {
			out->auth_fail = VRRP_AUTH_FAIL_PASSWORD;
			return drop(out, 13, VRRP_RX_AUTH_FAILURE);
		}
	}
	/* Whatever the version, AH that reached here is verified (step 5 tied it to the group). */
	if (v->ah) {
		out->auth_fail = check_ah(v, g, msg, len);
		if (out->auth_fail != VRRP_AUTH_FAIL_NONE)
			return drop(out, 13, VRRP_RX_AUTH_FAILURE);
	}

	if (!checksum_ok(v, msg, len, version, out))
		return drop(out, 14, VRRP_RX_CHECKSUM);

	if (version == 2 ? out->interval != g->interval : out->interval == 0)
		return drop(out, 15, VRRP_RX_ADVERT_INTERVAL);

	if (!vip_set_equal(g, msg + 8, out->count, msg_addr_len(version, v->family))) {
		/* RFC 3768 §7.1: an owner's advert wins even with another list; an empty v3 list is
		 * always ignored (RFC 9568 §5.2.5). */
		if (out->priority != 255 || out->count == 0)
			return drop(out, 16, VRRP_RX_ADDRESS_LIST);
		out->addr_list_mismatch = true;
	}
	out->step = 17;
	return VRRP_RX_ACCEPT;
}

static enum vrrp_rx_verdict rx_ipv4(const uint8_t *pkt, size_t len, vrrp_group_lookup_fn lookup, void *ctx,
				    struct vrrp_rx_advert *out)
{
	struct rx_view v = { .family = VRRP_IPV4 };
	size_t ihl, total;

	if (len < VRRP_IPV4_HDR_LEN)
		return drop(out, 1, VRRP_RX_MALFORMED);
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	total = get16(pkt + 2);
	if (ihl < VRRP_IPV4_HDR_LEN || total < ihl || total > len ||
	    vrrp_csum_fold(vrrp_csum_add(0, pkt, ihl)) != 0xffff || (get16(pkt + 6) & IPV4_FRAG_MASK))
		return drop(out, 1, VRRP_RX_MALFORMED);
	v.iph = pkt;
	v.ihl = ihl;
	v.payload = pkt + ihl;
	v.payload_len = total - ihl; /* Ethernet padding beyond the total length is not ours */
	v.ttl = pkt[8];
	memcpy(v.src.b, pkt + 12, 4);
	memcpy(v.dst.b, pkt + 16, 4);

	if (pkt[9] == VRRP_PROTO_AH && v.payload_len >= 1 && v.payload[0] == VRRP_PROTO)
		v.ah = true;
	else if (pkt[9] != VRRP_PROTO)
		return drop(out, 2, VRRP_RX_NOT_VRRP);

	if (memcmp(v.dst.b, vrrp_mcast4, 4) != 0)
		return drop(out, 3, VRRP_RX_BAD_DEST);
	return rx_vrrp(&v, lookup, ctx, out);
}

static enum vrrp_rx_verdict rx_ipv6(const uint8_t *pkt, size_t len, vrrp_group_lookup_fn lookup, void *ctx,
				    struct vrrp_rx_advert *out)
{
	struct rx_view v = { .family = VRRP_IPV6 };
	size_t plen;

	if (len < VRRP_IPV6_HDR_LEN)
		return drop(out, 1, VRRP_RX_MALFORMED);
	plen = get16(pkt + 4);
	if (plen > len - VRRP_IPV6_HDR_LEN)
		return drop(out, 1, VRRP_RX_MALFORMED);
	/* Extension headers are never sent with VRRP (§1.2): anything but 112 is not ours. */
	if (pkt[6] != VRRP_PROTO)
		return drop(out, 2, VRRP_RX_NOT_VRRP);
	memcpy(v.src.b, pkt + 8, 16);
	memcpy(v.dst.b, pkt + 24, 16);
	if (memcmp(v.dst.b, vrrp_mcast6, 16) != 0)
		return drop(out, 3, VRRP_RX_BAD_DEST);
	v.payload = pkt + VRRP_IPV6_HDR_LEN;
	v.payload_len = plen;
	v.ttl = pkt[7];
	return rx_vrrp(&v, lookup, ctx, out);
}

enum vrrp_rx_verdict vrrp_rx_check(const uint8_t *pkt, size_t len, vrrp_group_lookup_fn lookup, void *ctx,
				   struct vrrp_rx_advert *out)
{
	memset(out, 0, sizeof(*out));
	if (!pkt || len < 1)
		return drop(out, 1, VRRP_RX_MALFORMED);
	switch (pkt[0] >> 4) {
	case 4:
		return rx_ipv4(pkt, len, lookup, ctx, out);
	case 6:
		return rx_ipv6(pkt, len, lookup, ctx, out);
	default:
		return drop(out, 1, VRRP_RX_MALFORMED);
	}
}

enum vrrp_rx_verdict vrrp_rx_check_ip6_payload(const struct vrrp_rx_ip6_meta *meta, const uint8_t *msg, size_t len,
					       vrrp_group_lookup_fn lookup, void *ctx, struct vrrp_rx_advert *out)
{
	struct rx_view v = { .family = VRRP_IPV6 };

	memset(out, 0, sizeof(*out));
	/* The kernel checked the IPv6 header and the next header (steps 1-2). */
	if (!meta || (!msg && len))
		return drop(out, 1, VRRP_RX_MALFORMED);
	if (len > 0xffff)
		return drop(out, 1, VRRP_RX_MALFORMED);
	v.src = meta->src;
	v.dst = meta->dst;
	if (memcmp(v.dst.b, vrrp_mcast6, 16) != 0)
		return drop(out, 3, VRRP_RX_BAD_DEST);
	v.payload = msg;
	v.payload_len = len;
	v.ttl = meta->hop_limit;
	return rx_vrrp(&v, lookup, ctx, out);
}

int vrrp_advert_decode(uint8_t family, const uint8_t *msg, size_t len, struct vrrp_rx_advert *out)
{
	memset(out, 0, sizeof(*out));
	if (family != VRRP_IPV4 && family != VRRP_IPV6)
		return -EINVAL;
	if (!msg || len < 2)
		return -EMSGSIZE;
	parse_fields(family, msg, len, out);
	if (out->version != 2 && out->version != 3)
		return -EPROTO;
	if (out->version == 2 && family != VRRP_IPV4)
		return -EPROTO;
	if (len < 4 || len != expected_len(out->version, family, out->count))
		return -EMSGSIZE;
	out->csum_form = out->version == 2 ? VRRP_CSUM_FORM_A : VRRP_CSUM_FORM_B;
	return 0;
}

const struct vrrp_wire_group *vrrp_group_table_lookup(void *table, uint8_t family, uint8_t vrid)
{
	const struct vrrp_group_table *t = table;

	for (size_t i = 0; t && i < t->count; i++)
		if (t->groups[i].family == family && t->groups[i].vrid == vrid)
			return &t->groups[i];
	return NULL;
}

const char *vrrp_rx_verdict_name(enum vrrp_rx_verdict v)
{
	static const char *const names[VRRP_RX_VERDICT_COUNT] = {
		[VRRP_RX_ACCEPT] = "accept",
		[VRRP_RX_MALFORMED] = "malformed",
		[VRRP_RX_NOT_VRRP] = "not-vrrp",
		[VRRP_RX_BAD_DEST] = "bad-destination",
		[VRRP_RX_UNKNOWN_VRID] = "unknown-vrid",
		[VRRP_RX_AUTH_TYPE_MISMATCH] = "auth-type-mismatch",
		[VRRP_RX_LENGTH] = "length",
		[VRRP_RX_TTL] = "ttl",
		[VRRP_RX_VERSION] = "version",
		[VRRP_RX_INVALID_TYPE] = "invalid-type",
		[VRRP_RX_OWNER_DISCARD] = "owner-discard",
		[VRRP_RX_AUTH_INVALID_TYPE] = "auth-invalid-type",
		[VRRP_RX_AUTH_FAILURE] = "auth-failure",
		[VRRP_RX_CHECKSUM] = "checksum",
		[VRRP_RX_ADVERT_INTERVAL] = "advertisement-interval",
		[VRRP_RX_ADDRESS_LIST] = "address-list",
	};

	if ((unsigned int)v >= VRRP_RX_VERDICT_COUNT)
		return "unknown";
	return names[v];
}
