/* The BPF loader and the counter program, exercised for real in a private network and mount
 * namespace of this test process (nothing on the host is touched). Needs root. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_attach.h"
#include "bpf_map.h"
#include "bpf_object.h"
#include "check.h"
#include "netns_fixture.h"
#include "if_counters.h"

#define OBJ TANDEM_BPF_OUT "/if_counters.bpf.o"

static struct tdm_bpf_obj *load_counters(const char *pin_root)
{
	struct tdm_err err = { 0 };
	struct tdm_bpf_obj *o = tdm_bpf_open(OBJ, pin_root, &err);

	if (!o)
		fprintf(stderr, "%s\n", err.msg);
	CHECK(o != NULL);
	if (tdm_bpf_load(o, &err))
		fprintf(stderr, "%s\n", err.msg);
	CHECK(err.code == 0);
	return o;
}

/* Sum of one per-CPU slot of if_counters. */
static struct tandem_if_counters read_counters(int map_fd, __u32 ifindex)
{
	struct tdm_map_info info;
	struct tdm_err err = { 0 };
	struct tandem_if_counters sum = { 0 };

	CHECK(tdm_map_get_info(map_fd, &info, &err) == 0);
	CHECK(info.per_cpu == 1);
	{
		unsigned char buf[info.value_buffer_size];
		uint32_t stride = (info.value_size + 7) / 8 * 8;

		CHECK_EQ(tdm_map_lookup(map_fd, &ifindex, buf, &err), 0);
		for (uint32_t off = 0; off < info.value_buffer_size; off += stride) {
			struct tandem_if_counters c;

			memcpy(&c, buf + off, sizeof(c));
			sum.rx_packets += c.rx_packets;
			sum.rx_bytes += c.rx_bytes;
			sum.tx_packets += c.tx_packets;
			sum.tx_bytes += c.tx_bytes;
		}
	}
	return sum;
}

static void send_udp_to_loopback(int n, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[1500] = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++)
		CHECK(sendto(s, payload, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len);
	close(s);
}

static void open_missing_file_reports_path(void)
{
	struct tdm_err err = { 0 };

	CHECK(tdm_bpf_open("/nonexistent/x.bpf.o", NULL, &err) == NULL);
	CHECK(err.code < 0);
	CHECK(strstr(err.msg, "/nonexistent/x.bpf.o") != NULL);
}

static void load_reports_maps_and_programs(void)
{
	struct tdm_err err = { 0 };
	struct tdm_bpf_obj *o = load_counters(NULL);
	struct tdm_map_info info;
	int fd = tdm_bpf_map_fd(o, "if_counters", &err);

	CHECK(fd >= 0);
	CHECK(tdm_map_get_info(fd, &info, &err) == 0);
	CHECK_EQ(info.type, BPF_MAP_TYPE_PERCPU_ARRAY);
	CHECK_EQ(info.key_size, 4);
	CHECK_EQ(info.value_size, sizeof(struct tandem_if_counters));
	CHECK_EQ(info.max_entries, TANDEM_IF_COUNTERS_MAX);
	CHECK_EQ(info.value_buffer_size, sizeof(struct tandem_if_counters) * tdm_num_possible_cpus());
	CHECK(tdm_bpf_prog_fd(o, "tc_count_ingress", &err) >= 0);
	CHECK(tdm_bpf_prog_fd(o, "no_such_program", &err) == -ENOENT);
	CHECK(strstr(err.msg, "no_such_program") != NULL);
	tdm_bpf_close(o);
}

/* BPF_PROG_TEST_RUN drives the program with a synthetic frame: no interface needed. */
static void ingress_program_counts_test_runs(void)
{
	struct tdm_err err = { 0 };
	struct tdm_bpf_obj *o;
	unsigned char frame[100] = { 0 };
	struct __sk_buff ctx = { .ifindex = 1 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = sizeof(frame),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 7);

	fixture_private_netns();
	o = load_counters(NULL);
	frame[12] = 0x08; /* ethertype IPv4 */
	CHECK(bpf_prog_test_run_opts(tdm_bpf_prog_fd(o, "tc_count_ingress", &err), &run) == 0);
	CHECK_EQ(run.retval, (uint32_t)-1); /* TC_ACT_UNSPEC: the next filter decides */
	{
		struct tandem_if_counters c = read_counters(tdm_bpf_map_fd(o, "if_counters", &err), 1);

		CHECK_EQ(c.rx_packets, 7);
		CHECK_EQ(c.rx_bytes, 7 * sizeof(frame));
		CHECK_EQ(c.tx_packets, 0);
	}
	tdm_bpf_close(o);
}

/* Attached on loopback with tc (ingress + egress) and generic XDP, real packets move the counters;
 * after detach they stop moving. */
static void attached_programs_count_real_packets(void)
{
	struct tdm_err err = { 0 };
	struct tdm_tc_link in, out;
	struct tandem_if_counters before, after;
	struct tdm_bpf_obj *o;
	uint32_t id;
	int map;

	fixture_private_netns();
	o = load_counters(NULL);
	map = tdm_bpf_map_fd(o, "if_counters", &err);
	CHECK_EQ(tdm_ifindex("lo", &err), 1);
	CHECK(tdm_ifindex("nosuchif0", &err) == -ENODEV);
	CHECK(tdm_tc_attach(1, TDM_TC_INGRESS, tdm_bpf_prog_fd(o, "tc_count_ingress", &err), 0, 0, &in, &err) == 0);
	CHECK(tdm_tc_attach(1, TDM_TC_EGRESS, tdm_bpf_prog_fd(o, "tc_count_egress", &err), 0, 0, &out, &err) == 0);
	CHECK(tdm_tc_query(&in, &id, &err) == 0 && id > 0);

	send_udp_to_loopback(10, 100);
	after = read_counters(map, 1);
	CHECK(after.rx_packets >= 10);
	CHECK(after.tx_packets >= 10);
	/* 100 bytes of payload + UDP 8 + IPv4 20 + Ethernet 14 */
	CHECK(after.rx_bytes >= 10 * 142);

	CHECK(tdm_tc_detach(&in, &err) == 0);
	CHECK(tdm_tc_query(&in, &id, &err) == 0 && id == 0);
	before = read_counters(map, 1);
	send_udp_to_loopback(5, 100);
	after = read_counters(map, 1);
	CHECK_EQ(after.rx_packets, before.rx_packets);
	CHECK(after.tx_packets >= before.tx_packets + 5);
	CHECK(tdm_tc_detach(&out, &err) == 0);

	CHECK(tdm_xdp_attach(1, tdm_bpf_prog_fd(o, "xdp_count", &err), TDM_XDP_SKB, &err) == 0);
	CHECK(tdm_xdp_query(1, TDM_XDP_SKB, &id, &err) == 0 && id > 0);
	before = read_counters(map, 1);
	send_udp_to_loopback(4, 100);
	after = read_counters(map, 1);
	CHECK(after.rx_packets >= before.rx_packets + 4);
	CHECK(tdm_xdp_detach(1, TDM_XDP_SKB, &err) == 0);
	CHECK(tdm_xdp_query(1, TDM_XDP_AUTO, &id, &err) == 0 && id == 0);
	tdm_bpf_close(o);
}

/* Maps pinned by name under pin_root survive the object and are reused by the next load. */
static void pinned_map_survives_and_is_reused(void)
{
	char dir[] = "/tmp/tandem-bpffs-XXXXXX";
	char pin[256];
	struct tdm_err err = { 0 };
	struct tdm_bpf_obj *o;
	__u32 key = 3;
	struct tandem_if_counters c;
	int fd;

	fixture_private_netns();
	CHECK(mkdtemp(dir) != NULL);
	CHECK(mount("bpf", dir, "bpf", 0, NULL) == 0);
	o = load_counters(dir);
	{
		struct tdm_map_info info;
		int mfd = tdm_bpf_map_fd(o, "if_counters", &err);
		unsigned char buf[4096] = { 0 };

		CHECK(tdm_map_get_info(mfd, &info, &err) == 0);
		c = (struct tandem_if_counters){ .rx_packets = 42 };
		memcpy(buf, &c, sizeof(c)); /* CPU 0's slot */
		CHECK(tdm_map_update(mfd, &key, buf, 0, &err) == 0);
	}
	tdm_bpf_close(o);

	snprintf(pin, sizeof(pin), "%s/if_counters", dir);
	fd = tdm_map_open_pinned(pin, &err);
	CHECK(fd >= 0);
	CHECK_EQ(read_counters(fd, key).rx_packets, 42);

	o = load_counters(dir); /* reuses the pinned map: the value is still there */
	CHECK_EQ(read_counters(tdm_bpf_map_fd(o, "if_counters", &err), key).rx_packets, 42);
	tdm_bpf_close(o);

	CHECK(tdm_obj_pin(fd, "/nonexistent-dir/x", &err) < 0);
	snprintf(pin, sizeof(pin), "%s/copy", dir);
	CHECK(tdm_obj_pin(fd, pin, &err) == 0);
	CHECK(tdm_obj_unpin(pin, &err) == 0);
	CHECK(tdm_obj_unpin(pin, &err) == -ENOENT);
	close(fd);
	CHECK(umount(dir) == 0);
	rmdir(dir);
}

/* Hash map semantics through the fd API: update, lookup, iterate, delete, absent keys. */
static void hash_map_iterate_and_delete(void)
{
	struct tdm_err err = { 0 };
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "t", 4, 8, 16, NULL);
	__u32 k, next, seen = 0;
	__u64 v;

	CHECK(fd >= 0);
	for (k = 1; k <= 5; k++) {
		v = k * 100;
		CHECK(tdm_map_update(fd, &k, &v, BPF_NOEXIST, &err) == 0);
	}
	k = 1;
	CHECK(tdm_map_update(fd, &k, &v, BPF_NOEXIST, &err) == -EEXIST);
	CHECK(tdm_map_lookup(fd, &k, &v, &err) == 0 && v == 100);
	for (int rc = tdm_map_next_key(fd, NULL, &next, &err); rc == 0;
	     k = next, rc = tdm_map_next_key(fd, &k, &next, &err))
		seen |= 1u << next;
	CHECK_EQ(seen, 0x3e);
	k = 3;
	CHECK_EQ(tdm_map_delete(fd, &k, &err), 0);
	CHECK_EQ(tdm_map_delete(fd, &k, &err), 1);
	CHECK_EQ(tdm_map_lookup(fd, &k, &v, &err), 1);
	close(fd);
}

static const struct check_case cases[] = {
	{ "open_missing_file_reports_path", open_missing_file_reports_path },
	{ "load_reports_maps_and_programs", load_reports_maps_and_programs },
	{ "ingress_program_counts_test_runs", ingress_program_counts_test_runs },
	{ "attached_programs_count_real_packets", attached_programs_count_real_packets },
	{ "pinned_map_survives_and_is_reused", pinned_map_survives_and_is_reused },
	{ "hash_map_iterate_and_delete", hash_map_iterate_and_delete },
};

CHECK_MAIN(cases)
