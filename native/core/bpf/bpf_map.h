/* Map access by file descriptor: pinned maps of a running router are read the same way as the
 * maps of an object this process loaded. */
#ifndef TANDEM_BPF_MAP_H
#define TANDEM_BPF_MAP_H

#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tdm_map_info {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t id;
	/* Bytes of one lookup/update buffer: value_size, or for per-CPU maps the value rounded up to
	 * 8 bytes times the number of possible CPUs. */
	uint32_t value_buffer_size;
	uint32_t per_cpu; /* 1 for per-CPU map types */
	char name[16];
};

int tdm_map_open_pinned(const char *path, struct tdm_err *err);
int tdm_map_get_info(int fd, struct tdm_map_info *out, struct tdm_err *err);

/* 0 with value filled, 1 when the key is absent, negative errno on error. */
int tdm_map_lookup(int fd, const void *key, void *value, struct tdm_err *err);
int tdm_map_update(int fd, const void *key, const void *value, uint64_t flags, struct tdm_err *err);
/* 0 deleted, 1 when the key was absent. */
int tdm_map_delete(int fd, const void *key, struct tdm_err *err);
/* key NULL = first key. 0 with next filled, 1 at the end. */
int tdm_map_next_key(int fd, const void *key, void *next, struct tdm_err *err);

/* Pins any BPF object fd (map or program) at a bpffs path; unpin removes the path. */
int tdm_obj_pin(int fd, const char *path, struct tdm_err *err);
int tdm_obj_unpin(const char *path, struct tdm_err *err);

int tdm_num_possible_cpus(void);

#ifdef __cplusplus
}
#endif

#endif
