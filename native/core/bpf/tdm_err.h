/* Error report of the C core: a negative errno and a message for the operator. */
#ifndef TANDEM_TDM_ERR_H
#define TANDEM_TDM_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TDM_ERR_MSG_MAX 2048

struct tdm_err {
	int code; /* negative errno, 0 when no error */
	char msg[TDM_ERR_MSG_MAX];
};

/* Sets err (if non-NULL) to code with a printf-style message; returns code for `return tdm_fail(…)`. */
int tdm_fail(struct tdm_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
