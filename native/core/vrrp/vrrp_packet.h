/* VRRP on the wire (spec vrrp.md §1.2–1.6, 1.11, 1.13): advert encoding, whole IPv4/IPv6 packets
 * and Ethernet frames (with keepalived's AH for VRRPv2 `ah`), announcement frames, and the receive
 * pipeline. Pure functions over caller buffers: no sockets, no allocation, no global state, safe
 * from any thread. All multi-byte wire fields are written and read byte by byte in network order. */
#ifndef TANDEM_VRRP_PACKET_H
#define TANDEM_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VRRP_PROTO 112
#define VRRP_PROTO_AH 51
#define VRRP_TTL 255
#define VRRP_TOS 0xc0
#define VRRP_MAX_VIPS 20 /* per group (guide) */
#define VRRP_PASSWORD_LEN 8
#define VRRP_AH_LEN 24
#define VRRP_AH_ICV_LEN 12
#define VRRP_V2_INTERVAL_MAX 255 /* seconds */
#define VRRP_V3_INTERVAL_MAX 4095 /* centiseconds */

/* Buffer sizes that always suffice for the builders below. */
#define VRRP_ADVERT_MAX (8 + 16 * VRRP_MAX_VIPS) /* v3 IPv6 message: 328 */
#define VRRP_IPV4_PACKET_MAX (20 + VRRP_AH_LEN + 16 + 4 * VRRP_MAX_VIPS) /* v2 + AH: 140 */
#define VRRP_IPV6_PACKET_MAX (40 + VRRP_ADVERT_MAX) /* 368 */
#define VRRP_FRAME_MAX (14 + VRRP_IPV6_PACKET_MAX)
#define VRRP_GARP_FRAME_LEN 42
#define VRRP_NA_FRAME_LEN 86

/* Values equal the IP version nibble. */
enum vrrp_family {
	VRRP_IPV4 = 4,
	VRRP_IPV6 = 6,
};

/* VRRPv2 Auth Type (RFC 2338 values). */
enum vrrp_auth {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASSWORD = 1,
	VRRP_AUTH_AH = 2,
};

/* What a checksum covers (§1.5). v2 is always message-only (A); v3 IPv6 always has the pseudo-header
 * (B); v3 IPv4 may be either. Form B is the zero value because it is keepalived's and the default. */
enum vrrp_csum_form {
	VRRP_CSUM_FORM_B = 0, /* pseudo-header + message (keepalived, FRR default) */
	VRRP_CSUM_FORM_A = 1, /* message only (RFC 9568, Cisco, Juniper) */
};

/* An IPv4 (first 4 bytes, rest zero) or IPv6 address, network byte order. */
struct vrrp_ip {
	uint8_t b[16];
};

/* A configured group as the wire sees it: what is sent and what received adverts are checked
 * against. */
struct vrrp_wire_group {
	uint8_t vrid; /* 1-255 */
	uint8_t family; /* enum vrrp_family */
	uint8_t version; /* 2 (IPv4 only) or 3 */
	uint8_t auth_type; /* enum vrrp_auth; v2 only, NONE for v3 */
	uint8_t password[VRRP_PASSWORD_LEN]; /* zero-padded; auth types 1 and 2 */
	uint16_t interval; /* local Advertisement_Interval: v2 seconds 1-255, v3 centiseconds 1-4095 */
	bool owner; /* local router owns the VIPs (priority 255): received adverts are discarded */
	uint8_t vip_count; /* 1-VRRP_MAX_VIPS */
	struct vrrp_ip vips[VRRP_MAX_VIPS]; /* configured order; IPv6: the link-local VIP first */
	uint32_t ah_last_seq; /* highest AH sequence number accepted by this group; 0 = none yet */
};

/* Per-advert values of one transmission. */
struct vrrp_tx {
	uint8_t priority; /* effective priority; 0 releases mastership */
	struct vrrp_ip src; /* IPv4 primary address / IPv6 link-local of the parent */
	uint8_t csum_form; /* enum vrrp_csum_form; used by v3 IPv4 only */
	uint16_t ip_id; /* IPv4 identification, non-zero (whole IPv4 packets only) */
	uint32_t ah_seq; /* AH sequence number, non-zero (auth type ah only) */
};

/* The VRRP message alone (what an IPPROTO_112 raw socket sends): returns its length, or a negative
 * errno (-EINVAL for an invalid group or tx, -ENOSPC when cap is too small) with err set. For AH
 * groups this is the inner message (Auth Type 2, zero auth data); AH needs the whole IPv4 packet. */
int vrrp_advert_encode(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
		       struct tdm_err *err);

/* The whole IPv4 packet (for IP_HDRINCL or a packet socket): header with TOS 0xc0, TTL 255,
 * tx->ip_id, DF clear, protocol 112 (or 51 followed by the AH header for auth type ah), header
 * checksum, destination 224.0.0.18; then the message. Returns the length or a negative errno. */
int vrrp_ipv4_advert_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
			   struct tdm_err *err);

/* The whole IPv6 packet: traffic class 0xc0, hop limit 255, next header 112, ff02::12. */
int vrrp_ipv6_advert_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, uint8_t *buf, size_t cap,
			   struct tdm_err *err);

/* The whole Ethernet frame of an advert: destination 01:00:5e:00:00:12 / 33:33:00:00:00:12, source
 * src_mac (the VMAC in RFC 3768 mode, else the parent's MAC), then the IPv4 or IPv6 packet. */
int vrrp_advert_frame_build(const struct vrrp_wire_group *g, const struct vrrp_tx *tx, const uint8_t src_mac[6],
			    uint8_t *buf, size_t cap, struct tdm_err *err);

/* 00:00:5e:00:01:{vrid} for IPv4, 00:00:5e:00:02:{vrid} for IPv6. */
void vrrp_vmac(uint8_t family, uint8_t vrid, uint8_t mac[6]);

/* Gratuitous ARP frame for an IPv4 VIP (§1.13), VRRP_GARP_FRAME_LEN bytes, unpadded: broadcast, sender
 * = target = vip, sender hardware = mac. op 1 (request): target hardware ff:ff:ff:ff:ff:ff; op 2
 * (reply): target hardware = mac (as `arping -A`). Returns the length, -EINVAL or -ENOSPC. */
int vrrp_garp_frame_build(const uint8_t mac[6], const struct vrrp_ip *vip, uint16_t op, uint8_t *buf, size_t cap);

/* Unsolicited Neighbor Advertisement for an IPv6 VIP (§1.13), VRRP_NA_FRAME_LEN bytes: from the VIP
 * and mac to ff02::1 (33:33:00:00:00:01), hop limit 255, R=1 S=0 O=1, target = vip, target
 * link-layer option = mac. Returns the length or -ENOSPC. */
int vrrp_na_frame_build(const uint8_t mac[6], const struct vrrp_ip *vip, uint8_t *buf, size_t cap);

/* Verdict of the receive pipeline: ACCEPT or the counter of the first failing step of §1.11 / §3.6. */
enum vrrp_rx_verdict {
	VRRP_RX_ACCEPT = 0, /* step 17: Advertisements Received */
	VRRP_RX_MALFORMED, /* 1 (and a message too short to name its VRID): interface Malformed */
	VRRP_RX_NOT_VRRP, /* 2: not VRRP; ignore silently, no counter */
	VRRP_RX_BAD_DEST, /* 3: interface Bad destination */
	VRRP_RX_UNKNOWN_VRID, /* 4: interface Unknown VRID */
	VRRP_RX_AUTH_TYPE_MISMATCH, /* 5 (AH present vs expected), 12: Authentication Type mismatch */
	VRRP_RX_LENGTH, /* 6: Length (CARP packets end here) */
	VRRP_RX_TTL, /* 7: TTL */
	VRRP_RX_VERSION, /* 8: Version */
	VRRP_RX_INVALID_TYPE, /* 9: Invalid type */
	VRRP_RX_OWNER_DISCARD, /* 10: Owner discards */
	VRRP_RX_AUTH_INVALID_TYPE, /* 11: Authentication Invalid type */
	VRRP_RX_AUTH_FAILURE, /* 13: Authentication Failure (detail in auth_fail) */
	VRRP_RX_CHECKSUM, /* 14: Checksum */
	VRRP_RX_ADVERT_INTERVAL, /* 15: Advertisement interval */
	VRRP_RX_ADDRESS_LIST, /* 16: Address List */
	VRRP_RX_VERDICT_COUNT,
};

/* Why step 13 failed: the counter is the same, the log line and V-63's replay recovery are not. */
enum vrrp_auth_fail {
	VRRP_AUTH_FAIL_NONE = 0,
	VRRP_AUTH_FAIL_PASSWORD, /* plaintext password differs */
	VRRP_AUTH_FAIL_ICV, /* AH ICV differs (wrong password or altered packet) */
	VRRP_AUTH_FAIL_SPI, /* AH SPI is not the IPv4 source address */
	VRRP_AUTH_FAIL_REPLAY, /* AH sequence number not above the group's ah_last_seq */
};

/* A received advert. On a drop, the fields read before the failing step are set (from step 4 on:
 * family, src, ttl, version, type, vrid and, when present, priority and count), so the engine can
 * log and warn (e.g. an owner discard from a sender that also claims priority 255). */
struct vrrp_rx_advert {
	uint8_t family; /* enum vrrp_family */
	uint8_t version;
	uint8_t type;
	uint8_t vrid;
	uint8_t priority;
	uint8_t count; /* Count IPvX Addrs as received */
	uint8_t auth_type; /* v2 Auth Type; 0 for v3 */
	uint8_t ttl; /* TTL / hop limit */
	uint16_t interval; /* v2: seconds; v3: centiseconds (Max Adver Int) */
	struct vrrp_ip src; /* sender's primary address (IP source) */
	struct vrrp_ip addrs[VRRP_MAX_VIPS]; /* the first min(count, VRRP_MAX_VIPS) addresses */
	uint8_t csum_form; /* enum vrrp_csum_form that verified; for v3 IPv4 B wins when both do */
	bool has_ah;
	uint32_t ah_seq; /* AH sequence number when has_ah: the group's next ah_last_seq on accept */
	bool addr_list_mismatch; /* step 16 failed but the sender has priority 255: accepted, log it */
	uint8_t auth_fail; /* enum vrrp_auth_fail when the verdict is AUTH_FAILURE */
	uint8_t step; /* the §1.11 step that decided (17 on accept) */
	const struct vrrp_wire_group *group; /* the group of step 4, NULL before */
};

/* Finds the group configured for (family, vrid) on the receiving interface, NULL when none. */
typedef const struct vrrp_wire_group *(*vrrp_group_lookup_fn)(void *ctx, uint8_t family, uint8_t vrid);

/* A plain array of groups, usable as the lookup's ctx with vrrp_group_table_lookup. */
struct vrrp_group_table {
	const struct vrrp_wire_group *groups;
	size_t count;
};
const struct vrrp_wire_group *vrrp_group_table_lookup(void *table, uint8_t family, uint8_t vrid);

/* Runs §1.11 on an IP packet as received: pkt starts at the IPv4 or IPv6 header (an Ethernet frame
 * minus its 14-byte header); bytes past the IP length (Ethernet padding) are ignored. IPv4 options
 * are tolerated; IPv6 extension headers are not VRRP. The pipeline only reads the groups: on
 * ACCEPT with has_ah the caller stores ah_seq into the group's ah_last_seq. */
enum vrrp_rx_verdict vrrp_rx_check(const uint8_t *pkt, size_t len, vrrp_group_lookup_fn lookup, void *ctx,
				   struct vrrp_rx_advert *out);

/* What an IPPROTO_112 raw IPv6 socket tells besides the payload: recvfrom's source, and the
 * destination (IPV6_PKTINFO) and hop limit (IPV6_HOPLIMIT) from ancillary data. */
struct vrrp_rx_ip6_meta {
	struct vrrp_ip src;
	struct vrrp_ip dst;
	int hop_limit; /* -1 when the kernel did not report it (fails step 7) */
};

/* The same pipeline for an IPv6 VRRP message received without its IPv6 header. */
enum vrrp_rx_verdict vrrp_rx_check_ip6_payload(const struct vrrp_rx_ip6_meta *meta, const uint8_t *msg, size_t len,
					       vrrp_group_lookup_fn lookup, void *ctx, struct vrrp_rx_advert *out);

/* Parses a VRRP message without any group: fields as above (not src, ttl, AH), length checked
 * exactly against the count, checksum not checked. 0, or -EMSGSIZE (truncated / length differs)
 * or -EPROTO (version not 2 or 3, v2 over IPv6). For logging and capture tools. */
int vrrp_advert_decode(uint8_t family, const uint8_t *msg, size_t len, struct vrrp_rx_advert *out);

/* Stable lower-case name of a verdict, e.g. "ttl", "auth-failure". */
const char *vrrp_rx_verdict_name(enum vrrp_rx_verdict v);

#ifdef __cplusplus
}
#endif

#endif
