#include "bpf_object.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tdm_bpf_obj {
	struct bpf_object *obj;
	int loaded;
};

/* libbpf reports through one process-wide print callback; collect what it says during our own
 * open/load calls so the error that reaches the operator carries the verifier's reasons. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[TDM_ERR_MSG_MAX];
static size_t log_len;

static int collect_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	if (log_len < sizeof(log_buf) - 1) {
		int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);

		if (n > 0)
			log_len += (size_t)n < sizeof(log_buf) - log_len ? (size_t)n : sizeof(log_buf) - log_len - 1;
	}
	return 0;
}

static void log_begin(void)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	libbpf_set_print(collect_log);
}

/* Appends the tail of the collected log (the verifier's conclusion is at the end). */
static void log_end(struct tdm_err *err)
{
	libbpf_set_print(NULL);
	if (err && err->code && log_len) {
		size_t have = strlen(err->msg), room = sizeof(err->msg) - have - 1;
		const char *tail = log_len > room - 2 ? log_buf + log_len - (room - 2) : log_buf;

		snprintf(err->msg + have, sizeof(err->msg) - have, "\n%s", tail);
	}
	pthread_mutex_unlock(&log_lock);
}

struct tdm_bpf_obj *tdm_bpf_open(const char *path, const char *pin_root, struct tdm_err *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_root);
	struct tdm_bpf_obj *o = calloc(1, sizeof(*o));

	if (!o) {
		tdm_fail(err, -ENOMEM, "open %s", path);
		return NULL;
	}
	log_begin();
	o->obj = bpf_object__open_file(path, &opts);
	if (!o->obj)
		tdm_fail(err, -errno, "open BPF object %s", path);
	log_end(err);
	if (!o->obj) {
		free(o);
		return NULL;
	}
	if (!pin_root) {
		/* libbpf would otherwise pin LIBBPF_PIN_BY_NAME maps under /sys/fs/bpf: without a pin
		 * root the maps stay private to this object. */
		struct bpf_map *m;

		bpf_object__for_each_map(m, o->obj)
			bpf_map__set_pin_path(m, NULL);
	}
	return o;
}

int tdm_bpf_load(struct tdm_bpf_obj *o, struct tdm_err *err)
{
	int rc;

	if (o->loaded)
		return tdm_fail(err, -EALREADY, "load %s", bpf_object__name(o->obj));
	log_begin();
	rc = bpf_object__load(o->obj);
	if (rc)
		tdm_fail(err, rc < 0 ? rc : -EINVAL, "load BPF object %s", bpf_object__name(o->obj));
	log_end(err);
	if (!rc)
		o->loaded = 1;
	return rc ? (rc < 0 ? rc : -EINVAL) : 0;
}

int tdm_bpf_prog_fd(struct tdm_bpf_obj *o, const char *name, struct tdm_err *err)
{
	struct bpf_program *p = bpf_object__find_program_by_name(o->obj, name);

	if (!p)
		return tdm_fail(err, -ENOENT, "program '%s' in %s", name, bpf_object__name(o->obj));
	if (!o->loaded)
		return tdm_fail(err, -EBADFD, "program '%s': object not loaded", name);
	return bpf_program__fd(p);
}

int tdm_bpf_map_fd(struct tdm_bpf_obj *o, const char *name, struct tdm_err *err)
{
	struct bpf_map *m = bpf_object__find_map_by_name(o->obj, name);

	if (!m)
		return tdm_fail(err, -ENOENT, "map '%s' in %s", name, bpf_object__name(o->obj));
	if (!o->loaded)
		return tdm_fail(err, -EBADFD, "map '%s': object not loaded", name);
	return bpf_map__fd(m);
}

void tdm_bpf_each_name(struct tdm_bpf_obj *o, int (*fn)(char, const char *, void *), void *ctx)
{
	struct bpf_program *p;
	struct bpf_map *m;

	bpf_object__for_each_program(p, o->obj)
		if (fn('p', bpf_program__name(p), ctx))
			return;
	bpf_object__for_each_map(m, o->obj)
		if (fn('m', bpf_map__name(m), ctx))
			return;
}

void tdm_bpf_close(struct tdm_bpf_obj *o)
{
	if (!o)
		return;
	bpf_object__close(o->obj);
	free(o);
}
