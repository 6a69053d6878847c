/* Connection entries between the kernel's form (libnetfilter_conntrack) and the wire's. */
#ifndef TANDEM_CTSYNC_NFCT_H
#define TANDEM_CTSYNC_NFCT_H

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "ctsync_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The original tuple, state, mark and NAT of a kernel entry. 0, or -1 for a family we skip. */
int cts_from_nfct(const struct nf_conntrack *ct, struct cts_entry *e);

/* A kernel entry to create or update from a synced one: the reply tuple follows from the
 * original and the NAT bindings; TCP window tracking starts liberal so the connection's next
 * packets, seen here for the first time, are not taken for invalid. NULL on allocation failure. */
struct nf_conntrack *cts_to_nfct(const struct cts_entry *e, uint32_t default_timeout);

/* A lookup key for the kernel entry holding the entry's original tuple (reply = 0) or its reply
 * tuple as the kernel derives it from the NAT bindings (reply = 1); the kernel finds an entry by
 * either of its tuples. NULL on allocation failure, or for the reply of an ICMP type that is not a
 * query. */
struct nf_conntrack *cts_tuple_nfct(const struct cts_entry *e, int reply);

/* An expectation of the kernel's: 0, or -1 when it cannot be synced (unknown family, or
 * incomplete). */
int cts_exp_from_nfexp(const struct nf_expect *exp, struct cts_exp *x);

/* A kernel expectation to create from a synced one (timeout `default_timeout` seconds when it came
 * without one; the expected tuple matched exactly when it came without a mask). NULL on
 * allocation failure. */
struct nf_expect *cts_exp_to_nfexp(const struct cts_exp *x, uint32_t default_timeout);

#ifdef __cplusplus
}
#endif

#endif
