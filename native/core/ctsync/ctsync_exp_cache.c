#include "ctsync_exp_cache.h"

#include <stdlib.h>
#include <string.h>

struct cts_exp_node {
	struct cts_exp x;
	struct cts_exp_node *next;
};

static int same_tuple(const struct cts_tuple *a, const struct cts_tuple *b)
{
	return a->family == b->family && a->l4proto == b->l4proto && !memcmp(a->src, b->src, 16) &&
	       !memcmp(a->dst, b->dst, 16) && a->sport == b->sport && a->dport == b->dport;
}

static int same_key(const struct cts_exp *a, const struct cts_exp *b)
{
	return same_tuple(&a->master, &b->master) && same_tuple(&a->expect, &b->expect);
}

static uint32_t hash_tuple(uint32_t h, const struct cts_tuple *t)
{
	const uint8_t *parts[] = { t->src, t->dst };
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 16; i++)
			h = (h ^ parts[p][i]) * 16777619u;
	h = (h ^ t->l4proto) * 16777619u;
	h = (h ^ t->sport) * 16777619u;
	return (h ^ t->dport) * 16777619u;
}

static struct cts_exp_node **bucket(struct cts_exp_cache *c, const struct cts_exp *x)
{
	return &c->b[hash_tuple(hash_tuple(2166136261u, &x->master), &x->expect) % CTS_EXP_BUCKETS];
}

void cts_exp_cache_put(struct cts_exp_cache *c, const struct cts_exp *x)
{
	struct cts_exp_node **slot = bucket(c, x);
	for (struct cts_exp_node *n = *slot; n; n = n->next) {
		if (same_key(&n->x, x)) {
			n->x = *x;
			return;
		}
	}
	struct cts_exp_node *n = malloc(sizeof(*n));
	if (!n)
		return;
	n->x = *x;
	n->next = *slot;
	*slot = n;
	c->count++;
}

int cts_exp_cache_del(struct cts_exp_cache *c, const struct cts_exp *x)
{
	for (struct cts_exp_node **p = bucket(c, x); *p; p = &(*p)->next) {
		if (same_key(&(*p)->x, x)) {
			struct cts_exp_node *gone = *p;
			*p = gone->next;
			free(gone);
			c->count--;
			return 1;
		}
	}
	return 0;
}

void cts_exp_cache_clear(struct cts_exp_cache *c)
{
	for (size_t i = 0; i < CTS_EXP_BUCKETS; i++) {
		while (c->b[i]) {
			struct cts_exp_node *n = c->b[i];
			c->b[i] = n->next;
			free(n);
		}
	}
	c->count = 0;
}

void cts_exp_cache_each(const struct cts_exp_cache *c, void (*fn)(const struct cts_exp *x, void *ctx), void *ctx)
{
	for (size_t i = 0; i < CTS_EXP_BUCKETS; i++)
		for (const struct cts_exp_node *n = c->b[i]; n; n = n->next)
			fn(&n->x, ctx);
}

struct cts_exp *cts_exp_cache_copy(const struct cts_exp_cache *c, size_t *n)
{
	*n = 0;
	struct cts_exp *all = c->count ? malloc(c->count * sizeof(*all)) : NULL;
	if (!all)
		return NULL;
	for (size_t i = 0; i < CTS_EXP_BUCKETS; i++)
		for (const struct cts_exp_node *x = c->b[i]; x && *n < c->count; x = x->next)
			all[(*n)++] = x->x;
	return all;
}
