/* The conntrack-sync engine: one thread that follows the kernel's connection events (ctnetlink),
 * keeps the internal cache, streams it to peers over the FTFW channel (conntrackd 1.4 compatible),
 * receives the peers' entries into the external cache, and commits that cache into the kernel on
 * takeover. Nothing on this path waits for JavaScript. */
#ifndef TANDEM_CTSYNC_ENGINE_H
#define TANDEM_CTSYNC_ENGINE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#include "ctsync_auth.h"
#include "ctsync_commit.h"
#include "ctsync_msg.h"
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CTS_MAX_IGNORE 64
#define CTS_MAX_EXPECT_HELPERS 8

/* accept_mask bits; 0 accepts every protocol. */
#define CTS_ACCEPT_TCP 1u
#define CTS_ACCEPT_UDP 2u
#define CTS_ACCEPT_ICMP 4u
#define CTS_ACCEPT_SCTP 8u

struct cts_engine_config {
	char ifname[IF_NAMESIZE];
	struct in_addr local; /* the sync interface's address */
	struct in_addr group; /* multicast group */
	uint16_t port;	      /* 3780 */
	uint32_t sock_buf;    /* bytes of send and receive buffer */
	uint32_t event_buf;   /* bytes of ctnetlink receive buffer */
	uint32_t accept_mask;
	uint32_t n_ignore;
	struct {
		struct in_addr addr, mask;
	} ignore[CTS_MAX_IGNORE];
	uint32_t commit_timeout; /* seconds, for entries synced without one */
	/* Kernel helper names whose expectations are synced (expect-sync); none: expectations are not. */
	uint32_t n_expect_helpers;
	char expect_helpers[CTS_MAX_EXPECT_HELPERS][16];
	/* Ask the peers for their whole table at start (a standby refilling its external cache). */
	uint8_t resync_at_start;
	/* Authentication of every datagram (ctsync_auth.h); length 0: the conntrackd wire format. */
	uint8_t auth_secret[CTS_AUTH_SECRET_MAX];
	uint16_t auth_secret_len;
};

struct cts_stats {
	uint64_t events_new, events_update, events_destroy, events_filtered, event_overruns;
	uint64_t tx_msgs, tx_bytes, tx_errors, rx_msgs, rx_bytes, rx_errors;
	uint64_t malformed, lost, resent, acks_sent, nacks_sent;
	uint64_t auth_missing, auth_bad, auth_replay; /* datagrams dropped by authentication */
	uint64_t tx_datagrams, rx_datagrams;
	uint64_t external_created, external_updated, external_destroyed; /* messages applied to it */
	uint64_t traffic_bytes, traffic_packets; /* both directions of the connections that ended */
	uint64_t internal, external;
	uint64_t commit_created, commit_failed;
	int peer_seen; /* a valid message arrived in the last 3 s */
	/* The expectation tables (expect-sync): kernel events kept, messages applied, entries now. */
	uint64_t exp_events_new, exp_events_destroy, exp_events_filtered;
	uint64_t exp_external_created, exp_external_destroyed;
	uint64_t exp_internal, exp_external;
	uint64_t commit_exp_created, commit_exp_failed;
};

struct cts_engine;

struct cts_engine *cts_engine_start(const struct cts_engine_config *cfg, struct tdm_err *err);
void cts_engine_stop(struct cts_engine *eng);
void cts_engine_stats(struct cts_engine *eng, struct cts_stats *out);

/* Calls fn for a snapshot of the internal (which = 0) or external (1) cache. */
void cts_engine_each(struct cts_engine *eng, int which, void (*fn)(const struct cts_entry *e, void *ctx), void *ctx);

/* Calls fn for a snapshot of the internal (which = 0) or external (1) expectation cache. */
void cts_engine_each_exp(struct cts_engine *eng, int which, void (*fn)(const struct cts_exp *x, void *ctx), void *ctx);

/* Injects the external cache into the kernel (ctsync_commit.h), connections first, then the
 * expectations. The engine does not follow kernel events meanwhile (its own commit would be
 * most of them): the caller starts it over from a table dump afterwards. Returns 0 with the
 * outcome in `out`, or negative errno when the kernel could not be reached. */
int cts_engine_commit(struct cts_engine *eng, struct cts_commit_result *out, struct tdm_err *err);

/* The standby purge (spec CS-44): deletes from the kernel every IPv4 entry the sync filters
 * accept, except connections whose original or reply source is one of `keep` (this router's own
 * addresses). Returns the number deleted, or negative errno. */
int cts_engine_purge(struct cts_engine *eng, const struct in_addr *keep, size_t n_keep, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
