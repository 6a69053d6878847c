#include "bpf_test_run.h"

#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

int tdm_prog_test_run(int prog_fd, const void *frame, uint32_t len, int ingress_ifindex, uint32_t mark,
		      uint32_t repeat, struct tdm_test_result *out, struct tdm_err *err)
{
	struct __sk_buff ctx_in = { .ifindex = (uint32_t)ingress_ifindex, .ingress_ifindex = (uint32_t)ingress_ifindex,
				    .mark = mark },
		       ctx_out = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len, .data_out = out->frame_out,
		    .data_size_out = sizeof(out->frame_out), .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		    .ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out), .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return tdm_fail(err, -errno, "BPF_PROG_TEST_RUN: %s", strerror(errno));
	out->retval = (int)opts.retval;
	out->ns_per_run = opts.duration;
	out->mark = ctx_out.mark;
	out->len_out = opts.data_size_out;
	return 0;
}
