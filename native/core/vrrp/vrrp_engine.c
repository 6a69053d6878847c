/* The VRRP engine thread: epoll over the interfaces' packet sockets, a timerfd armed at the
 * earliest FSM deadline, a netlink link monitor and an eventfd; every action an FSM returns is
 * executed here, at once. One lock guards the whole engine: the binding's calls take it too, and
 * nothing under it waits for anything but the kernel. */
#include "vrrp_engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "tdm_thread.h"
#include "vrrp_io.h"
#include "vrrp_netlink.h"
#include "vrrp_sync_group.h"
#include "vrrp_sysctl.h"

#define MAX_IFACES 64
#define MAX_SYNCS 64
#define TAG_EVENT 1
#define TAG_TIMER 2
#define TAG_LINKMON 3
#define TAG_IFACE 16
#define ANNOUNCE_COUNT 5
#define DROP_LOG_INTERVAL_MS 60000

struct eng_iface {
	bool used;
	int ifindex;
	char name[IF_NAMESIZE];
	struct vrrp_io io;
	struct vrrp_iface_counters c;
	int users;
};

struct eng_group {
	bool used;
	bool seen; /* by the configure in progress */
	struct vrrp_group_config cfg;
	struct vrrp_wire_group wire;
	struct vrrp_fsm fsm;
	int iface;
	int vrrp_ifindex; /* RFC 3768 mode */
	uint8_t xmit_mac[6];
	uint16_t ip_id;
	uint32_t ah_seq;
	uint8_t csum_form;
	uint64_t drops[VRRP_RX_VERDICT_COUNT];
	uint64_t drop_logged_ms[VRRP_RX_VERDICT_COUNT];
	uint64_t last_transition_unix_ms;
	int sync; /* index into syncs, -1 */
	bool link_up;
	bool track_up[VRRP_ENGINE_MAX_TRACK];
	int record_fd; /* state record (V-5), -1 without a state directory */
	uint64_t replay_since_ms; /* V-63: first AH replay rejection since the last accepted advert */
};

struct eng_sync {
	bool used;
	char name[VRRP_SYNC_NAME_MAX];
	struct vrrp_sync_group sg;
};

struct vrrp_engine {
	pthread_t thread;
	pthread_mutex_t lock;
	int epfd, evfd, tfd;
	struct mnl_socket *mon;
	struct vrrp_nl nl;
	vrrp_event_fn events;
	void *ctx;
	char state_dir[256]; /* "" = no state records */
	bool configured_once, stopping;
	bool realtime; /* the thread runs SCHED_FIFO */
	struct eng_group *groups; /* VRRP_ENGINE_MAX_GROUPS slots */
	struct eng_iface ifaces[MAX_IFACES];
	struct eng_sync syncs[MAX_SYNCS];
};

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- events ------------------------------------------------------------------------------- */

static void emit(struct vrrp_engine *e, struct vrrp_event *ev)
{
	ev->unix_ms = wall_ms();
	if (e->events)
		e->events(e->ctx, ev);
}

static void glog(struct vrrp_engine *e, const struct eng_group *g, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void glog(struct vrrp_engine *e, const struct eng_group *g, int level, const char *fmt, ...)
{
	struct vrrp_event ev = { .type = VRRP_EV_LOG, .level = (uint8_t)level };
	int n = 0;
	va_list ap;

	if (g) {
		snprintf(ev.parent, sizeof(ev.parent), "%s", g->cfg.parent);
		ev.vrid = g->cfg.fsm.vrid;
		n = snprintf(ev.text, sizeof(ev.text), "VRRP_Instance(%s-%u) ", g->cfg.parent, g->cfg.fsm.vrid);
	}
	va_start(ap, fmt);
	vsnprintf(ev.text + n, sizeof(ev.text) - (size_t)n, fmt, ap);
	va_end(ap);
	emit(e, &ev);
}

static const char *addr_text(uint8_t family, const uint8_t *a, char *buf, size_t len)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* ---- interfaces --------------------------------------------------------------------------- */

static bool link_up_by_name(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	if (fd >= 0)
		close(fd);
	return up;
}

static int iface_acquire(struct vrrp_engine *e, const char *name, struct tdm_err *err)
{
	int free_slot = -1, idx;
	struct epoll_event ev = { .events = EPOLLIN };

	for (int i = 0; i < MAX_IFACES; i++) {
		if (e->ifaces[i].used && strcmp(e->ifaces[i].name, name) == 0) {
			e->ifaces[i].users++;
			return i;
		}
		if (!e->ifaces[i].used && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return tdm_fail(err, -ENOSPC, "more than %d VRRP interfaces", MAX_IFACES);
	idx = (int)if_nametoindex(name);
	if (!idx)
		return tdm_fail(err, -ENODEV, "interface %s", name);
	if (vrrp_io_open(&e->ifaces[free_slot].io, idx, err))
		return err->code;
	ev.data.u64 = TAG_IFACE + (uint64_t)free_slot;
	if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->ifaces[free_slot].io.fd, &ev)) {
		vrrp_io_close(&e->ifaces[free_slot].io);
		return tdm_fail(err, -errno, "epoll %s", name);
	}
	e->ifaces[free_slot] = (struct eng_iface){ .used = true, .ifindex = idx, .io = e->ifaces[free_slot].io, .users = 1 };
	snprintf(e->ifaces[free_slot].name, IF_NAMESIZE, "%s", name);
	return free_slot;
}

static void iface_release(struct vrrp_engine *e, int i)
{
	if (i < 0 || --e->ifaces[i].users > 0)
		return;
	epoll_ctl(e->epfd, EPOLL_CTL_DEL, e->ifaces[i].io.fd, NULL);
	vrrp_io_close(&e->ifaces[i].io);
	e->ifaces[i].used = false;
}

/* ---- actions ------------------------------------------------------------------------------ */

static void run_sync(struct vrrp_engine *e, int sync, uint64_t now, int depth);

/* ---- state records (V-5) ----------------------------------------------------------------- */

/* One fixed-size line, rewritten in place: state, wall-clock ms of the last update, AH sequence.
 * A MASTER rewrites it with every advert, so after a crash its age tells whether the backups can
 * still be hearing us (younger than Master_Down_Interval) and the restart may resume. */
#define RECORD_LEN 64

static void record_write(struct eng_group *g, const char *state)
{
	char line[RECORD_LEN];
	int n;

	if (g->record_fd < 0)
		return;
	memset(line, ' ', sizeof(line));
	n = snprintf(line, sizeof(line) - 1, "%s %llu %u", state, (unsigned long long)wall_ms(), g->ah_seq);
	if (n > 0 && n < RECORD_LEN - 1)
		line[n] = ' '; /* pad over the terminator: the line keeps its fixed length */
	line[RECORD_LEN - 1] = '\n';
	if (pwrite(g->record_fd, line, sizeof(line), 0) != (ssize_t)sizeof(line))
		return; /* a record is an optimisation: losing one only costs a failover */
}

/* Opens the group's record; returns true when it says MASTER recently enough to resume. Sets
 * *was_master when it says MASTER at all (its VIPs may be left in the kernel). */
static bool record_open(struct vrrp_engine *e, struct eng_group *g, bool *was_master)
{
	char path[sizeof(e->state_dir) + 64], line[RECORD_LEN + 1] = { 0 }, state[16] = { 0 };
	unsigned long long ts = 0;
	unsigned int seq = 0;
	uint64_t down_ms;

	*was_master = false;
	g->record_fd = -1;
	if (!e->state_dir[0])
		return false;
	snprintf(path, sizeof(path), "%s/vrrp-%s-%u-%u.state", e->state_dir, g->cfg.parent, g->cfg.fsm.vrid,
		 g->cfg.fsm.family);
	g->record_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (g->record_fd < 0 || pread(g->record_fd, line, RECORD_LEN, 0) <= 0)
		return false;
	if (sscanf(line, "%15s %llu %u", state, &ts, &seq) != 3 || strcmp(state, "MASTER") != 0)
		return false;
	*was_master = true;
	g->ah_seq = seq;
	down_ms = vrrp_master_down_us(g->cfg.fsm.priority, vrrp_interval_us(g->cfg.fsm.version, g->cfg.fsm.interval)) / 1000;
	return wall_ms() >= ts && wall_ms() - ts < down_ms;
}

static void send_advert(struct vrrp_engine *e, struct eng_group *g, uint8_t priority)
{
	struct eng_iface *ifc = &e->ifaces[g->iface];
	struct vrrp_tx tx = { .priority = priority, .csum_form = g->csum_form };
	uint8_t frame[VRRP_FRAME_MAX];
	struct tdm_err err = { 0 };
	int len;

	memcpy(tx.src.b, g->cfg.fsm.primary, 16);
	tx.ip_id = ++g->ip_id ? g->ip_id : ++g->ip_id; /* never 0 */
	if (g->wire.auth_type == VRRP_AUTH_AH) {
		/* Continue above anything sent or accepted, so peers tracking the old master accept us. */
		if (g->ah_seq < g->wire.ah_last_seq)
			g->ah_seq = g->wire.ah_last_seq;
		tx.ah_seq = ++g->ah_seq;
	}
	len = vrrp_advert_frame_build(&g->wire, &tx, g->xmit_mac, frame, sizeof(frame), &err);
	if (len < 0 || vrrp_io_send(&ifc->io, 0, frame, (size_t)len, &err))
		glog(e, g, 50, "cannot send advert: %s", err.msg);
	if (priority && g->fsm.state == VRRP_STATE_MASTER)
		record_write(g, "MASTER");
}

static void set_vips(struct vrrp_engine *e, struct eng_group *g, bool add)
{
	struct tdm_err err = { 0 };
	int target = g->vrrp_ifindex ? g->vrrp_ifindex : e->ifaces[g->iface].ifindex;

	if (add && g->vrrp_ifindex && vrrp_nl_link_set_up(&e->nl, g->vrrp_ifindex, 1, &err))
		glog(e, g, 50, "%s", err.msg);
	glog(e, g, 30, "%s protocol VIPs", add ? "setting" : "removing");
	for (int i = 0; i < g->cfg.vip_count; i++) {
		if (vrrp_nl_addr(&e->nl, add, target, g->cfg.fsm.family == 6 ? AF_INET6 : AF_INET, g->cfg.vips[i].b,
				 g->cfg.vip_prefix[i], &err))
			glog(e, g, 50, "%s", err.msg);
	}
	/* RFC 3768 mode: a backup's VRRP interface is down, so frames to the VMAC are not taken in. */
	if (!add && g->vrrp_ifindex && vrrp_nl_link_set_up(&e->nl, g->vrrp_ifindex, 0, &err))
		glog(e, g, 50, "%s", err.msg);
}

static void announce(struct vrrp_engine *e, struct eng_group *g, uint8_t kind)
{
	struct eng_iface *ifc = &e->ifaces[g->iface];
	uint8_t frame[VRRP_NA_FRAME_LEN > VRRP_GARP_FRAME_LEN ? VRRP_NA_FRAME_LEN : VRRP_GARP_FRAME_LEN];
	struct tdm_err err = { 0 };
	char text[48];
	int len;

	for (int v = 0; v < g->cfg.vip_count; v++) {
		bool v6 = g->cfg.fsm.family == 6;

		glog(e, g, 30, "Sending %s on %s for %s", v6 ? "unsolicited neighbour advertisements" : "gratuitous ARPs",
		     g->cfg.vrrp_ifname[0] ? g->cfg.vrrp_ifname : g->cfg.parent,
		     addr_text(g->cfg.fsm.family, g->cfg.vips[v].b, text, sizeof(text)));
		for (int i = 0; i < ANNOUNCE_COUNT; i++) {
			len = v6 ? vrrp_na_frame_build(g->xmit_mac, &g->cfg.vips[v], frame, sizeof(frame))
				 : vrrp_garp_frame_build(g->xmit_mac, &g->cfg.vips[v], 1, frame, sizeof(frame));
			if (len > 0)
				vrrp_io_send(&ifc->io, 0, frame, (size_t)len, &err);
			/* Legacy mode: replies too, for hosts that only learn from replies (§1.13). */
			if (!v6 && !g->vrrp_ifindex && kind != VRRP_ANNOUNCE_SECOND) {
				len = vrrp_garp_frame_build(g->xmit_mac, &g->cfg.vips[v], 2, frame, sizeof(frame));
				if (len > 0)
					vrrp_io_send(&ifc->io, 0, frame, (size_t)len, &err);
			}
		}
	}
}

static void state_changed(struct vrrp_engine *e, struct eng_group *g, const struct vrrp_state_change *c)
{
	struct vrrp_event ev = { .type = VRRP_EV_STATE, .change = *c };
	char peer[48];

	g->last_transition_unix_ms = wall_ms();
	record_write(g, vrrp_state_name((enum vrrp_state)c->to));
	snprintf(ev.parent, sizeof(ev.parent), "%s", g->cfg.parent);
	ev.vrid = g->cfg.fsm.vrid;
	snprintf(ev.sync_group, sizeof(ev.sync_group), "%s", g->cfg.sync_group);
	if (c->to == VRRP_STATE_MASTER)
		glog(e, g, 30, "Transition to MASTER STATE (%s)", vrrp_reason_text((enum vrrp_reason)c->cause));
	if (c->reason == VRRP_REASON_HIGHER_PRIORITY && c->has_peer)
		glog(e, g, 30, "Received higher prio advert %u from %s", c->peer_priority,
		     addr_text(g->cfg.fsm.family, c->peer, peer, sizeof(peer)));
	glog(e, g, c->to == VRRP_STATE_FAULT ? 40 : 30, "Entering %s STATE (%s)", vrrp_state_name((enum vrrp_state)c->to),
	     vrrp_reason_text((enum vrrp_reason)c->reason));
	emit(e, &ev);
}

static void execute(struct vrrp_engine *e, struct eng_group *g, const struct vrrp_actions *acts, uint64_t now, int depth)
{
	bool sync = false;

	for (uint32_t i = 0; i < acts->n; i++) {
		const struct vrrp_action *a = &acts->a[i];

		switch (a->type) {
		case VRRP_ACT_STATE_CHANGED:
			state_changed(e, g, &a->change);
			sync = true;
			break;
		case VRRP_ACT_SEND_ADVERT:
			send_advert(e, g, a->priority);
			break;
		case VRRP_ACT_INSTALL_VIPS:
			set_vips(e, g, true);
			break;
		case VRRP_ACT_REMOVE_VIPS:
			set_vips(e, g, false);
			break;
		case VRRP_ACT_ANNOUNCE:
			announce(e, g, a->announce);
			break;
		case VRRP_ACT_SYNC_WAIT:
			sync = true;
			break;
		}
	}
	if (sync && g->sync >= 0)
		run_sync(e, g->sync, now, depth + 1);
}

#define SYNC_MAX_MEMBERS 64

/* Members' FSMs of a sync group, and their groups (at most SYNC_MAX_MEMBERS). */
static size_t sync_members(struct vrrp_engine *e, int sync, struct vrrp_fsm **fsms, struct eng_group **groups)
{
	size_t n = 0;

	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		if (e->groups[i].used && e->groups[i].sync == sync && n < SYNC_MAX_MEMBERS) {
			fsms[n] = &e->groups[i].fsm;
			groups[n++] = &e->groups[i];
		}
	}
	return n;
}

static void run_sync(struct vrrp_engine *e, int sync, uint64_t now, int depth)
{
	struct vrrp_fsm *fsms[SYNC_MAX_MEMBERS];
	struct eng_group *members[SYNC_MAX_MEMBERS];
	struct vrrp_actions outs[SYNC_MAX_MEMBERS];
	struct vrrp_sync_result res = { 0 };
	size_t n;

	if (depth > 4)
		return; /* each pass settles the group; deeper recursion would be a bug, not a need */
	n = sync_members(e, sync, fsms, members);
	vrrp_sync_group_update(&e->syncs[sync].sg, fsms, n, now, outs, &res);
	if (res.changed) {
		struct vrrp_event ev = { .type = VRRP_EV_SYNC_STATE };

		snprintf(ev.sync_group, sizeof(ev.sync_group), "%s", e->syncs[sync].name);
		ev.change.from = res.from;
		ev.change.to = res.to;
		glog(e, NULL, 30, "VRRP_Group(%s) Syncing instances to %s state", e->syncs[sync].name,
		     vrrp_state_name((enum vrrp_state)res.to));
		emit(e, &ev);
	}
	for (size_t i = 0; i < n; i++)
		if (outs[i].n)
			execute(e, members[i], &outs[i], now, depth);
}

/* ---- receive ------------------------------------------------------------------------------ */

struct lookup_ctx {
	struct vrrp_engine *e;
	int iface;
};

static const struct vrrp_wire_group *lookup(void *ctx, uint8_t family, uint8_t vrid)
{
	struct lookup_ctx *l = ctx;

	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &l->e->groups[i];

		if (g->used && g->iface == l->iface && g->wire.vrid == vrid && g->wire.family == family)
			return &g->wire;
	}
	return NULL;
}

static struct eng_group *group_of_wire(const struct vrrp_wire_group *w)
{
	return (struct eng_group *)((char *)w - offsetof(struct eng_group, wire));
}

/* V-63: an AH peer that restarted counts from 1 again and every advert of it is a replay. After
 * 3 × Master_Down_Interval of nothing but replays, its sequence is taken as a new epoch. */
static bool replay_epoch(struct vrrp_engine *e, struct eng_group *g, const struct vrrp_rx_advert *adv)
{
	uint64_t ms = wall_ms(), down_ms;
	char src[48];

	if (!g->replay_since_ms) {
		g->replay_since_ms = ms;
		return false;
	}
	down_ms = vrrp_master_down_us(g->cfg.fsm.priority, vrrp_interval_us(g->cfg.fsm.version, g->cfg.fsm.interval)) / 1000;
	if (ms - g->replay_since_ms < 3 * down_ms)
		return false;
	g->wire.ah_last_seq = adv->ah_seq - 1;
	g->replay_since_ms = 0;
	glog(e, g, 40, "AH sequence reset accepted from %s", addr_text(adv->family, adv->src.b, src, sizeof(src)));
	return true;
}

static void receive(struct vrrp_engine *e, int iface, const uint8_t *frame, long len, uint64_t now)
{
	struct eng_iface *ifc = &e->ifaces[iface];
	struct lookup_ctx ctx = { e, iface };
	struct vrrp_rx_advert adv;
	enum vrrp_rx_verdict v;
	struct eng_group *g;

	if (len < 14 || len > VRRP_FRAME_MAX) {
		ifc->c.malformed++;
		return;
	}
	v = vrrp_rx_check(frame + 14, (size_t)len - 14, lookup, &ctx, &adv);
	switch (v) {
	case VRRP_RX_NOT_VRRP:
		return;
	case VRRP_RX_MALFORMED:
		ifc->c.malformed++;
		return;
	case VRRP_RX_BAD_DEST:
		ifc->c.bad_destination++;
		return;
	case VRRP_RX_UNKNOWN_VRID:
		ifc->c.unknown_vrid++;
		return;
	default:
		break;
	}
	if (!adv.group)
		return;
	g = group_of_wire(adv.group);
	g->drops[v]++;
	if (v == VRRP_RX_AUTH_FAILURE && adv.auth_fail == VRRP_AUTH_FAIL_REPLAY && replay_epoch(e, g, &adv))
		v = vrrp_rx_check(frame + 14, (size_t)len - 14, lookup, &ctx, &adv); /* the new epoch's advert */
	if (v != VRRP_RX_ACCEPT) {
		uint64_t ms = wall_ms();
		char src[48];

		if (ms - g->drop_logged_ms[v] >= DROP_LOG_INTERVAL_MS) {
			g->drop_logged_ms[v] = ms;
			glog(e, g, 40, "dropped advert from %s: %s", addr_text(adv.family, adv.src.b, src, sizeof(src)),
			     vrrp_rx_verdict_name(v));
		}
		return;
	}
	g->replay_since_ms = 0;
	if (adv.has_ah)
		g->wire.ah_last_seq = adv.ah_seq;
	if (g->cfg.v3_csum == VRRP_V3_CSUM_AUTO && adv.version == 3 && adv.family == 4)
		g->csum_form = adv.csum_form; /* V-93: answer in the form the peers use */
	{
		struct vrrp_fsm_advert fa = { .version = adv.version, .family = adv.family, .priority = adv.priority,
					      .interval = adv.interval };
		struct vrrp_actions acts;

		memcpy(fa.src, adv.src.b, 16);
		memcpy(fa.src_mac, frame + 6, 6);
		vrrp_actions_reset(&acts);
		vrrp_fsm_advert(&g->fsm, now, &fa, &acts);
		execute(e, g, &acts, now, 0);
	}
}

/* ---- link state --------------------------------------------------------------------------- */

/* Re-reads link state for every group: parent (FAULT_LINK), tracked interfaces (FAULT_TRACK or
 * priority weights). */
static void refresh_links(struct vrrp_engine *e, uint64_t now)
{
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];
		struct vrrp_actions acts;
		bool up, track_fault = false;
		int32_t delta = 0;

		if (!g->used)
			continue;
		up = link_up_by_name(g->cfg.parent);
		if (up != g->link_up) {
			g->link_up = up;
			if (!up)
				glog(e, g, 40, "fault: link down on %s", g->cfg.parent);
			vrrp_actions_reset(&acts);
			vrrp_fsm_set_fault(&g->fsm, now, VRRP_FAULT_LINK, !up, (uint32_t)e->ifaces[g->iface].ifindex, &acts);
			execute(e, g, &acts, now, 0);
		}
		for (int t = 0; t < g->cfg.track_count; t++) {
			bool tup = link_up_by_name(g->cfg.track[t].ifname);
			int32_t w = g->cfg.track[t].weight;

			if (tup != g->track_up[t] && !tup)
				glog(e, g, 40, "tracked interface %s down", g->cfg.track[t].ifname);
			g->track_up[t] = tup;
			if (w == 0 && !tup)
				track_fault = true;
			else if (w > 0 && tup)
				delta += w;
			else if (w < 0 && !tup)
				delta += w;
		}
		if (g->cfg.track_count) {
			vrrp_actions_reset(&acts);
			if (track_fault != ((g->fsm.faults & VRRP_FAULT_TRACK) != 0))
				vrrp_fsm_set_fault(&g->fsm, now, VRRP_FAULT_TRACK, track_fault, 0, &acts);
			execute(e, g, &acts, now, 0);
			if (delta != g->fsm.priority_delta) {
				vrrp_actions_reset(&acts);
				vrrp_fsm_set_priority_delta(&g->fsm, now, delta, &acts);
				execute(e, g, &acts, now, 0);
			}
		}
	}
}

static void drain_linkmon(struct vrrp_engine *e, uint64_t now)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	bool any = false;

	while (recv(mnl_socket_get_fd(e->mon), buf, sizeof(buf), MSG_DONTWAIT) > 0)
		any = true; /* which link changed does not matter: state is re-read for all */
	if (any)
		refresh_links(e, now);
}

/* ---- timers ------------------------------------------------------------------------------- */

static void run_timers(struct vrrp_engine *e, uint64_t now)
{
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];
		uint64_t due;

		if (!g->used)
			continue;
		due = vrrp_fsm_next_deadline(&g->fsm);
		if (due && due <= now) {
			struct vrrp_actions acts;

			vrrp_actions_reset(&acts);
			vrrp_fsm_tick(&g->fsm, now, &acts);
			execute(e, g, &acts, now, 0);
		}
	}
}

static void rearm(struct vrrp_engine *e)
{
	struct itimerspec its = { 0 };
	uint64_t next = 0;

	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		uint64_t d = e->groups[i].used ? vrrp_fsm_next_deadline(&e->groups[i].fsm) : 0;

		if (d && (!next || d < next))
			next = d;
	}
	if (next) {
		its.it_value.tv_sec = (time_t)(next / 1000000u);
		its.it_value.tv_nsec = (long)(next % 1000000u) * 1000;
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(e->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void *engine_main(void *arg)
{
	struct vrrp_engine *e = arg;
	static __thread uint8_t frame[VRRP_FRAME_MAX + 64];
	struct epoll_event evs[32];

	for (;;) {
		int n = epoll_wait(e->epfd, evs, 32, -1);
		uint64_t now, junk;

		if (n < 0 && errno != EINTR)
			break;
		pthread_mutex_lock(&e->lock);
		if (e->stopping) {
			pthread_mutex_unlock(&e->lock);
			break;
		}
		now = mono_us();
		for (int i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag == TAG_EVENT) {
				if (read(e->evfd, &junk, sizeof(junk)) < 0)
					continue;
			} else if (tag == TAG_TIMER) {
				if (read(e->tfd, &junk, sizeof(junk)) < 0)
					continue;
			} else if (tag == TAG_LINKMON) {
				drain_linkmon(e, now);
			} else if (tag >= TAG_IFACE && tag < TAG_IFACE + MAX_IFACES) {
				int iface = (int)(tag - TAG_IFACE);
				struct tdm_err err = { 0 };
				long len;

				while (e->ifaces[iface].used &&
				       (len = vrrp_io_recv(&e->ifaces[iface].io, frame, sizeof(frame), &err)) > 0)
					receive(e, iface, frame, len, now);
			}
		}
		run_timers(e, mono_us());
		rearm(e);
		pthread_mutex_unlock(&e->lock);
	}
	return NULL;
}

/* ---- configuration ------------------------------------------------------------------------ */

static int sync_index(struct vrrp_engine *e, const char *name)
{
	int free_slot = -1;

	if (!name[0])
		return -1;
	for (int i = 0; i < MAX_SYNCS; i++) {
		if (e->syncs[i].used && strcmp(e->syncs[i].name, name) == 0)
			return i;
		if (!e->syncs[i].used && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return -1;
	e->syncs[free_slot].used = true;
	snprintf(e->syncs[free_slot].name, VRRP_SYNC_NAME_MAX, "%s", name);
	vrrp_sync_group_init(&e->syncs[free_slot].sg);
	return free_slot;
}

static void wire_of(const struct vrrp_group_config *c, struct vrrp_wire_group *w)
{
	uint32_t last = w->ah_last_seq;

	memset(w, 0, sizeof(*w));
	w->vrid = c->fsm.vrid;
	w->family = c->fsm.family;
	w->version = c->fsm.version;
	w->auth_type = c->auth_type;
	memcpy(w->password, c->password, sizeof(w->password));
	w->interval = c->fsm.interval;
	w->owner = c->fsm.priority == VRRP_PRIO_OWNER;
	w->vip_count = c->vip_count;
	memcpy(w->vips, c->vips, sizeof(w->vips));
	w->ah_last_seq = last;
}

static struct eng_group *find_group(struct vrrp_engine *e, const char *parent, uint8_t vrid, uint8_t family)
{
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];

		if (g->used && g->cfg.fsm.vrid == vrid && g->cfg.fsm.family == family && strcmp(g->cfg.parent, parent) == 0)
			return g;
	}
	return NULL;
}

static void remove_group(struct vrrp_engine *e, struct eng_group *g, uint64_t now)
{
	struct vrrp_actions acts;
	struct tdm_err err = { 0 };

	vrrp_actions_reset(&acts);
	vrrp_fsm_stop(&g->fsm, now, &acts);
	execute(e, g, &acts, now, 0);
	if (g->vrrp_ifindex)
		vrrp_nl_link_delete(&e->nl, g->vrrp_ifindex, &err);
	iface_release(e, g->iface);
	if (g->record_fd >= 0)
		close(g->record_fd);
	g->used = false;
}

static int add_group(struct vrrp_engine *e, const struct vrrp_group_config *c, uint64_t now, struct tdm_err *err)
{
	struct eng_group *g = NULL;
	struct vrrp_actions acts;

	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS && !g; i++)
		if (!e->groups[i].used)
			g = &e->groups[i];
	if (!g)
		return tdm_fail(err, -ENOSPC, "more than %d VRRP groups", VRRP_ENGINE_MAX_GROUPS);
	memset(g, 0, sizeof(*g));
	g->record_fd = -1;
	g->cfg = *c;
	g->iface = iface_acquire(e, c->parent, err);
	if (g->iface < 0)
		return g->iface;
	memcpy(g->xmit_mac, e->ifaces[g->iface].io.mac, 6);
	if (c->vrrp_ifname[0]) {
		uint8_t vmac[6];

		vrrp_vmac(c->fsm.family, c->fsm.vrid, vmac);
		g->vrrp_ifindex = vrrp_nl_macvlan_create(&e->nl, e->ifaces[g->iface].ifindex, c->vrrp_ifname, vmac, err);
		if (g->vrrp_ifindex < 0) {
			int rc = g->vrrp_ifindex;

			iface_release(e, g->iface);
			return rc;
		}
		vrrp_nl_link_set_up(&e->nl, g->vrrp_ifindex, 0, err);
		if (vrrp_sysctl_rfc3768(c->parent, c->vrrp_ifname, err))
			glog(e, g, 40, "%s", err->msg);
		memcpy(g->xmit_mac, vmac, 6);
	}
	wire_of(c, &g->wire);
	g->csum_form = c->v3_csum == VRRP_V3_CSUM_RFC9568 ? VRRP_CSUM_FORM_A : VRRP_CSUM_FORM_B;
	g->sync = sync_index(e, c->sync_group);
	g->used = true;
	g->last_transition_unix_ms = wall_ms();
	vrrp_fsm_init(&g->fsm, &c->fsm);
	vrrp_actions_reset(&acts);
	g->link_up = link_up_by_name(c->parent);
	if (!g->link_up)
		vrrp_fsm_set_fault(&g->fsm, now, VRRP_FAULT_LINK, true, (uint32_t)e->ifaces[g->iface].ifindex, &acts);
	if (!c->has_primary)
		vrrp_fsm_set_fault(&g->fsm, now, VRRP_FAULT_NO_SOURCE, true, 0, &acts);
	for (int t = 0; t < c->track_count; t++)
		g->track_up[t] = true;
	glog(e, g, 30, "configured: device %s xmit %s vrid %u version %u priority %u interval %u preempt %s delay %u vips %u",
	     c->parent, c->vrrp_ifname[0] ? c->vrrp_ifname : c->parent, c->fsm.vrid, c->fsm.version, c->fsm.priority,
	     c->fsm.interval, c->fsm.preempt ? "on" : "off", c->fsm.preempt_delay_s, c->vip_count);
	{
		bool was_master, resume = record_open(e, g, &was_master);

		if (was_master && !resume)
			set_vips(e, g, false); /* V-5: a stale record's VIPs may be left in the kernel */
		vrrp_fsm_start(&g->fsm, now, resume ? VRRP_START_RESUME : e->configured_once ? 0 : VRRP_START_DELAY, &acts);
		if (resume)
			glog(e, g, 30, "resuming MASTER state (restart within the master down interval)");
	}
	execute(e, g, &acts, now, 0);
	return 0;
}

static bool same_vips(const struct vrrp_group_config *a, const struct vrrp_group_config *b)
{
	return a->vip_count == b->vip_count && memcmp(a->vips, b->vips, sizeof(a->vips)) == 0 &&
	       memcmp(a->vip_prefix, b->vip_prefix, sizeof(a->vip_prefix)) == 0;
}

static void update_group(struct vrrp_engine *e, struct eng_group *g, const struct vrrp_group_config *c, uint64_t now)
{
	struct vrrp_actions acts;
	bool vips_changed = !same_vips(&g->cfg, c), master = g->fsm.state == VRRP_STATE_MASTER;

	if (memcmp(&g->cfg, c, sizeof(*c)) == 0)
		return;
	if (master && vips_changed)
		set_vips(e, g, false);
	g->cfg = *c;
	wire_of(c, &g->wire);
	if (c->v3_csum != VRRP_V3_CSUM_AUTO)
		g->csum_form = c->v3_csum == VRRP_V3_CSUM_RFC9568 ? VRRP_CSUM_FORM_A : VRRP_CSUM_FORM_B;
	g->sync = sync_index(e, c->sync_group);
	vrrp_actions_reset(&acts);
	vrrp_fsm_set_fault(&g->fsm, now, VRRP_FAULT_NO_SOURCE, !c->has_primary, 0, &acts);
	execute(e, g, &acts, now, 0);
	vrrp_actions_reset(&acts);
	if (c->fsm.disabled && g->fsm.state != VRRP_STATE_DISABLED)
		vrrp_fsm_disable(&g->fsm, now, &acts);
	else if (!c->fsm.disabled && g->fsm.state == VRRP_STATE_DISABLED)
		vrrp_fsm_enable(&g->fsm, now, &acts);
	else
		vrrp_fsm_reconfigure(&g->fsm, now, &c->fsm, &acts);
	execute(e, g, &acts, now, 0);
	/* V-91: a VIP added while MASTER is installed and announced at once. */
	if (vips_changed && g->fsm.state == VRRP_STATE_MASTER) {
		set_vips(e, g, true);
		announce(e, g, VRRP_ANNOUNCE_FIRST);
	}
}

int vrrp_engine_configure(struct vrrp_engine *e, const struct vrrp_group_config *groups, size_t n, struct tdm_err *err)
{
	uint64_t now = mono_us();
	int first_rc = 0;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++)
		e->groups[i].seen = false;
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_group_config *c = &groups[i];
		struct eng_group *g = find_group(e, c->parent, c->fsm.vrid, c->fsm.family);
		struct tdm_err one = { 0 };

		if (g && strcmp(g->cfg.vrrp_ifname, c->vrrp_ifname) != 0) {
			remove_group(e, g, now); /* MAC mode changed: a new group */
			g = NULL;
		}
		if (g) {
			update_group(e, g, c, now);
			g->seen = true;
		} else if (add_group(e, c, now, &one) == 0) {
			g = find_group(e, c->parent, c->fsm.vrid, c->fsm.family);
			if (g)
				g->seen = true;
		} else if (!first_rc) {
			first_rc = one.code;
			if (err)
				*err = one;
		}
	}
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++)
		if (e->groups[i].used && !e->groups[i].seen)
			remove_group(e, &e->groups[i], now);
	for (int s = 0; s < MAX_SYNCS; s++) {
		bool any = false;

		for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS && !any; i++)
			any = e->groups[i].used && e->groups[i].sync == s;
		if (e->syncs[s].used && !any)
			e->syncs[s].used = false;
		else if (any)
			run_sync(e, s, now, 0);
	}
	e->configured_once = true;
	rearm(e);
	pthread_mutex_unlock(&e->lock);
	return first_rc;
}

size_t vrrp_engine_status(struct vrrp_engine *e, struct vrrp_group_status *out, size_t cap)
{
	size_t n = 0;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];
		struct vrrp_group_status *s;

		if (!g->used)
			continue;
		if (n < cap) {
			s = &out[n];
			memset(s, 0, sizeof(*s));
			snprintf(s->parent, sizeof(s->parent), "%s", g->cfg.parent);
			s->vrid = g->cfg.fsm.vrid;
			s->fsm = g->fsm;
			memcpy(s->drops, g->drops, sizeof(s->drops));
			s->last_transition_unix_ms = g->last_transition_unix_ms;
			s->link_up = g->link_up;
			s->csum_form = g->csum_form;
			memcpy(s->track_up, g->track_up, sizeof(s->track_up));
			s->iface = e->ifaces[g->iface].c;
			snprintf(s->sync_group, sizeof(s->sync_group), "%s", g->cfg.sync_group);
			s->sync_state = g->sync >= 0 ? e->syncs[g->sync].sg.state : VRRP_STATE_INIT;
		}
		n++;
	}
	pthread_mutex_unlock(&e->lock);
	return n;
}

int vrrp_engine_reset_master(struct vrrp_engine *e, const char *parent, uint8_t vrid)
{
	struct vrrp_actions acts;
	uint64_t now = mono_us();
	struct eng_group *g = NULL;
	int rc = -ENOENT;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS && !g; i++)
		if (e->groups[i].used && e->groups[i].cfg.fsm.vrid == vrid && strcmp(e->groups[i].cfg.parent, parent) == 0)
			g = &e->groups[i];
	if (g) {
		vrrp_actions_reset(&acts);
		rc = vrrp_fsm_reset_master(&g->fsm, now, &acts);
		if (rc == 0) {
			glog(e, g, 30, "Forcing to BACKUP (operator)");
			execute(e, g, &acts, now, 0);
		}
		rearm(e);
	}
	pthread_mutex_unlock(&e->lock);
	return rc;
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static int add_fd(struct vrrp_engine *e, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &ev);
}

struct vrrp_engine *vrrp_engine_start(const char *state_dir, vrrp_event_fn events, void *ctx, struct tdm_err *err)
{
	struct vrrp_engine *e = calloc(1, sizeof(*e));

	if (!e) {
		tdm_fail(err, -ENOMEM, "VRRP engine");
		return NULL;
	}
	snprintf(e->state_dir, sizeof(e->state_dir), "%s", state_dir ? state_dir : "");
	e->groups = calloc(VRRP_ENGINE_MAX_GROUPS, sizeof(*e->groups));
	e->events = events;
	e->ctx = ctx;
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	e->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	e->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	e->mon = mnl_socket_open(NETLINK_ROUTE);
	tdm_mutex_init_pi(&e->lock);
	if (!e->groups || e->epfd < 0 || e->evfd < 0 || e->tfd < 0 || !e->mon ||
	    mnl_socket_bind(e->mon, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 || add_fd(e, e->evfd, TAG_EVENT) ||
	    add_fd(e, e->tfd, TAG_TIMER) || add_fd(e, mnl_socket_get_fd(e->mon), TAG_LINKMON) || vrrp_nl_open(&e->nl, err)) {
		if (!err || !err->code)
			tdm_fail(err, -errno, "VRRP engine start");
		vrrp_engine_stop(e);
		return NULL;
	}
	if (tdm_thread_start_rt(&e->thread, "tandem-vrrp", engine_main, e, &e->realtime)) {
		tdm_fail(err, -EAGAIN, "VRRP engine thread");
		vrrp_engine_stop(e);
		return NULL;
	}
	return e;
}

bool vrrp_engine_realtime(const struct vrrp_engine *e)
{
	return e->realtime;
}

int vrrp_engine_reset_counters(struct vrrp_engine *e, const char *parent, uint8_t vrid)
{
	int n = 0;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];

		if (!g->used || (parent && strcmp(g->cfg.parent, parent) != 0) || (vrid && g->cfg.fsm.vrid != vrid))
			continue;
		memset(&g->fsm.counters, 0, sizeof(g->fsm.counters));
		memset(g->drops, 0, sizeof(g->drops));
		if (!vrid)
			memset(&e->ifaces[g->iface].c, 0, sizeof(e->ifaces[g->iface].c));
		n++;
	}
	pthread_mutex_unlock(&e->lock);
	return n;
}

static void shutdown_engine(struct vrrp_engine *e, bool release)
{
	uint64_t one = 1, now = mono_us();

	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; e->groups && i < VRRP_ENGINE_MAX_GROUPS; i++) {
		struct eng_group *g = &e->groups[i];

		if (!g->used)
			continue;
		if (release) {
			remove_group(e, g, now);
		} else {
			if (g->fsm.state == VRRP_STATE_MASTER)
				record_write(g, "MASTER"); /* fresh: the next engine resumes at once */
			if (g->record_fd >= 0)
				close(g->record_fd);
			iface_release(e, g->iface);
			g->used = false;
		}
	}
	e->stopping = true;
	pthread_mutex_unlock(&e->lock);
	if (e->thread) {
		if (write(e->evfd, &one, sizeof(one)) < 0)
			pthread_cancel(e->thread);
		pthread_join(e->thread, NULL);
	}
	if (e->mon)
		mnl_socket_close(e->mon);
	vrrp_nl_close(&e->nl);
	if (e->tfd >= 0)
		close(e->tfd);
	if (e->evfd >= 0)
		close(e->evfd);
	if (e->epfd >= 0)
		close(e->epfd);
	pthread_mutex_destroy(&e->lock);
	free(e->groups);
	free(e);
}

void vrrp_engine_stop(struct vrrp_engine *e)
{
	shutdown_engine(e, true);
}

void vrrp_engine_detach(struct vrrp_engine *e)
{
	shutdown_engine(e, false);
}
