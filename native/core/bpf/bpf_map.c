#include "bpf_map.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int tdm_map_open_pinned(const char *path, struct tdm_err *err)
{
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return tdm_fail(err, -errno, "open pinned map %s", path);
	return fd;
}

static int is_per_cpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

int tdm_num_possible_cpus(void)
{
	return libbpf_num_possible_cpus();
}

int tdm_map_get_info(int fd, struct tdm_map_info *out, struct tdm_err *err)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int ncpus;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return tdm_fail(err, -errno, "map info of fd %d", fd);
	memset(out, 0, sizeof(*out));
	out->type = info.type;
	out->key_size = info.key_size;
	out->value_size = info.value_size;
	out->max_entries = info.max_entries;
	out->id = info.id;
	out->per_cpu = is_per_cpu(info.type);
	memcpy(out->name, info.name, sizeof(out->name) - 1);
	out->value_buffer_size = info.value_size;
	if (out->per_cpu) {
		ncpus = libbpf_num_possible_cpus();
		if (ncpus < 0)
			return tdm_fail(err, ncpus, "count possible CPUs");
		out->value_buffer_size = ((info.value_size + 7) / 8) * 8 * (uint32_t)ncpus;
	}
	return 0;
}

int tdm_map_lookup(int fd, const void *key, void *value, struct tdm_err *err)
{
	if (bpf_map_lookup_elem(fd, key, value) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	return tdm_fail(err, -errno, "map lookup");
}

int tdm_map_update(int fd, const void *key, const void *value, uint64_t flags, struct tdm_err *err)
{
	if (bpf_map_update_elem(fd, key, value, flags))
		return tdm_fail(err, -errno, "map update");
	return 0;
}

int tdm_map_delete(int fd, const void *key, struct tdm_err *err)
{
	if (bpf_map_delete_elem(fd, key) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	return tdm_fail(err, -errno, "map delete");
}

int tdm_map_next_key(int fd, const void *key, void *next, struct tdm_err *err)
{
	if (bpf_map_get_next_key(fd, key, next) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	return tdm_fail(err, -errno, "map next key");
}

int tdm_obj_pin(int fd, const char *path, struct tdm_err *err)
{
	if (bpf_obj_pin(fd, path))
		return tdm_fail(err, -errno, "pin %s", path);
	return 0;
}

int tdm_obj_unpin(const char *path, struct tdm_err *err)
{
	if (unlink(path))
		return tdm_fail(err, -errno, "unpin %s", path);
	return 0;
}
