/* BPF_PROG_TEST_RUN of a tc program on one frame: the kernel's own per-run timing, the verdict,
 * the mark and the frame as the program left it. */
#ifndef TANDEM_BPF_TEST_RUN_H
#define TANDEM_BPF_TEST_RUN_H

#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TDM_TEST_FRAME_MAX 2048

struct tdm_test_result {
	int retval;
	uint32_t ns_per_run;
	uint32_t mark;
	uint32_t len_out;
	unsigned char frame_out[TDM_TEST_FRAME_MAX];
};

/* Runs prog_fd `repeat` times on `frame` as if it arrived on ingress_ifindex carrying `mark`. */
int tdm_prog_test_run(int prog_fd, const void *frame, uint32_t len, int ingress_ifindex, uint32_t mark,
		      uint32_t repeat, struct tdm_test_result *out, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
