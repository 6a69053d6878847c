/* A table of expectations keyed by their master and expected tuples: the internal and external
 * expectation caches of the conntrack-sync engine. Not locked: the engine holds its lock. */
#ifndef TANDEM_CTSYNC_EXP_CACHE_H
#define TANDEM_CTSYNC_EXP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "ctsync_msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CTS_EXP_BUCKETS 1024

struct cts_exp_node;

struct cts_exp_cache {
	struct cts_exp_node *b[CTS_EXP_BUCKETS];
	uint64_t count;
};

/* Adds the expectation, or replaces the one with the same master and expected tuples. */
void cts_exp_cache_put(struct cts_exp_cache *c, const struct cts_exp *x);
/* Removes the one with x's master and expected tuples; 1 if there was one. */
int cts_exp_cache_del(struct cts_exp_cache *c, const struct cts_exp *x);
void cts_exp_cache_clear(struct cts_exp_cache *c);
void cts_exp_cache_each(const struct cts_exp_cache *c, void (*fn)(const struct cts_exp *x, void *ctx), void *ctx);
/* A copy of every expectation in a new array (free() it); its length in *n. NULL when empty or
 * out of memory. */
struct cts_exp *cts_exp_cache_copy(const struct cts_exp_cache *c, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
