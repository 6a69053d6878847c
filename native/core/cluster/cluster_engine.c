#include "cluster_engine.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tdm_thread.h"

/* How often the thread wakes at least: the bound on detection granularity (CL-21). */
#define TICK_MS 50
/* Extra heartbeats on state changes: at most one per this many ms (CL-10). */
#define CHANGE_GAP_MS 100
#define DSCP_CS6 0xc0

struct link {
	int fd;
	int ifindex;
	int64_t last_rx_ms;
	uint64_t late;
	int err;
};

struct monitor {
	int64_t last_reply_ms;
	int64_t sent_ms;
	uint16_t sent_seq;
	uint32_t rtt_us;
	uint8_t state;
};

struct cle_engine {
	pthread_t thread;
	pthread_mutex_t lock;
	int wake_fd;
	int icmp_fd;
	int stop;
	bool realtime; /* the thread runs SCHED_FIFO */
	cle_notify_fn notify;
	void *ctx;

	struct cle_config cfg;
	struct link links[CLE_MAX_LINKS];
	struct monitor monitors[CLE_MAX_MONITORS];
	int64_t started_ms;
	int in_init, left_init_alone;
	uint8_t local_state;
	uint16_t local_flags;
	int send_now;
	int64_t last_change_send_ms;
	uint64_t sequence;
	uint16_t ping_id, ping_seq;

	int peer_heard;
	int64_t peer_last_ms;
	struct chb_msg peer;
	struct chb_peer_seq peer_seq;
	struct cle_counters counters;
	/* What the last notification described, to notify only on change. */
	uint64_t seen_signature;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void close_link(struct link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/* One UDP socket per link: bound to the group and port on that device, member of the group there,
 * sending there with TTL 1, no loop, DSCP CS6 (CL-10, CL-11). */
static int open_link(const struct cle_config *c, const char *ifname, struct link *l)
{
	int one = 1, ttl = 1, loop = 0, tos = DSCP_CS6;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	l->ifindex = (int)if_nametoindex(ifname);
	if (fd < 0 || !l->ifindex)
		goto fail;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(c->port), .sin_addr = c->mcast };
	struct ip_mreqn mreq = { .imr_multiaddr = c->mcast, .imr_ifindex = l->ifindex };
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &loop, sizeof(loop)))
		goto fail;
	l->fd = fd;
	l->err = 0;
	return 0;
fail:
	l->err = errno ? errno : ENODEV;
	if (fd >= 0)
		close(fd);
	l->fd = -1;
	return -1;
}

static uint16_t reachable_count(const struct cle_engine *e, uint8_t *bitmap)
{
	uint16_t n = 0;

	if (bitmap)
		memset(bitmap, 0, CHB_BITMAP_MAX);
	for (int i = 0; i < e->cfg.n_monitors; i++) {
		/* Unknown counts as reachable: start-up never moves resources by itself (CL-42). */
		if (e->monitors[i].state != CLE_MON_UNREACHABLE) {
			n++;
			if (bitmap)
				bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
		}
	}
	return n;
}

/* One round: the same sequence on every link (CL-12). Called with the lock held. */
static void send_round(struct cle_engine *e, int64_t now)
{
	struct chb_msg m = { 0 };
	uint8_t buf[CHB_MAX_LEN];

	m.generation = e->cfg.generation;
	m.sequence = ++e->sequence;
	m.role = e->cfg.role;
	m.state = e->local_state;
	m.flags = e->local_flags;
	m.keepalive_ms = e->cfg.keepalive_ms;
	m.monitors_total = (uint16_t)e->cfg.n_monitors;
	m.monitors_reachable = reachable_count(e, m.bitmap);
	memcpy(m.digest, e->cfg.digest, sizeof(m.digest));
	snprintf(m.node, sizeof(m.node), "%s", e->cfg.node);
	snprintf(m.group, sizeof(m.group), "%s", e->cfg.group);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(e->cfg.port), .sin_addr = e->cfg.mcast };
	for (int i = 0; i < e->cfg.n_links; i++) {
		struct link *l = &e->links[i];
		if (l->fd < 0 && open_link(&e->cfg, e->cfg.links[i], l))
			continue;
		m.link = (uint8_t)i;
		int n = chb_encode(&m, e->cfg.key, e->cfg.key_len, buf, sizeof(buf));
		if (n < 0)
			continue;
		if (sendto(l->fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			l->err = errno;
			/* The device went away or changed: open it afresh next round (CL-11). */
			if (errno == ENODEV || errno == ENXIO || errno == EADDRNOTAVAIL || errno == ENETDOWN)
				close_link(l);
		} else {
			l->err = 0;
			e->counters.sent++;
		}
	}
	(void)now;
}

static uint16_t icmp_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Echo requests to every monitor; the kernel picks the egress interface's own address (CL-40). */
static void ping_monitors(struct cle_engine *e, int64_t now)
{
	if (e->icmp_fd < 0)
		return;
	e->ping_seq++;
	for (int i = 0; i < e->cfg.n_monitors; i++) {
		struct {
			struct icmphdr h;
			uint8_t pad[16];
		} pkt = { 0 };
		pkt.h.type = ICMP_ECHO;
		pkt.h.un.echo.id = htons(e->ping_id);
		pkt.h.un.echo.sequence = htons((uint16_t)(e->ping_seq * CLE_MAX_MONITORS + i));
		memcpy(pkt.pad, "tandem-cluster", 14);
		pkt.h.checksum = icmp_checksum(&pkt, sizeof(pkt));
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = e->cfg.monitors[i] };
		if (sendto(e->icmp_fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) >= 0) {
			e->monitors[i].sent_ms = now;
			e->monitors[i].sent_seq = ntohs(pkt.h.un.echo.sequence);
		}
	}
}

static void read_icmp(struct cle_engine *e, int64_t now)
{
	uint8_t buf[256];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(e->icmp_fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl)) > 0) {
		fl = sizeof(from);
		const struct iphdr *ip = (const struct iphdr *)buf;
		size_t hl = (size_t)ip->ihl * 4;
		if ((size_t)n < hl + sizeof(struct icmphdr))
			continue;
		const struct icmphdr *h = (const struct icmphdr *)(buf + hl);
		if (h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != e->ping_id)
			continue;
		for (int i = 0; i < e->cfg.n_monitors; i++) {
			if (e->cfg.monitors[i].s_addr != from.sin_addr.s_addr)
				continue;
			struct monitor *m = &e->monitors[i];
			m->last_reply_ms = now;
			if (ntohs(h->un.echo.sequence) == m->sent_seq)
				m->rtt_us = (uint32_t)(now_us() - m->sent_ms * 1000);
		}
	}
}

/* A datagram on link i: authenticate, check who sent it, drop replays, then take it (CL-12…CL-14). */
static void take_heartbeat(struct cle_engine *e, int i, const uint8_t *buf, size_t len, int64_t now)
{
	struct chb_msg m;
	enum chb_verdict v = chb_decode(buf, len, e->cfg.key, e->cfg.key_len, &m);

	if (v == CHB_BAD_MAC) {
		e->counters.auth_failures++;
		return;
	}
	if (v != CHB_OK) {
		e->counters.malformed++;
		return;
	}
	if (strcmp(m.group, e->cfg.group) || strcmp(m.node, e->cfg.peer)) {
		e->counters.foreign++;
		return;
	}
	enum chb_replay r = chb_replay_check(&e->peer_seq, m.generation, m.sequence);
	if (r == CHB_REPLAY) {
		e->counters.replays++;
		return;
	}
	struct link *l = &e->links[i];
	/* Late: more than 2 × the sender's keepalive (capped at dead-interval) since the last one. */
	int64_t late_after = 2 * (int64_t)m.keepalive_ms;
	if (late_after > e->cfg.dead_ms)
		late_after = e->cfg.dead_ms;
	if (l->last_rx_ms && now - l->last_rx_ms > late_after) {
		l->late++;
		if (r == CHB_FRESH)
			e->counters.late++;
	}
	l->last_rx_ms = now;
	e->counters.received++;
	if (r == CHB_FRESH) {
		e->peer = m;
		e->peer_heard = 1;
		e->peer_last_ms = now;
	}
}

static void read_link(struct cle_engine *e, int i, int64_t now)
{
	uint8_t buf[CHB_MAX_LEN + 64];
	ssize_t n;

	while ((n = recv(e->links[i].fd, buf, sizeof(buf), 0)) >= 0)
		take_heartbeat(e, i, buf, (size_t)n, now);
}

static int link_up(const struct cle_engine *e, int i, int64_t now)
{
	const struct link *l = &e->links[i];
	return l->last_rx_ms && now - l->last_rx_ms < e->cfg.dead_ms;
}

/* Liveness, monitor states and the end of the start-up wait; a digest of what a decision depends
 * on, so the daemon is told only when that changed. Lock held. */
static uint64_t evaluate(struct cle_engine *e, int64_t now)
{
	uint64_t sig = 1469598103934665603ull;
#define MIX(x) (sig = (sig ^ (uint64_t)(x)) * 1099511628211ull)
	int alive = 0;

	for (int i = 0; i < e->cfg.n_links; i++) {
		int up = link_up(e, i, now);
		alive |= up;
		MIX(up);
	}
	for (int i = 0; i < e->cfg.n_monitors; i++) {
		struct monitor *m = &e->monitors[i];
		if (m->last_reply_ms && now - m->last_reply_ms < e->cfg.monitor_dead_ms)
			m->state = CLE_MON_REACHABLE;
		else if (now - (m->last_reply_ms ? m->last_reply_ms : e->started_ms) >= e->cfg.monitor_dead_ms)
			m->state = CLE_MON_UNREACHABLE;
		MIX(m->state);
	}
	if (e->in_init && (alive || now - e->started_ms >= e->cfg.init_dead_ms)) {
		e->in_init = 0;
		e->left_init_alone = !alive;
	}
	MIX(e->in_init);
	MIX(alive);
	MIX(e->peer.state);
	MIX(e->peer.flags);
	MIX(e->peer.monitors_reachable);
	MIX(e->peer.generation);
	MIX(e->local_state);
	return sig;
#undef MIX
}

static void *run(void *arg)
{
	struct cle_engine *e = arg;
	int64_t next_send = 0;

	pthread_mutex_lock(&e->lock);
	while (!e->stop) {
		int64_t now = now_ms();
		if (now >= next_send) {
			send_round(e, now);
			ping_monitors(e, now);
			next_send = now + e->cfg.keepalive_ms;
			e->last_change_send_ms = now;
			e->send_now = 0;
		} else if (e->send_now && now - e->last_change_send_ms >= CHANGE_GAP_MS) {
			send_round(e, now);
			e->last_change_send_ms = now;
			e->send_now = 0;
		}
		uint64_t sig = evaluate(e, now);
		int changed = sig != e->seen_signature;
		e->seen_signature = sig;

		struct pollfd fds[CLE_MAX_LINKS + 2];
		int nfds = 0, link_of[CLE_MAX_LINKS + 2];
		fds[nfds] = (struct pollfd){ .fd = e->wake_fd, .events = POLLIN };
		link_of[nfds++] = -1;
		if (e->icmp_fd >= 0) {
			fds[nfds] = (struct pollfd){ .fd = e->icmp_fd, .events = POLLIN };
			link_of[nfds++] = -2;
		}
		for (int i = 0; i < e->cfg.n_links; i++) {
			if (e->links[i].fd < 0)
				continue;
			fds[nfds] = (struct pollfd){ .fd = e->links[i].fd, .events = POLLIN };
			link_of[nfds++] = i;
		}
		int64_t wait = next_send - now;
		if (wait > TICK_MS)
			wait = TICK_MS;
		if (wait < 0)
			wait = 0;
		pthread_mutex_unlock(&e->lock);
		if (changed && e->notify)
			e->notify(e->ctx);
		int n = poll(fds, (nfds_t)nfds, (int)wait);
		pthread_mutex_lock(&e->lock);
		if (n <= 0)
			continue;
		now = now_ms();
		for (int k = 0; k < nfds; k++) {
			if (!(fds[k].revents & POLLIN))
				continue;
			if (link_of[k] == -1) {
				uint64_t v;
				if (read(e->wake_fd, &v, sizeof(v)) < 0) {
					/* nothing to drain */
				}
			} else if (link_of[k] == -2) {
				read_icmp(e, now);
			} else if (e->links[link_of[k]].fd == fds[k].fd) {
				read_link(e, link_of[k], now);
			}
		}
	}
	/* Last words: the state the daemon left us in (a release announces standby, CL-2). */
	send_round(e, now_ms());
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

static void wake(struct cle_engine *e)
{
	uint64_t one = 1;
	if (write(e->wake_fd, &one, sizeof(one)) < 0) {
		/* the counter is saturated: the thread is awake anyway */
	}
}

static int check_config(const struct cle_config *c, struct tdm_err *err)
{
	if (c->n_links < 0 || c->n_links > CLE_MAX_LINKS || c->n_monitors < 0 || c->n_monitors > CLE_MAX_MONITORS ||
	    c->key_len > CLE_KEY_MAX || !c->keepalive_ms || !c->dead_ms || !c->node[0] || !c->peer[0] || !c->group[0])
		return tdm_fail(err, -EINVAL, "cluster engine: invalid configuration");
	return 0;
}

static void open_links(struct cle_engine *e)
{
	for (int i = 0; i < CLE_MAX_LINKS; i++)
		e->links[i] = (struct link){ .fd = -1 };
	for (int i = 0; i < e->cfg.n_links; i++)
		open_link(&e->cfg, e->cfg.links[i], &e->links[i]);
}

struct cle_engine *cle_start(const struct cle_config *c, cle_notify_fn notify, void *ctx, struct tdm_err *err)
{
	if (check_config(c, err))
		return NULL;
	struct cle_engine *e = calloc(1, sizeof(*e));
	if (!e) {
		tdm_fail(err, -ENOMEM, "cluster engine: out of memory");
		return NULL;
	}
	e->cfg = *c;
	e->notify = notify;
	e->ctx = ctx;
	e->started_ms = now_ms();
	e->in_init = !c->skip_init;
	e->local_state = c->skip_init ? CHB_STATE_ACTIVE : CHB_STATE_INIT;
	e->ping_id = (uint16_t)(getpid() ^ (uintptr_t)e);
	e->seen_signature = 0;
	tdm_mutex_init_pi(&e->lock);
	e->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e->icmp_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (e->wake_fd < 0 || (c->n_monitors && e->icmp_fd < 0)) {
		tdm_fail(err, -errno, "cluster engine: %s", strerror(errno));
		goto fail;
	}
	open_links(e);
	if (tdm_thread_start_rt(&e->thread, "tandem-cluster", run, e, &e->realtime)) {
		tdm_fail(err, -EAGAIN, "cluster engine: cannot start its thread");
		goto fail;
	}
	return e;
fail:
	for (int i = 0; i < c->n_links; i++)
		close_link(&e->links[i]);
	if (e->wake_fd >= 0)
		close(e->wake_fd);
	if (e->icmp_fd >= 0)
		close(e->icmp_fd);
	pthread_mutex_destroy(&e->lock);
	free(e);
	return NULL;
}

int cle_reconfigure(struct cle_engine *e, const struct cle_config *c, struct tdm_err *err)
{
	if (check_config(c, err))
		return -1;
	pthread_mutex_lock(&e->lock);
	struct link old_links[CLE_MAX_LINKS];
	struct monitor old_mon[CLE_MAX_MONITORS];
	struct cle_config old = e->cfg;
	memcpy(old_links, e->links, sizeof(old_links));
	memcpy(old_mon, e->monitors, sizeof(old_mon));
	uint64_t generation = e->cfg.generation;
	e->cfg = *c;
	e->cfg.generation = generation;
	/* Links and monitors that stay keep their history (CL-3); new monitors start Unknown. */
	for (int i = 0; i < c->n_links; i++) {
		e->links[i] = (struct link){ .fd = -1 };
		for (int j = 0; j < old.n_links; j++)
			if (!strcmp(old.links[j], c->links[i]) && old_links[j].fd >= 0) {
				e->links[i] = old_links[j];
				old_links[j].fd = -1;
			}
		if (e->links[i].fd < 0)
			open_link(&e->cfg, c->links[i], &e->links[i]);
	}
	for (int j = 0; j < old.n_links; j++)
		close_link(&old_links[j]);
	for (int i = 0; i < c->n_monitors; i++) {
		e->monitors[i] = (struct monitor){ 0 };
		for (int j = 0; j < old.n_monitors; j++)
			if (old.monitors[j].s_addr == c->monitors[i].s_addr)
				e->monitors[i] = old_mon[j];
	}
	if (c->n_monitors && e->icmp_fd < 0)
		e->icmp_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	e->send_now = 1;
	pthread_mutex_unlock(&e->lock);
	wake(e);
	return 0;
}

void cle_set_local(struct cle_engine *e, uint8_t state, uint16_t flags)
{
	pthread_mutex_lock(&e->lock);
	if (e->local_state != state || e->local_flags != flags) {
		e->local_state = state;
		e->local_flags = flags;
		e->send_now = 1;
	}
	pthread_mutex_unlock(&e->lock);
	wake(e);
}

void cle_status(struct cle_engine *e, struct cle_status *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&e->lock);
	int64_t now = now_ms();
	out->now_ms = now;
	out->started_ms = e->started_ms;
	out->realtime = e->realtime;
	out->in_init = e->in_init;
	out->left_init_alone = e->left_init_alone;
	out->local_state = e->local_state;
	out->local_flags = e->local_flags;
	out->peer_heard = e->peer_heard;
	out->peer_last_ms = e->peer_last_ms;
	out->peer = e->peer;
	out->n_links = e->cfg.n_links;
	for (int i = 0; i < e->cfg.n_links; i++) {
		out->links[i].up = link_up(e, i, now);
		out->links[i].last_rx_ms = e->links[i].last_rx_ms;
		out->links[i].late = e->links[i].late;
		out->links[i].socket_error = e->links[i].err;
		out->peer_alive |= out->links[i].up;
	}
	out->n_monitors = e->cfg.n_monitors;
	for (int i = 0; i < e->cfg.n_monitors; i++) {
		out->monitors[i].state = e->monitors[i].state;
		out->monitors[i].last_reply_ms = e->monitors[i].last_reply_ms;
		out->monitors[i].rtt_us = e->monitors[i].rtt_us;
	}
	out->monitors_reachable = reachable_count(e, NULL);
	out->counters = e->counters;
	pthread_mutex_unlock(&e->lock);
}

void cle_stop(struct cle_engine *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->stop = 1;
	pthread_mutex_unlock(&e->lock);
	wake(e);
	pthread_join(e->thread, NULL);
	for (int i = 0; i < e->cfg.n_links; i++)
		close_link(&e->links[i]);
	close(e->wake_fd);
	if (e->icmp_fd >= 0)
		close(e->icmp_fd);
	pthread_mutex_destroy(&e->lock);
	free(e);
}
