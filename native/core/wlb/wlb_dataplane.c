#include "wlb_dataplane.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_attach.h"
#include "bpf_test_run.h"
#include "bpf_map.h"
#include "bpf_object.h"

struct wlb_dp {
	struct tdm_bpf_obj *obj;
	int prog;
	int ctl, rules, inbound, ports, limits, flows, counters, totals, restores;
};

static const char *const MAP_NAMES[] = { "wlb_ctl",   "wlb_rules", "wlb_inbound", "wlb_ports",
					 "wlb_limits", "wlb_flows", "wlb_counters", "wlb_totals", "wlb_restores" };

struct wlb_dp *wlb_dp_open(const char *obj_path, const char *pin_root, struct tdm_err *err)
{
	struct wlb_dp *dp = calloc(1, sizeof(*dp));

	if (!dp) {
		tdm_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	dp->obj = tdm_bpf_open(obj_path, pin_root, err);
	if (!dp->obj || tdm_bpf_load(dp->obj, err))
		goto fail;
	dp->prog = tdm_bpf_prog_fd(dp->obj, "wlb_ingress", err);
	if (dp->prog < 0)
		goto fail;
	int *fds[] = { &dp->ctl, &dp->rules, &dp->inbound, &dp->ports, &dp->limits, &dp->flows, &dp->counters, &dp->totals, &dp->restores };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		*fds[i] = tdm_bpf_map_fd(dp->obj, MAP_NAMES[i], err);
		if (*fds[i] < 0)
			goto fail;
	}
	return dp;
fail:
	wlb_dp_close(dp);
	return NULL;
}

void wlb_dp_close(struct wlb_dp *dp)
{
	if (!dp)
		return;
	tdm_bpf_close(dp->obj);
	free(dp);
}

static struct tdm_tc_link link_of(int ifindex)
{
	struct tdm_tc_link l = { .ifindex = ifindex, .dir = TDM_TC_INGRESS, .handle = WLB_TC_HANDLE,
				 .priority = WLB_TC_PRIORITY };
	return l;
}

int wlb_dp_attach(struct wlb_dp *dp, int ifindex, struct tdm_err *err)
{
	struct tdm_tc_link l;

	return tdm_tc_attach(ifindex, TDM_TC_INGRESS, dp->prog, WLB_TC_HANDLE, WLB_TC_PRIORITY, &l, err);
}

int wlb_dp_detach(int ifindex, struct tdm_err *err)
{
	struct tdm_tc_link l = link_of(ifindex);

	return tdm_tc_detach(&l, err);
}

int wlb_dp_attached_id(int ifindex, uint32_t *prog_id, struct tdm_err *err)
{
	struct tdm_tc_link l = link_of(ifindex);

	return tdm_tc_query(&l, prog_id, err);
}

static int read_ctl(struct wlb_dp *dp, struct wlb_ctl *ctl, struct tdm_err *err)
{
	uint32_t zero = 0;
	int rc = tdm_map_lookup(dp->ctl, &zero, ctl, err);

	return rc > 0 ? tdm_fail(err, -ENOENT, "wlb_ctl is empty") : rc;
}

static int write_ctl(struct wlb_dp *dp, const struct wlb_ctl *ctl, struct tdm_err *err)
{
	uint32_t zero = 0;

	return tdm_map_update(dp->ctl, &zero, ctl, BPF_ANY, err);
}

/* Deletes every entry of generation gen from a map whose key starts with a u32 generation. */
static int drop_generation(int fd, size_t key_size, uint32_t gen, struct tdm_err *err)
{
	unsigned char key[16], next[16];
	int rc, have = 0;

	for (;;) {
		rc = tdm_map_next_key(fd, have ? key : NULL, next, err);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return 0;
		uint32_t g;
		memcpy(&g, next, sizeof(g));
		if (g == gen) {
			/* Deleting the current key restarts the walk from the beginning. */
			rc = tdm_map_delete(fd, next, err);
			if (rc < 0)
				return rc;
			have = 0;
			continue;
		}
		memcpy(key, next, key_size);
		have = 1;
	}
}

static int write_ports(struct wlb_dp *dp, uint32_t gen, uint32_t index, uint16_t dir,
		       const struct wlb_port_range *ranges, uint32_t n, struct tdm_err *err)
{
	struct wlb_ports_key k = { .gen = gen, .rule_index = (uint16_t)index, .dir = dir };
	struct wlb_ports *bits = calloc(1, sizeof(*bits));

	if (!bits)
		return tdm_fail(err, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t p = ranges[i].lo; p <= ranges[i].hi; p++)
			bits->bits[p >> 3] |= (uint8_t)(1u << (p & 7));
	}
	int rc = tdm_map_update(dp->ports, &k, bits, BPF_ANY, err);
	free(bits);
	return rc;
}

int wlb_dp_commit(struct wlb_dp *dp, const struct wlb_rule_spec *rules, uint32_t n, struct tdm_err *err)
{
	struct wlb_ctl ctl;
	int rc;

	if (n > WLB_MAX_RULES)
		return tdm_fail(err, -E2BIG, "%u rules: at most %u", n, WLB_MAX_RULES);
	rc = read_ctl(dp, &ctl, err);
	if (rc)
		return rc;
	uint32_t gen = (ctl.gen & 1) ^ 1, flags = 0;
	if ((rc = drop_generation(dp->inbound, sizeof(struct wlb_inbound_key), gen, err)) ||
	    (rc = drop_generation(dp->ports, sizeof(struct wlb_ports_key), gen, err)))
		return rc;

	/* Inbound masks per ifindex, collected over the rules. */
	struct {
		int ifindex;
		struct wlb_inbound in;
	} *masks = NULL;
	size_t n_masks = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct wlb_rule_spec *s = &rules[i];
		struct wlb_rule r = { .number = s->number, .flags = s->flags, .proto = s->proto,
				      .saddr_lo = s->saddr_lo, .saddr_hi = s->saddr_hi,
				      .daddr_lo = s->daddr_lo, .daddr_hi = s->daddr_hi,
				      .pool_len = s->pool_len > WLB_MAX_POOL ? WLB_MAX_POOL : s->pool_len,
				      .ns_per_token = s->ns_per_token, .cap_ns = s->cap_ns };
		memcpy(r.pool, s->pool, sizeof(r.pool));
		if (s->flags & (WLB_R_PER_PACKET | WLB_R_LIMIT))
			flags |= WLB_CTL_EST_WALK;
		if (s->flags & WLB_R_SPORT) {
			if (s->n_sports <= WLB_INLINE_PORTS) {
				r.n_sports = (uint8_t)s->n_sports;
				memcpy(r.sports, s->sports, s->n_sports * sizeof(r.sports[0]));
			} else {
				r.flags |= WLB_R_SPORT_MAP;
			}
		}
		if (s->flags & WLB_R_DPORT) {
			if (s->n_dports <= WLB_INLINE_PORTS) {
				r.n_dports = (uint8_t)s->n_dports;
				memcpy(r.dports, s->dports, s->n_dports * sizeof(r.dports[0]));
			} else {
				r.flags |= WLB_R_DPORT_MAP;
			}
		}
		if ((r.flags & WLB_R_SPORT_MAP) && (rc = write_ports(dp, gen, i, 0, s->sports, s->n_sports, err)))
			goto out;
		if ((r.flags & WLB_R_DPORT_MAP) && (rc = write_ports(dp, gen, i, 1, s->dports, s->n_dports, err)))
			goto out;
		uint32_t key = gen * WLB_MAX_RULES + i;
		if ((rc = tdm_map_update(dp->rules, &key, &r, BPF_ANY, err)))
			goto out;
		for (uint32_t j = 0; j < s->n_inbound; j++) {
			size_t m = 0;
			while (m < n_masks && masks[m].ifindex != s->inbound[j])
				m++;
			if (m == n_masks) {
				void *grown = realloc(masks, (n_masks + 1) * sizeof(*masks));
				if (!grown) {
					rc = tdm_fail(err, -ENOMEM, "out of memory");
					goto out;
				}
				masks = grown;
				memset(&masks[m], 0, sizeof(*masks));
				masks[m].ifindex = s->inbound[j];
				n_masks++;
			}
			masks[m].in.mask[i / 64] |= 1ull << (i % 64);
		}
	}
	for (size_t m = 0; m < n_masks; m++) {
		struct wlb_inbound_key k = { .gen = gen, .ifindex = (uint32_t)masks[m].ifindex };
		if ((rc = tdm_map_update(dp->inbound, &k, &masks[m].in, BPF_ANY, err)))
			goto out;
	}
	/* The flip: one map update of the control word. */
	if ((rc = read_ctl(dp, &ctl, err)))
		goto out;
	ctl.nrules[gen] = n;
	ctl.flags[gen] = flags;
	ctl.gen = gen;
	rc = write_ctl(dp, &ctl, err);
out:
	free(masks);
	return rc;
}

int wlb_dp_set_active(struct wlb_dp *dp, uint64_t active, struct tdm_err *err)
{
	struct wlb_ctl ctl;
	int rc = read_ctl(dp, &ctl, err);

	if (rc)
		return rc;
	ctl.active = active;
	return write_ctl(dp, &ctl, err);
}

int wlb_dp_reset_limit(struct wlb_dp *dp, uint32_t number, struct tdm_err *err)
{
	int rc = tdm_map_delete(dp->limits, &number, err);

	return rc > 0 ? 0 : rc;
}

/* Sums a per-CPU value of struct wlb_counter. */
static int sum_percpu(int fd, const void *key, struct wlb_counter *out, struct tdm_err *err)
{
	int ncpu = tdm_num_possible_cpus();
	struct wlb_counter *per = calloc((size_t)ncpu, sizeof(*per));

	if (!per)
		return tdm_fail(err, -ENOMEM, "out of memory");
	int rc = tdm_map_lookup(fd, key, per, err);
	memset(out, 0, sizeof(*out));
	for (int c = 0; rc == 0 && c < ncpu; c++) {
		out->packets += per[c].packets;
		out->bytes += per[c].bytes;
	}
	free(per);
	return rc;
}

int wlb_dp_totals(struct wlb_dp *dp, struct wlb_counter *out, struct tdm_err *err)
{
	uint32_t k = WLB_TOTAL_FORWARD;
	int rc = sum_percpu(dp->totals, &k, out, err);

	return rc > 0 ? 0 : rc;
}

int wlb_dp_each_counter(struct wlb_dp *dp,
			int (*fn)(const struct wlb_counter_key *k, const struct wlb_counter *c, void *ctx), void *ctx,
			struct tdm_err *err)
{
	struct wlb_counter_key key, next;
	int rc, have = 0;

	while ((rc = tdm_map_next_key(dp->counters, have ? &key : NULL, &next, err)) == 0) {
		struct wlb_counter c;
		int l = sum_percpu(dp->counters, &next, &c, err);
		if (l < 0)
			return l;
		if (l == 0 && fn(&next, &c, ctx))
			return 0;
		key = next;
		have = 1;
	}
	if (rc < 0)
		return rc;
	for (uint32_t slot = 0; slot < WLB_MAX_IFACES; slot++) {
		struct wlb_counter c;
		struct wlb_counter_key k = { .rule = 0, .entry = WLB_ENTRY_RESTORE_SLOT + slot };
		int l = sum_percpu(dp->restores, &slot, &c, err);
		if (l < 0)
			return l;
		if (c.packets && fn(&k, &c, ctx))
			return 0;
	}
	return 0;
}

int wlb_dp_each_flow(struct wlb_dp *dp, int (*fn)(const struct wlb_flow_key *k, const struct wlb_flow *f, void *ctx),
		     void *ctx, struct tdm_err *err)
{
	struct wlb_flow_key key, next;
	int rc, have = 0;

	while ((rc = tdm_map_next_key(dp->flows, have ? &key : NULL, &next, err)) == 0) {
		struct wlb_flow f;
		int l = tdm_map_lookup(dp->flows, &next, &f, err);
		if (l < 0)
			return l;
		if (l == 0 && fn(&next, &f, ctx))
			return 0;
		key = next;
		have = 1;
	}
	return rc < 0 ? rc : 0;
}

int wlb_dp_clear_counters(struct wlb_dp *dp, struct tdm_err *err)
{
	struct wlb_counter_key key;
	int rc;

	/* Delete from the front until empty: deleting invalidates a walk's position. */
	while ((rc = tdm_map_next_key(dp->counters, NULL, &key, err)) == 0) {
		if ((rc = tdm_map_delete(dp->counters, &key, err)) < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	int ncpu = tdm_num_possible_cpus();
	struct wlb_counter *zero = calloc((size_t)ncpu, sizeof(*zero));
	if (!zero)
		return tdm_fail(err, -ENOMEM, "out of memory");
	uint32_t k = WLB_TOTAL_FORWARD;
	rc = tdm_map_update(dp->totals, &k, zero, BPF_ANY, err);
	for (uint32_t slot = 0; rc == 0 && slot < WLB_MAX_IFACES; slot++)
		rc = tdm_map_update(dp->restores, &slot, zero, BPF_ANY, err);
	free(zero);
	return rc;
}

int wlb_dp_test_run(struct wlb_dp *dp, const void *frame, uint32_t len, int ingress_ifindex, uint32_t repeat,
		    struct wlb_test_result *out, struct tdm_err *err)
{
	struct tdm_test_result r;

	if (tdm_prog_test_run(dp->prog, frame, len, ingress_ifindex, 0, repeat, &r, err))
		return -1;
	out->retval = r.retval;
	out->ns_per_run = r.ns_per_run;
	out->mark = r.mark;
	return 0;
}
