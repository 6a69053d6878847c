/* Opening and loading eBPF object files (libbpf), with the libbpf log kept for error reports. */
#ifndef TANDEM_BPF_OBJECT_H
#define TANDEM_BPF_OBJECT_H

#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tdm_bpf_obj;

/* Opens an object file. pin_root (may be NULL) is where maps declared with
 * LIBBPF_PIN_BY_NAME are pinned and, when already pinned, reused on load; NULL keeps every map
 * private to this object. */
struct tdm_bpf_obj *tdm_bpf_open(const char *path, const char *pin_root, struct tdm_err *err);

/* Loads every program into the kernel; on failure err->msg ends with libbpf's (verifier) log. */
int tdm_bpf_load(struct tdm_bpf_obj *obj, struct tdm_err *err);

/* The fd of a loaded program or map, owned by obj (dup it to keep it past tdm_bpf_close). */
int tdm_bpf_prog_fd(struct tdm_bpf_obj *obj, const char *name, struct tdm_err *err);
int tdm_bpf_map_fd(struct tdm_bpf_obj *obj, const char *name, struct tdm_err *err);

/* Calls fn for each program (kind 'p') and map (kind 'm') name; stops when fn returns non-zero. */
void tdm_bpf_each_name(struct tdm_bpf_obj *obj, int (*fn)(char kind, const char *name, void *ctx), void *ctx);

void tdm_bpf_close(struct tdm_bpf_obj *obj);

#ifdef __cplusplus
}
#endif

#endif
