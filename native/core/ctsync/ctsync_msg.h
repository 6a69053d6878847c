/* The conntrackd 1.4 FTFW wire format (spec conntrack-sync.md §6.4): datagrams of 4-byte aligned
 * messages, an 8-byte header (16 for ACK/NACK/RESYNC), and TLV attributes describing one
 * connection. Parsing is strict, as conntrackd's is: a wrong size, an unknown attribute or a bad
 * length drops the message, and the caller counts it. */
#ifndef TANDEM_CTSYNC_MSG_H
#define TANDEM_CTSYNC_MSG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTS_VERSION 1
#define CTS_HDR_LEN 8
#define CTS_ACK_HDR_LEN 16
#define CTS_ALIGN(n) (((n) + 3u) & ~3u)

enum cts_type {
	CTS_CT_NEW = 0,
	CTS_CT_UPD = 1,
	CTS_CT_DEL = 2,
	CTS_EXP_NEW = 3,
	CTS_EXP_UPD = 4,
	CTS_EXP_DEL = 5,
	CTS_CTL = 10,
};

enum cts_flag {
	CTS_F_RESYNC = 0x02,
	CTS_F_NACK = 0x04,
	CTS_F_ACK = 0x08,
	CTS_F_ALIVE = 0x10,
	CTS_F_HELLO = 0x20,
	CTS_F_HELLO_BACK = 0x40,
};

/* Attribute types of connection messages (conntrackd's NTA_*). */
enum cts_attr {
	CTS_A_IPV4 = 0,
	CTS_A_IPV6,
	CTS_A_L4PROTO,
	CTS_A_PORT,
	CTS_A_TCP_STATE,
	CTS_A_STATUS,
	CTS_A_TIMEOUT,
	CTS_A_MARK,
	CTS_A_MASTER_IPV4,
	CTS_A_MASTER_IPV6,
	CTS_A_MASTER_L4PROTO,
	CTS_A_MASTER_PORT,
	CTS_A_SNAT_IPV4,
	CTS_A_DNAT_IPV4,
	CTS_A_SPAT_PORT,
	CTS_A_DPAT_PORT,
	CTS_A_NAT_SEQ_ADJ,
	CTS_A_SCTP_STATE,
	CTS_A_SCTP_VTAG_ORIG,
	CTS_A_SCTP_VTAG_REPL,
	CTS_A_DCCP_STATE,
	CTS_A_DCCP_ROLE,
	CTS_A_ICMP_TYPE,
	CTS_A_ICMP_CODE,
	CTS_A_ICMP_ID,
	CTS_A_TCP_WSCALE_ORIG,
	CTS_A_TCP_WSCALE_REPL,
	CTS_A_HELPER_NAME,
	CTS_A_LABELS,
	CTS_A_SNAT_IPV6,
	CTS_A_DNAT_IPV6,
	CTS_A_SYNPROXY,
	CTS_A_ZONE,
	CTS_A_MAX,
};

/* Attribute types of expectation messages (conntrackd's NTA_EXP_*): groups of four for the
 * master, expected and mask tuples, then the rest. */
enum cts_exp_attr {
	CTS_X_MASTER_IPV4 = 0,
	CTS_X_MASTER_IPV6,
	CTS_X_MASTER_L4PROTO,
	CTS_X_MASTER_PORT,
	CTS_X_EXPECT_IPV4,
	CTS_X_EXPECT_IPV6,
	CTS_X_EXPECT_L4PROTO,
	CTS_X_EXPECT_PORT,
	CTS_X_MASK_IPV4,
	CTS_X_MASK_IPV6,
	CTS_X_MASK_L4PROTO,
	CTS_X_MASK_PORT,
	CTS_X_TIMEOUT,
	CTS_X_FLAGS,
	CTS_X_CLASS,
	CTS_X_NAT_IPV4,
	CTS_X_NAT_PORT,
	CTS_X_NAT_L4PROTO,
	CTS_X_NAT_DIR,
	CTS_X_HELPER_NAME,
	CTS_X_FN,
	CTS_X_MAX,
};

/* Why a message was dropped. */
enum cts_error {
	CTS_OK = 0,
	CTS_E_SHORT = -1,     /* fewer bytes than a header, or than the header's length */
	CTS_E_VERSION = -2,   /* not version 1 */
	CTS_E_LENGTH = -3,    /* length below the header, unaligned, or a control message of the wrong size */
	CTS_E_TYPE = -4,      /* unknown message type */
	CTS_E_ATTR = -5,      /* attribute of unknown type, wrong size, or running past the message */
	CTS_E_INCOMPLETE = -6, /* no address or no protocol: not a connection (or expectation) */
};

const char *cts_strerror(int err);

struct cts_hdr {
	uint8_t type;
	uint8_t version;
	uint8_t flags;
	uint16_t len; /* whole message, header included */
	uint32_t seq;
	uint32_t from, to; /* ACK/NACK/RESYNC only */
};

/* One connection as the wire carries it: the original tuple plus state. Addresses in network
 * byte order; numbers in host order. `present` has bit (1 << cts_attr) for each attribute seen. */
struct cts_entry {
	uint64_t present;
	uint8_t family; /* 4 or 6 */
	uint8_t l4proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t tcp_state;
	uint32_t status, timeout, mark;
	uint8_t master_family, master_l4proto;
	uint8_t master_src[16], master_dst[16];
	uint16_t master_sport, master_dport;
	uint8_t snat_ipv4[4], dnat_ipv4[4];
	uint16_t spat_port, dpat_port;
	uint32_t nat_seq_adj[6];
	uint8_t sctp_state;
	uint32_t sctp_vtag_orig, sctp_vtag_repl;
	uint8_t dccp_state, dccp_role;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;
	uint8_t tcp_wscale_orig, tcp_wscale_repl;
	char helper[17];
	uint8_t labels[16];
	uint8_t labels_len;
	uint8_t snat_ipv6[16], dnat_ipv6[16];
	uint32_t synproxy[3];
	uint16_t zone;
};

#define CTS_HAS(e, a) (((e)->present >> (a)) & 1)

/* One tuple of an expectation; family 0 when the message carried none. Ports only for protocols
 * that have them. */
struct cts_tuple {
	uint8_t family, l4proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

/* One expectation: the connection a helper announced (`expect`, matched under `mask`), the master
 * connection that announced it, and how NAT follows it. `present` has bit (1 << cts_exp_attr). */
struct cts_exp {
	uint64_t present;
	struct cts_tuple master, expect, mask, nat;
	uint32_t timeout, flags, klass, nat_dir;
	char helper[17];
	char fn[33];
};

/* Reads the message header at buf (avail bytes left in the datagram). Returns the message length
 * (>= header, 4-byte aligned, <= avail) or a negative cts_error. */
int cts_hdr_parse(const uint8_t *buf, size_t avail, struct cts_hdr *h);

/* Decodes the attributes of a connection message (payload after the 8-byte header). */
int cts_entry_decode(const uint8_t *payload, size_t len, struct cts_entry *e);

/* Builds a connection message; returns its length, or 0 when cap is too small. */
size_t cts_build_entry(uint8_t *buf, size_t cap, enum cts_type type, uint8_t flags, uint32_t seq,
		       const struct cts_entry *e);

/* Decodes the attributes of an expectation message; master and expected tuple are required. */
int cts_exp_decode(const uint8_t *payload, size_t len, struct cts_exp *x);

/* Builds an expectation message (conntrackd's attribute order); its length, or 0 when cap is too
 * small. */
size_t cts_build_exp(uint8_t *buf, size_t cap, enum cts_type type, uint8_t flags, uint32_t seq,
		     const struct cts_exp *x);

/* Builds a control message: 16 bytes with from/to for ACK/NACK/RESYNC, else 8 (ALIVE, HELLO…). */
size_t cts_build_ctl(uint8_t *buf, size_t cap, uint8_t flags, uint32_t seq, uint32_t from, uint32_t to);

struct cts_rx_stats {
	uint64_t messages;
	uint64_t malformed;
};

/* Walks a datagram: fn gets every well-formed message (header, payload, payload length); a
 * malformed message is counted and ends the walk (its length cannot be trusted). Returns the
 * number of messages handed to fn. */
int cts_datagram_walk(const uint8_t *buf, size_t len,
		      void (*fn)(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx), void *ctx,
		      struct cts_rx_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
