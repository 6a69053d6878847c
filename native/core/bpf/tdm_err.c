#include "tdm_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tdm_fail(struct tdm_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		if (code < 0) {
			size_t len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(-code));
		}
		err->code = code;
	}
	return code;
}
