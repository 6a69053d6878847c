/* The clustering heartbeat, Tandem v1 (spec clustering.md §6.3, CL-12/CL-14): one UDP datagram per
 * link and round, a 56-byte fixed part, the node and group names, the monitor bitmap padded to 4
 * bytes, and an HMAC-SHA-256 over everything before it keyed with the pre-shared secret.
 *
 * Decoding is strict and in a fixed order: the header's size, magic, version, type and total length
 * first, then the MAC (constant-time compare), and only an authenticated datagram has its names and
 * bitmap parsed. Pure code: no I/O, no clock, no allocation. */
#ifndef TANDEM_CLUSTER_MSG_H
#define TANDEM_CLUSTER_MSG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHB_PORT 694
#define CHB_MAGIC "TCHB"
#define CHB_VERSION 1
#define CHB_TYPE_HEARTBEAT 1
#define CHB_FIXED_LEN 56
#define CHB_MAC_LEN 32
#define CHB_NODE_MAX 63  /* node name length a: 1-63 */
#define CHB_GROUP_MAX 64 /* group name length b: 1-64 */
#define CHB_MONITORS_MAX 256
#define CHB_BITMAP_MAX (CHB_MONITORS_MAX / 8)
/* Fixed part, longest names, full bitmap, padding to 4, MAC: 56 + 63 + 64 + 32 + 1 + 32. */
#define CHB_MAX_LEN 248
/* Anything shorter cannot hold the fixed part and a MAC. */
#define CHB_MIN_LEN (CHB_FIXED_LEN + CHB_MAC_LEN)

enum chb_role {
	CHB_ROLE_PRIMARY = 1,
	CHB_ROLE_SECONDARY = 2,
};

enum chb_state {
	CHB_STATE_INIT = 0,
	CHB_STATE_STANDBY = 1,
	CHB_STATE_ACQUIRING = 2,
	CHB_STATE_ACTIVE = 3,
	CHB_STATE_RELEASING = 4,
};

enum chb_flag {
	CHB_F_FORCED = 0x0001,           /* forced placement (force cluster active/standby in effect) */
	CHB_F_AUTO_FAILBACK = 0x0002,
	CHB_F_TAKEOVER_REQUEST = 0x0004, /* force cluster active */
	CHB_F_STANDBY_REQUEST = 0x0008,  /* force cluster standby */
};
#define CHB_F_ALL (CHB_F_FORCED | CHB_F_AUTO_FAILBACK | CHB_F_TAKEOVER_REQUEST | CHB_F_STANDBY_REQUEST)

/* One heartbeat, numbers in host order. Names are NUL-terminated; bit i of the bitmap (byte i / 8,
 * bit i % 8 from the least significant) is monitor i in configured order, set when reachable. Bits
 * at or past monitors_total are zero, and monitors_reachable is the number of bits set. */
struct chb_msg {
	uint64_t generation;
	uint64_t sequence;
	uint8_t role;  /* enum chb_role */
	uint8_t state; /* enum chb_state */
	uint16_t flags; /* enum chb_flag bits */
	uint32_t keepalive_ms;
	uint16_t monitors_total;
	uint16_t monitors_reachable;
	uint8_t digest[16];
	uint8_t link;
	char node[CHB_NODE_MAX + 1];
	char group[CHB_GROUP_MAX + 1];
	uint8_t bitmap[CHB_BITMAP_MAX];
};

/* Encodes m and signs it with key. Returns the datagram's length, -EINVAL when m is not a valid
 * heartbeat (name empty, too long, unterminated or not printable ASCII; role, state or flags
 * unknown; more than 256 monitors; bitmap bits past monitors_total, or a reachable count that is not
 * the bitmap's) or the key is too long for OpenSSL, -ENOSPC when cap is too small, -EIO when OpenSSL
 * fails. key may be NULL when key_len is 0. */
int chb_encode(const struct chb_msg *m, const uint8_t *key, size_t key_len, uint8_t *out, size_t cap);

/* Why a datagram was dropped. */
enum chb_verdict {
	CHB_OK = 0,
	CHB_SHORT,       /* fewer bytes than the fixed part and a MAC */
	CHB_BAD_MAGIC,   /* not "TCHB" */
	CHB_BAD_VERSION, /* not version 1 */
	CHB_BAD_TYPE,    /* not a heartbeat */
	CHB_BAD_LENGTH,  /* header length is not the datagram's (or unaligned, or past CHB_MAX_LEN); after the
			  * MAC: reserved byte set, a name length out of range, lengths that do not add up to
			  * the datagram's, a name not printable ASCII, bitmap bits past n or padding set */
	CHB_BAD_MAC,     /* authentication failed */
	CHB_BAD_FIELD,   /* authenticated and well-formed, but role, state or flags unknown, or the reachable
			  * count above the total or different from the bitmap's */
	CHB_VERDICT_MAX,
};

/* Short stable names for counters and logs: "ok", "short", "bad_magic", … */
const char *chb_verdict_name(enum chb_verdict v);

/* Checks and decodes one datagram. *out is written only when the verdict is CHB_OK. key may be NULL
 * when key_len is 0. */
enum chb_verdict chb_decode(const uint8_t *buf, size_t len, const uint8_t *key, size_t key_len,
			    struct chb_msg *out);

/* Replay protection (CL-12): the last accepted (generation, sequence) of one peer. Start zeroed. */
struct chb_peer_seq {
	uint64_t generation;
	uint64_t sequence;
	int known;
};

enum chb_replay {
	CHB_FRESH = 0,  /* newer than the last accepted one: *last now holds it */
	CHB_SAME_ROUND, /* the same round seen on another link: refreshes that link only; *last unchanged */
	CHB_REPLAY,     /* older generation, or same generation and lower sequence: drop and count */
};

/* A higher generation is fresh whatever its sequence (the peer restarted); within a generation the
 * sequence must grow. The first heartbeat from a peer is fresh. */
enum chb_replay chb_replay_check(struct chb_peer_seq *last, uint64_t generation, uint64_t sequence);

const char *chb_replay_name(enum chb_replay r);

#ifdef __cplusplus
}
#endif

#endif
