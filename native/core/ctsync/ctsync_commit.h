/* Commit of synced connections into the kernel's conntrack table (spec §4.7): one netlink
 * message per entry, many per send, several senders on several CPUs; an entry that collides with
 * one already there (a leftover of this router's own time as active, or a mid-stream pick-up) is
 * deleted and created once more (CS-51). */
#ifndef TANDEM_CTSYNC_COMMIT_H
#define TANDEM_CTSYNC_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#include "ctsync_msg.h"
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Failures reported entry by entry, for the log; the rest are only counted. */
#define CTS_COMMIT_REPORT_MAX 16

struct cts_commit_failure {
	struct cts_entry entry;
	int error; /* positive errno of the kernel's final refusal */
};

struct cts_commit_exp_failure {
	struct cts_exp exp;
	int error;
};

struct cts_commit_result {
	uint64_t created;   /* entries now in the kernel as synced, recreated ones included */
	uint64_t recreated; /* of those, entries that replaced a colliding one (CS-51) */
	uint64_t failed;
	size_t n_reported;
	struct cts_commit_failure reported[CTS_COMMIT_REPORT_MAX];
	uint64_t exp_created, exp_failed; /* expectations (cts_commit_exps) */
	size_t n_exp_reported;
	struct cts_commit_exp_failure exp_reported[CTS_COMMIT_REPORT_MAX];
};

/* Creates `n` entries (timeout `default_timeout` seconds for those synced without one). Returns
 * 0 and fills `out`, or a negative errno when the kernel could not be reached at all. */
int cts_commit(const struct cts_entry *entries, size_t n, uint32_t default_timeout, struct cts_commit_result *out,
	       struct tdm_err *err);

/* Creates `n` expectations — after the connections, since each needs its master connection with
 * the helper attached (CS-52; a missing master is a failure). Adds to `out`'s exp_* fields.
 * Returns 0, or a negative errno when the kernel could not be reached. */
int cts_commit_exps(const struct cts_exp *exps, size_t n, uint32_t default_timeout, struct cts_commit_result *out,
		    struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
