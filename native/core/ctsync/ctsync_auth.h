/* Optional authentication of the conntrack-sync channel (Tandem extension; spec
 * conntrack-sync.md, issue 7). With a pre-shared secret every datagram carries a trailer after
 * the conntrackd-format payload:
 *
 *   "TDA1" | epoch (be64) | counter (be64) | HMAC-SHA-256(secret, payload | "TDA1" | epoch | counter)[0..16)
 *
 * The epoch is the sender's wall-clock start time in microseconds, the counter counts its
 * datagrams. A receiver keeps per sender the newest epoch and a 64-datagram window below the
 * highest counter: older epochs, counters below the window and counters seen twice are replays.
 * Without a secret nothing changes on the wire (conntrackd-compatible). */
#ifndef TANDEM_CTSYNC_AUTH_H
#define TANDEM_CTSYNC_AUTH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTS_AUTH_SECRET_MAX 128
#define CTS_AUTH_TAG_LEN 16
#define CTS_AUTH_TRAILER (4 + 8 + 8 + CTS_AUTH_TAG_LEN)
#define CTS_AUTH_PEERS 16

enum cts_auth_verdict {
	CTS_AUTH_OK = 0,
	CTS_AUTH_MISSING = -1, /* no trailer: unauthenticated (e.g. a conntrackd peer) */
	CTS_AUTH_BAD = -2,     /* the MAC does not match: forged, corrupted or another secret */
	CTS_AUTH_REPLAY = -3,  /* an older epoch, or a counter already seen or below the window */
};

struct cts_auth_peer {
	uint32_t addr; /* IPv4, network order; 0 = free slot */
	uint64_t epoch, top, window; /* bit i of window: counter top - i was seen */
};

struct cts_auth {
	uint8_t secret[CTS_AUTH_SECRET_MAX];
	size_t secret_len;
	uint64_t epoch, counter;
	struct cts_auth_peer peers[CTS_AUTH_PEERS];
};

/* Starts a sender/receiver with `secret` and this run's epoch. */
void cts_auth_init(struct cts_auth *a, const uint8_t *secret, size_t secret_len, uint64_t epoch);

/* Appends the trailer to buf[0..len); returns the new length, or 0 when cap is too small. */
size_t cts_auth_seal(struct cts_auth *a, uint8_t *buf, size_t len, size_t cap);

/* Checks a datagram from `addr`; on CTS_AUTH_OK *payload_len is the length without trailer and
 * the counter is recorded as seen. Nothing is recorded for a datagram that fails. */
enum cts_auth_verdict cts_auth_open(struct cts_auth *a, uint32_t addr, const uint8_t *buf, size_t len,
				    size_t *payload_len);

#ifdef __cplusplus
}
#endif

#endif
