/* The VRRP engine thread against a scripted peer on a veth pair, in a private network and mount
 * namespace of this test process: the peer's adverts are built with the codec and sent through a
 * packet socket, the engine's state is read from its status. Needs root. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <sched.h>
#include <net/if.h>
#include <stdint.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "netns_fixture.h"
#include "vrrp_engine.h"
#include "vrrp_io.h"
#include "vrrp_pkt_csum.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The one group both sides run: VRID 10, VRRPv2, AH with "s3cret", VIP 192.0.2.1. */
static void wire_group(struct vrrp_wire_group *w)
{
	memset(w, 0, sizeof(*w));
	w->vrid = 10;
	w->family = VRRP_IPV4;
	w->version = 2;
	w->auth_type = VRRP_AUTH_AH;
	memcpy(w->password, "s3cret", 6);
	w->interval = 1;
	w->vip_count = 1;
	w->vips[0].b[0] = 192, w->vips[0].b[1] = 0, w->vips[0].b[2] = 2, w->vips[0].b[3] = 1;
}

static struct vrrp_group_config engine_group(void)
{
	struct vrrp_group_config c = { 0 };
	struct vrrp_wire_group w;

	wire_group(&w);
	strcpy(c.parent, "b0");
	c.fsm.vrid = 10;
	c.fsm.version = 2;
	c.fsm.family = 4;
	c.fsm.priority = 100;
	c.fsm.interval = 1;
	c.fsm.preempt = true;
	c.fsm.primary[0] = 192, c.fsm.primary[1] = 0, c.fsm.primary[2] = 2, c.fsm.primary[3] = 3;
	c.has_primary = true;
	c.auth_type = VRRP_AUTH_AH;
	memcpy(c.password, w.password, sizeof(c.password));
	c.vip_count = 1;
	c.vips[0] = w.vips[0];
	c.vip_prefix[0] = 24;
	return c;
}

/* A veth pair in a private netns (b0 192.0.2.3/24 for the engine, a0 for the peer), the peer's
 * socket on a0, and an engine running group g on b0. */
static struct vrrp_engine *engine_with_peer(struct vrrp_io *peer, const struct vrrp_group_config *g)
{
	struct tdm_err err = { 0 };
	struct vrrp_engine *e;

	fixture_veth_pair();
	CHECK(system("ip addr add 192.0.2.3/24 dev b0") == 0);
	CHECK(vrrp_io_open(peer, (int)if_nametoindex("a0"), &err) == 0);
	e = vrrp_engine_start(NULL, NULL, NULL, &err);
	CHECK(e != NULL);
	CHECK(vrrp_engine_configure(e, g, 1, &err) == 0);
	return e;
}

/* Sends one advert of the peer (192.0.2.2, priority 200) with AH sequence seq. */
static void peer_advert(struct vrrp_io *io, uint32_t seq)
{
	struct vrrp_wire_group w;
	struct vrrp_tx tx = { .priority = 200, .ip_id = (uint16_t)(seq ? seq : 1), .ah_seq = seq };
	uint8_t frame[VRRP_FRAME_MAX];
	struct tdm_err err = { 0 };
	int len;

	wire_group(&w);
	tx.src.b[0] = 192, tx.src.b[1] = 0, tx.src.b[2] = 2, tx.src.b[3] = 2;
	len = vrrp_advert_frame_build(&w, &tx, io->mac, frame, sizeof(frame), &err);
	CHECK(len > 0);
	CHECK(vrrp_io_send(io, 0, frame, (size_t)len, &err) == 0);
}

static struct vrrp_group_status status_of(struct vrrp_engine *e)
{
	struct vrrp_group_status s[2];

	CHECK_EQ(vrrp_engine_status(e, s, 2), 1);
	return s[0];
}

/* Sends adverts every 300 ms from seq onwards for ms milliseconds; returns the next seq. */
static uint32_t advertise_for(struct vrrp_io *peer, uint32_t seq, unsigned ms)
{
	for (uint64_t until = now_ms() + ms; now_ms() < until; sleep_ms(300))
		peer_advert(peer, seq++);
	return seq;
}

/* V-63: a peer whose AH sequence restarts is taken back after 3 × Master_Down_Interval of
 * replays (the engine meanwhile takes over, as the peer looks silent). */
static void ah_sequence_reset_is_accepted_as_a_new_epoch(void)
{
	struct vrrp_group_config g;
	struct vrrp_engine *e;
	struct vrrp_io peer;
	struct vrrp_group_status s;
	uint32_t seq;
	uint64_t deadline;
	bool was_master = false;

	g = engine_group();
	e = engine_with_peer(&peer, &g);

	advertise_for(&peer, 1000, 2000);
	s = status_of(e);
	CHECK_EQ(s.fsm.state, VRRP_STATE_BACKUP);
	CHECK(s.fsm.counters.adverts_received >= 5);

	/* The peer restarts at sequence 1: replays. The engine becomes MASTER after its master down
	 * interval, then accepts the new epoch and yields to the higher priority. */
	seq = 1;
	deadline = now_ms() + 20000;
	while (now_ms() < deadline) {
		seq = advertise_for(&peer, seq, 600);
		s = status_of(e);
		was_master |= s.fsm.state == VRRP_STATE_MASTER;
		if (was_master && s.fsm.state == VRRP_STATE_BACKUP)
			break;
	}
	CHECK(was_master);
	CHECK_EQ(s.fsm.state, VRRP_STATE_BACKUP);
	CHECK(s.drops[VRRP_RX_AUTH_FAILURE] >= 10);
	vrrp_engine_stop(e);
	vrrp_io_close(&peer);
}

/* A higher-priority peer keeps the engine BACKUP; its silence makes it MASTER with the VIP, and a
 * priority-0 release from the peer is not needed for that. */
static void backup_then_master_on_silence(void)
{
	struct vrrp_group_config g;
	struct vrrp_engine *e;
	struct vrrp_io peer;
	uint64_t deadline;

	g = engine_group();
	e = engine_with_peer(&peer, &g);
	advertise_for(&peer, 1, 4500); /* longer than the Master_Down_Interval: still BACKUP */
	CHECK_EQ(status_of(e).fsm.state, VRRP_STATE_BACKUP);
	deadline = now_ms() + 6000;
	while (now_ms() < deadline && status_of(e).fsm.state != VRRP_STATE_MASTER)
		sleep_ms(100);
	CHECK_EQ(status_of(e).fsm.state, VRRP_STATE_MASTER);
	CHECK(system("ip -4 addr show dev b0 | grep -q 192.0.2.1/24") == 0);
	vrrp_engine_stop(e); /* releases: the VIP goes */
	CHECK(system("ip -4 addr show dev b0 | grep -q 192.0.2.1/24") != 0);
	vrrp_io_close(&peer);
}

/* Sends a frame of the peer: a valid advert with seq, mutated by fn (IPv4 header checksum redone). */
static void peer_mutated(struct vrrp_io *io, uint32_t seq, size_t (*fn)(uint8_t *frame, size_t len, unsigned i), unsigned i)
{
	struct vrrp_wire_group w;
	struct vrrp_tx tx = { .priority = 200, .ip_id = 7, .ah_seq = seq };
	uint8_t frame[VRRP_FRAME_MAX + 64];
	struct tdm_err err = { 0 };
	int len;

	wire_group(&w);
	w.auth_type = VRRP_AUTH_NONE;
	tx.src.b[0] = 192, tx.src.b[1] = 0, tx.src.b[2] = 2, tx.src.b[3] = 2;
	len = vrrp_advert_frame_build(&w, &tx, io->mac, frame, sizeof(frame), &err);
	CHECK(len > 0);
	len = (int)fn(frame, (size_t)len, i);
	frame[14 + 10] = frame[14 + 11] = 0;
	{
		uint16_t c = vrrp_csum_finish(vrrp_csum_add(0, frame + 14, 20));

		frame[14 + 10] = (uint8_t)(c >> 8), frame[14 + 11] = (uint8_t)c;
	}
	CHECK(vrrp_io_send(io, 0, frame, (size_t)len, &err) == 0);
}

static size_t ttl_64(uint8_t *f, size_t len, unsigned i)
{
	(void)i;
	f[14 + 8] = 64;
	return len;
}

static size_t bad_vrrp_checksum(uint8_t *f, size_t len, unsigned i)
{
	(void)i;
	f[34 + 6] ^= 0x5a;
	return len;
}

/* Random bytes after the IPv4 header, any length (CARP-sized ones included). */
static size_t random_payload(uint8_t *f, size_t len, unsigned i)
{
	size_t n = 1 + (i * 37u) % 60u;

	(void)len;
	for (size_t k = 0; k < n; k++)
		f[34 + k] = (uint8_t)(i * 131u + k * 17u);
	f[14 + 2] = (uint8_t)((20 + n) >> 8), f[14 + 3] = (uint8_t)(20 + n);
	return 34 + n;
}

/* S-24: garbage on protocol 112 (a plain group, no authentication) changes no state, lands in
 * the counters, and the engine keeps working. */
static void garbage_changes_nothing(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_group_config g;
	struct vrrp_engine *e;
	struct vrrp_io peer;
	struct vrrp_group_status s;

	g = engine_group();
	g.auth_type = VRRP_AUTH_NONE;
	memset(g.password, 0, sizeof(g.password));
	/* 10 s adverts: a Master_Down_Interval (36 s) longer than the flood takes on a loaded machine. */
	g.fsm.interval = 10;
	e = engine_with_peer(&peer, &g);
	for (unsigned i = 0; i < 3000; i++) {
		peer_mutated(&peer, 0, i % 3 == 0 ? ttl_64 : i % 3 == 1 ? bad_vrrp_checksum : random_payload, i);
		if (i % 50 == 0)
			sleep_ms(10); /* paced: the flood must not overrun the socket's receive buffer */
	}
	sleep_ms(300);
	s = status_of(e);
	CHECK_EQ(s.fsm.state, VRRP_STATE_BACKUP); /* still waiting its master down interval */
	CHECK_EQ(s.fsm.counters.adverts_received, 0);
	CHECK_EQ(s.drops[VRRP_RX_TTL], 1000);
	CHECK_EQ(s.drops[VRRP_RX_CHECKSUM], 1000);
	CHECK(s.drops[VRRP_RX_LENGTH] + s.drops[VRRP_RX_VERSION] + s.drops[VRRP_RX_INVALID_TYPE] +
		      s.iface.malformed + s.iface.unknown_vrid + s.drops[VRRP_RX_ADDRESS_LIST] +
		      s.drops[VRRP_RX_AUTH_TYPE_MISMATCH] + s.drops[VRRP_RX_AUTH_INVALID_TYPE] +
		      s.drops[VRRP_RX_ADVERT_INTERVAL] + s.drops[VRRP_RX_CHECKSUM] - 1000 >=
	      900);
	/* Still a working engine: a valid advert is accepted. */
	peer_mutated(&peer, 0, ttl_64, 0);
	{
		struct vrrp_wire_group w;
		struct vrrp_tx tx = { .priority = 200, .ip_id = 9 };
		uint8_t frame[VRRP_FRAME_MAX];
		int len;

		wire_group(&w);
		w.auth_type = VRRP_AUTH_NONE;
		w.interval = 10;
		tx.src.b[0] = 192, tx.src.b[1] = 0, tx.src.b[2] = 2, tx.src.b[3] = 2;
		len = vrrp_advert_frame_build(&w, &tx, peer.mac, frame, sizeof(frame), &err);
		CHECK(len > 0 && vrrp_io_send(&peer, 0, frame, (size_t)len, &err) == 0);
	}
	sleep_ms(200);
	CHECK_EQ(status_of(e).fsm.counters.adverts_received, 1);
	vrrp_engine_stop(e);
	vrrp_io_close(&peer);
}

/* Scheduling policy (field 41 of /proc/self/task/<tid>/stat) of the thread named `name`, or -1. */
static int thread_policy(const char *name)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int policy = -1;

	CHECK(d != NULL);
	while (policy < 0 && (de = readdir(d)) != NULL) {
		char path[300], comm[32] = "", stat[1024];
		FILE *f;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, name) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		CHECK((f = fopen(path, "r")) != NULL);
		CHECK(fgets(stat, sizeof(stat), f) != NULL);
		fclose(f);
		p = strrchr(stat, ')'); /* fields after the command name start at field 3 */
		for (int field = 2; p && field < 41; field++)
			p = strchr(p + 1, ' ');
		CHECK(p != NULL);
		policy = atoi(p + 1);
	}
	closedir(d);
	return policy;
}

/* The engine thread runs SCHED_FIFO (the tests run as root, which may), under its own name, so
 * CPU hogs cannot delay adverts and an operator can find it in top -H. */
static void engine_thread_is_realtime(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_engine *e = vrrp_engine_start(NULL, NULL, NULL, &err);

	CHECK(e != NULL);
	CHECK(vrrp_engine_realtime(e));
	CHECK_EQ(thread_policy("tandem-vrrp"), SCHED_FIFO);
	vrrp_engine_stop(e);
	CHECK_EQ(thread_policy("tandem-vrrp"), -1);
}

static const struct check_case cases[] = {
	{ "engine_thread_is_realtime", engine_thread_is_realtime },
	{ "garbage_changes_nothing", garbage_changes_nothing },
	{ "backup_then_master_on_silence", backup_then_master_on_silence },
	{ "ah_sequence_reset_is_accepted_as_a_new_epoch", ah_sequence_reset_is_accepted_as_a_new_epoch },
};

CHECK_MAIN(cases)
