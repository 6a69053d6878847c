#include "bpf_attach.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>

int tdm_ifindex(const char *ifname, struct tdm_err *err)
{
	unsigned int idx = if_nametoindex(ifname);

	if (!idx)
		return tdm_fail(err, -ENODEV, "interface '%s'", ifname);
	return (int)idx;
}

static enum bpf_tc_attach_point tc_point(enum tdm_tc_dir dir)
{
	return dir == TDM_TC_EGRESS ? BPF_TC_EGRESS : BPF_TC_INGRESS;
}

static const char *dir_name(enum tdm_tc_dir dir)
{
	return dir == TDM_TC_EGRESS ? "egress" : "ingress";
}

int tdm_tc_attach(int ifindex, enum tdm_tc_dir dir, int prog_fd, uint32_t handle, uint32_t priority,
		  struct tdm_tc_link *out, struct tdm_err *err)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = tc_point(dir));
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .handle = handle, .priority = priority,
		    .flags = BPF_TC_F_REPLACE);
	int rc = bpf_tc_hook_create(&hook);

	if (rc && rc != -EEXIST)
		return tdm_fail(err, rc, "create clsact qdisc on ifindex %d", ifindex);
	rc = bpf_tc_attach(&hook, &opts);
	if (rc)
		return tdm_fail(err, rc, "attach tc %s program on ifindex %d", dir_name(dir), ifindex);
	out->ifindex = ifindex;
	out->dir = dir;
	out->handle = opts.handle;
	out->priority = opts.priority;
	return 0;
}

int tdm_tc_detach(const struct tdm_tc_link *link, struct tdm_err *err)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = link->ifindex, .attach_point = tc_point(link->dir));
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = link->handle, .priority = link->priority);
	int rc = bpf_tc_detach(&hook, &opts);

	if (rc)
		return tdm_fail(err, rc, "detach tc %s program %u/%u on ifindex %d", dir_name(link->dir),
				link->handle, link->priority, link->ifindex);
	return 0;
}

int tdm_tc_query(const struct tdm_tc_link *link, uint32_t *prog_id, struct tdm_err *err)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = link->ifindex, .attach_point = tc_point(link->dir));
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = link->handle, .priority = link->priority);
	int rc = bpf_tc_query(&hook, &opts);

	*prog_id = 0;
	if (rc == -ENOENT || rc == -EINVAL)
		return 0; /* no qdisc or no such filter */
	if (rc)
		return tdm_fail(err, rc, "query tc %s on ifindex %d", dir_name(link->dir), link->ifindex);
	*prog_id = opts.prog_id;
	return 0;
}

static __u32 xdp_flags(enum tdm_xdp_mode mode)
{
	switch (mode) {
	case TDM_XDP_SKB:
		return XDP_FLAGS_SKB_MODE;
	case TDM_XDP_DRV:
		return XDP_FLAGS_DRV_MODE;
	default:
		return 0;
	}
}

int tdm_xdp_attach(int ifindex, int prog_fd, enum tdm_xdp_mode mode, struct tdm_err *err)
{
	int rc = bpf_xdp_attach(ifindex, prog_fd, xdp_flags(mode), NULL);

	if (rc)
		return tdm_fail(err, rc, "attach XDP program on ifindex %d", ifindex);
	return 0;
}

int tdm_xdp_detach(int ifindex, enum tdm_xdp_mode mode, struct tdm_err *err)
{
	int rc = bpf_xdp_detach(ifindex, xdp_flags(mode), NULL);

	if (rc)
		return tdm_fail(err, rc, "detach XDP program on ifindex %d", ifindex);
	return 0;
}

int tdm_xdp_query(int ifindex, enum tdm_xdp_mode mode, uint32_t *prog_id, struct tdm_err *err)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, opts);
	int rc = bpf_xdp_query(ifindex, 0, &opts);

	*prog_id = 0;
	if (rc)
		return tdm_fail(err, rc, "query XDP on ifindex %d", ifindex);
	switch (mode) {
	case TDM_XDP_SKB:
		*prog_id = opts.skb_prog_id;
		break;
	case TDM_XDP_DRV:
		*prog_id = opts.drv_prog_id;
		break;
	default:
		*prog_id = opts.prog_id ? opts.prog_id : (opts.skb_prog_id ? opts.skb_prog_id : opts.drv_prog_id);
	}
	return 0;
}
