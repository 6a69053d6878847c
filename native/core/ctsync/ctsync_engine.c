#include "ctsync_engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libnfnetlink/libnfnetlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ctsync_auth.h"
#include "ctsync_commit.h"
#include "ctsync_exp_cache.h"
#include "ctsync_nfct.h"

#define BUCKETS 16384
#define DGRAM_MAX 1400
#define ACK_WINDOW 300
#define RESEND_SLOTS 4096
#define RESEND_SLOT_BYTES 512
#define PEER_SEEN_MS 3000

struct node {
	struct cts_entry e;
	struct node *next;
};

struct cache {
	struct node *b[BUCKETS];
	uint64_t count;
};

struct resend_slot {
	uint32_t seq;
	uint16_t len;
	uint8_t used;
	uint8_t msg[RESEND_SLOT_BYTES];
};

struct cts_engine {
	struct cts_engine_config cfg;
	pthread_t thread;
	pthread_mutex_t lock; /* caches and stats: the JS thread reads them */
	int stop_fd, timer_fd, tx_fd, rx_fd;
	struct nfct_handle *events;
	struct nfct_handle *exp_events; /* NULL unless expectations are synced */
	struct cache internal, external;
	struct cts_exp_cache internal_exp, external_exp;
	struct cts_stats stats;
	/* FTFW state (engine thread only) */
	uint32_t tx_seq;
	int say_hello, reply_hello_back;
	uint8_t dgram[DGRAM_MAX + CTS_AUTH_TRAILER];
	size_t dgram_len;
	int sent_this_tick;
	int rx_synced;
	uint32_t rx_next, rx_acked, rx_since_ack;
	uint64_t last_rx_ms;
	struct resend_slot *resend;
	int auth_on; /* a pre-shared secret is configured: seal and check every datagram */
	struct cts_auth auth;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- caches ------------------------------------------------------------------------------ */

static int same_key(const struct cts_entry *a, const struct cts_entry *b)
{
	return a->family == b->family && a->l4proto == b->l4proto && !memcmp(a->src, b->src, 16) &&
	       !memcmp(a->dst, b->dst, 16) && a->sport == b->sport && a->dport == b->dport && a->icmp_id == b->icmp_id &&
	       a->zone == b->zone;
}

static uint32_t key_hash(const struct cts_entry *e)
{
	uint32_t h = 2166136261u;
	const uint8_t *parts[] = { e->src, e->dst };
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 16; i++)
			h = (h ^ parts[p][i]) * 16777619u;
	h = (h ^ e->l4proto) * 16777619u;
	h = (h ^ e->sport) * 16777619u;
	h = (h ^ e->dport) * 16777619u;
	return (h ^ e->icmp_id) % BUCKETS;
}

static void cache_put(struct cache *c, const struct cts_entry *e)
{
	struct node **slot = &c->b[key_hash(e)];
	for (struct node *n = *slot; n; n = n->next) {
		if (same_key(&n->e, e)) {
			/* An update carries only what changed: keep what it leaves out. */
			uint64_t present = n->e.present | e->present;
			n->e = *e;
			n->e.present = present;
			return;
		}
	}
	struct node *n = malloc(sizeof(*n));
	if (!n)
		return;
	n->e = *e;
	n->next = *slot;
	*slot = n;
	c->count++;
}

static void cache_del(struct cache *c, const struct cts_entry *e)
{
	for (struct node **p = &c->b[key_hash(e)]; *p; p = &(*p)->next) {
		if (same_key(&(*p)->e, e)) {
			struct node *gone = *p;
			*p = gone->next;
			free(gone);
			c->count--;
			return;
		}
	}
}

static void cache_clear(struct cache *c)
{
	for (size_t i = 0; i < BUCKETS; i++) {
		while (c->b[i]) {
			struct node *n = c->b[i];
			c->b[i] = n->next;
			free(n);
		}
	}
	c->count = 0;
}

/* ---- sending ----------------------------------------------------------------------------- */

static void flush(struct cts_engine *eng)
{
	if (!eng->dgram_len)
		return;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(eng->cfg.port), .sin_addr = eng->cfg.group };
	size_t len = eng->auth_on ? cts_auth_seal(&eng->auth, eng->dgram, eng->dgram_len, sizeof(eng->dgram))
				  : eng->dgram_len;
	ssize_t n = len ? sendto(eng->tx_fd, eng->dgram, len, 0, (struct sockaddr *)&to, sizeof(to)) : -1;
	pthread_mutex_lock(&eng->lock);
	if (n < 0) {
		eng->stats.tx_errors++;
	} else {
		eng->stats.tx_bytes += (uint64_t)n;
		eng->stats.tx_datagrams++;
	}
	pthread_mutex_unlock(&eng->lock);
	eng->dgram_len = 0;
	eng->sent_this_tick = 1;
}

/* Appends a built message to the datagram being filled, sending it first when full. */
static void queue(struct cts_engine *eng, const uint8_t *msg, size_t len)
{
	if (eng->dgram_len + len > DGRAM_MAX)
		flush(eng);
	memcpy(eng->dgram + eng->dgram_len, msg, len);
	eng->dgram_len += len;
	pthread_mutex_lock(&eng->lock);
	eng->stats.tx_msgs++;
	pthread_mutex_unlock(&eng->lock);
}

static uint8_t hello_flags(struct cts_engine *eng)
{
	uint8_t f = eng->say_hello ? CTS_F_HELLO : 0;
	if (eng->reply_hello_back) {
		f |= CTS_F_HELLO_BACK;
		eng->reply_hello_back = 0;
	}
	return f;
}

/* Keeps a sent message for resending on a NACK, and queues it. */
static void send_built(struct cts_engine *eng, const uint8_t *msg, size_t len, uint32_t seq)
{
	struct resend_slot *s = &eng->resend[seq % RESEND_SLOTS];
	s->seq = seq;
	s->len = (uint16_t)len;
	s->used = 1;
	memcpy(s->msg, msg, len);
	queue(eng, msg, len);
}

static void send_entry(struct cts_engine *eng, enum cts_type type, const struct cts_entry *e)
{
	uint8_t msg[RESEND_SLOT_BYTES];
	uint32_t seq = eng->tx_seq++;
	size_t len = cts_build_entry(msg, sizeof(msg), type, hello_flags(eng), seq, e);
	if (len)
		send_built(eng, msg, len, seq);
}

static void send_exp(struct cts_engine *eng, enum cts_type type, const struct cts_exp *x)
{
	uint8_t msg[RESEND_SLOT_BYTES];
	uint32_t seq = eng->tx_seq++;
	size_t len = cts_build_exp(msg, sizeof(msg), type, hello_flags(eng), seq, x);
	if (len)
		send_built(eng, msg, len, seq);
}

static void send_ctl(struct cts_engine *eng, uint8_t flags, uint32_t from, uint32_t to)
{
	uint8_t msg[CTS_ACK_HDR_LEN];
	size_t len = cts_build_ctl(msg, sizeof(msg), flags | hello_flags(eng), eng->tx_seq++, from, to);
	queue(eng, msg, len);
}

static void send_ack(struct cts_engine *eng)
{
	if (!eng->rx_synced || eng->rx_since_ack == 0)
		return;
	send_ctl(eng, CTS_F_ACK, eng->rx_acked, eng->rx_next - 1);
	eng->rx_acked = eng->rx_next;
	eng->rx_since_ack = 0;
	pthread_mutex_lock(&eng->lock);
	eng->stats.acks_sent++;
	pthread_mutex_unlock(&eng->lock);
}

/* ---- kernel events ----------------------------------------------------------------------- */

#define CLUSTER_HEARTBEAT_PORT 694

/* CS-13: never synced, whatever the configuration — IPv6, loopback, link-local multicast (VRRP
 * adverts and the like, never forwarded), the sync channel itself and cluster heartbeats. */
static int control_flow(const struct cts_engine *eng, const struct cts_entry *e)
{
	if (e->family != 4)
		return 1;
	uint32_t s, d;
	memcpy(&s, e->src, 4);
	memcpy(&d, e->dst, 4);
	s = ntohl(s);
	d = ntohl(d);
	if (s >> 24 == 127 || d >> 24 == 127 || (d & 0xffffff00u) == 0xe0000000u)
		return 1;
	return e->l4proto == IPPROTO_UDP && CTS_HAS(e, CTS_A_PORT) &&
	       ((htonl(d) == eng->cfg.group.s_addr && e->dport == eng->cfg.port) ||
		(IN_MULTICAST(d) && e->dport == CLUSTER_HEARTBEAT_PORT));
}

static int accepted(const struct cts_engine *eng, const struct cts_entry *e)
{
	if (control_flow(eng, e))
		return 0;
	uint32_t m = eng->cfg.accept_mask;
	if (m) {
		uint32_t bit = e->l4proto == IPPROTO_TCP    ? CTS_ACCEPT_TCP
			       : e->l4proto == IPPROTO_UDP  ? CTS_ACCEPT_UDP
			       : e->l4proto == IPPROTO_ICMP ? CTS_ACCEPT_ICMP
			       : e->l4proto == IPPROTO_SCTP ? CTS_ACCEPT_SCTP
							    : 0;
		if (!(m & bit))
			return 0;
	}
	/* CS-12: the original source, or the reply source (the real destination, after any DNAT). */
	uint32_t s, r;
	memcpy(&s, e->src, 4);
	memcpy(&r, CTS_HAS(e, CTS_A_DNAT_IPV4) ? e->dnat_ipv4 : e->dst, 4);
	for (uint32_t i = 0; i < eng->cfg.n_ignore; i++) {
		uint32_t a = eng->cfg.ignore[i].addr.s_addr, mk = eng->cfg.ignore[i].mask.s_addr;
		if ((s & mk) == (a & mk) || (r & mk) == (a & mk))
			return 0;
	}
	return 1;
}

static int on_event(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct cts_engine *eng = data;
	struct cts_entry e;
	if (cts_from_nfct(ct, &e) || !accepted(eng, &e)) {
		pthread_mutex_lock(&eng->lock);
		eng->stats.events_filtered++;
		pthread_mutex_unlock(&eng->lock);
		return NFCT_CB_CONTINUE;
	}
	pthread_mutex_lock(&eng->lock);
	if (type == NFCT_T_DESTROY) {
		cache_del(&eng->internal, &e);
		eng->stats.events_destroy++;
		/* Traffic of the connections that ended (kernel accounting, nf_conntrack_acct). */
		eng->stats.traffic_bytes += nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES) +
					    nfct_get_attr_u64(ct, ATTR_REPL_COUNTER_BYTES);
		eng->stats.traffic_packets += nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS) +
					      nfct_get_attr_u64(ct, ATTR_REPL_COUNTER_PACKETS);
	} else {
		cache_put(&eng->internal, &e);
		if (type == NFCT_T_NEW)
			eng->stats.events_new++;
		else
			eng->stats.events_update++;
	}
	pthread_mutex_unlock(&eng->lock);
	send_entry(eng, type == NFCT_T_DESTROY ? CTS_CT_DEL : type == NFCT_T_NEW ? CTS_CT_NEW : CTS_CT_UPD, &e);
	return NFCT_CB_CONTINUE;
}

/* An expectation of a configured helper whose master connection passes the filters. */
static int exp_accepted(const struct cts_engine *eng, const struct cts_exp *x)
{
	int helper = 0;
	for (uint32_t i = 0; i < eng->cfg.n_expect_helpers && !helper; i++)
		helper = strncmp(x->helper, eng->cfg.expect_helpers[i], sizeof(eng->cfg.expect_helpers[i])) == 0;
	struct cts_entry master = { .family = x->master.family, .l4proto = x->master.l4proto };
	memcpy(master.src, x->master.src, sizeof(master.src));
	memcpy(master.dst, x->master.dst, sizeof(master.dst));
	return helper && accepted(eng, &master);
}

static int on_exp_event(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	struct cts_engine *eng = data;
	struct cts_exp x;
	if (cts_exp_from_nfexp(exp, &x) || !exp_accepted(eng, &x)) {
		pthread_mutex_lock(&eng->lock);
		eng->stats.exp_events_filtered++;
		pthread_mutex_unlock(&eng->lock);
		return NFCT_CB_CONTINUE;
	}
	pthread_mutex_lock(&eng->lock);
	if (type == NFCT_T_DESTROY) {
		cts_exp_cache_del(&eng->internal_exp, &x);
		eng->stats.exp_events_destroy++;
	} else {
		cts_exp_cache_put(&eng->internal_exp, &x);
		eng->stats.exp_events_new++;
	}
	pthread_mutex_unlock(&eng->lock);
	send_exp(eng, type == NFCT_T_DESTROY ? CTS_EXP_DEL : CTS_EXP_NEW, &x);
	return NFCT_CB_CONTINUE;
}

/* Sends the whole internal cache (a peer asked for RESYNC, or we just started). */
static void send_all(struct cts_engine *eng)
{
	for (size_t i = 0; i < BUCKETS; i++) {
		pthread_mutex_lock(&eng->lock);
		struct cts_entry batch[64];
		int n = 0;
		for (struct node *x = eng->internal.b[i]; x && n < 64; x = x->next)
			batch[n++] = x->e;
		pthread_mutex_unlock(&eng->lock);
		for (int k = 0; k < n; k++)
			send_entry(eng, CTS_CT_UPD, &batch[k]);
	}
	pthread_mutex_lock(&eng->lock);
	size_t n = 0;
	struct cts_exp *exps = cts_exp_cache_copy(&eng->internal_exp, &n);
	pthread_mutex_unlock(&eng->lock);
	for (size_t k = 0; k < n; k++)
		send_exp(eng, CTS_EXP_NEW, &exps[k]);
	free(exps);
}

static int on_dump(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	struct cts_engine *eng = data;
	struct cts_entry e;
	if (!cts_from_nfct(ct, &e) && accepted(eng, &e)) {
		pthread_mutex_lock(&eng->lock);
		cache_put(&eng->internal, &e);
		pthread_mutex_unlock(&eng->lock);
	}
	return NFCT_CB_CONTINUE;
}

static int on_exp_dump(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	(void)type;
	struct cts_engine *eng = data;
	struct cts_exp x;
	if (!cts_exp_from_nfexp(exp, &x) && exp_accepted(eng, &x)) {
		pthread_mutex_lock(&eng->lock);
		cts_exp_cache_put(&eng->internal_exp, &x);
		pthread_mutex_unlock(&eng->lock);
	}
	return NFCT_CB_CONTINUE;
}

/* Reads the kernel's expectations into the internal expectation cache. */
static void dump_kernel_exp(struct cts_engine *eng)
{
	struct nfct_handle *h = eng->exp_events ? nfct_open(EXPECT, 0) : NULL;
	if (!h)
		return;
	nfexp_callback_register(h, NFCT_T_ALL, on_exp_dump, eng);
	uint32_t family = AF_INET;
	nfexp_query(h, NFCT_Q_DUMP, &family);
	nfct_close(h);
}

/* Reads the kernel table into the internal cache (start, and after an event overrun). */
static void dump_kernel(struct cts_engine *eng)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	if (!h)
		return;
	nfct_callback_register(h, NFCT_T_ALL, on_dump, eng);
	uint32_t family = AF_INET;
	nfct_query(h, NFCT_Q_DUMP, &family);
	nfct_close(h);
}

/* ---- standby purge (CS-44) --------------------------------------------------------------- */

struct purge {
	const struct cts_engine *eng;
	const struct in_addr *keep;
	size_t n_keep;
	struct nf_conntrack **doomed;
	size_t n, cap;
};

/* A connection from or to this router itself (a management session): its original or reply
 * source is one of the router's addresses. */
static int local_session(const struct purge *p, const struct nf_conntrack *ct)
{
	uint32_t osrc = nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC), rsrc = nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC);
	for (size_t i = 0; i < p->n_keep; i++)
		if (p->keep[i].s_addr == osrc || p->keep[i].s_addr == rsrc)
			return 1;
	return 0;
}

static int on_purge_dump(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	struct purge *p = data;
	struct cts_entry e;
	if (cts_from_nfct(ct, &e) || !accepted(p->eng, &e) || local_session(p, ct))
		return NFCT_CB_CONTINUE;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		struct nf_conntrack **grown = realloc(p->doomed, cap * sizeof(*grown));
		if (!grown)
			return NFCT_CB_CONTINUE;
		p->doomed = grown;
		p->cap = cap;
	}
	struct nf_conntrack *copy = nfct_clone(ct);
	if (copy)
		p->doomed[p->n++] = copy;
	return NFCT_CB_CONTINUE;
}

int cts_engine_purge(struct cts_engine *eng, const struct in_addr *keep, size_t n_keep, struct tdm_err *err)
{
	struct purge p = { .eng = eng, .keep = keep, .n_keep = n_keep };
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	uint32_t family = AF_INET;
	int deleted = 0;

	if (!h)
		return tdm_fail(err, -errno, "conntrack purge: %s", strerror(errno));
	nfct_callback_register(h, NFCT_T_ALL, on_purge_dump, &p);
	if (nfct_query(h, NFCT_Q_DUMP, &family) < 0) {
		int code = -errno;
		nfct_close(h);
		free(p.doomed);
		return tdm_fail(err, code, "conntrack purge: dump: %s", strerror(-code));
	}
	/* Deleted after the dump: a dump cannot be interleaved with requests on its socket. An entry
	 * that ended meanwhile (ENOENT) is simply gone. */
	nfct_callback_unregister(h);
	for (size_t i = 0; i < p.n; i++) {
		if (nfct_query(h, NFCT_Q_DESTROY, p.doomed[i]) == 0)
			deleted++;
		nfct_destroy(p.doomed[i]);
	}
	nfct_close(h);
	free(p.doomed);
	return deleted;
}

/* ---- receiving --------------------------------------------------------------------------- */

static void resend_range(struct cts_engine *eng, uint32_t from, uint32_t to)
{
	for (uint32_t s = from; (int32_t)(to - s) >= 0 && to - s < RESEND_SLOTS; s++) {
		struct resend_slot *r = &eng->resend[s % RESEND_SLOTS];
		if (!r->used || r->seq != s)
			continue;
		queue(eng, r->msg, r->len);
		pthread_mutex_lock(&eng->lock);
		eng->stats.resent++;
		pthread_mutex_unlock(&eng->lock);
	}
}

static void on_message(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx)
{
	struct cts_engine *eng = ctx;
	eng->last_rx_ms = now_ms();
	if (h->flags & CTS_F_HELLO) {
		/* The peer (re)started: answer, and take its sequence from here. */
		eng->reply_hello_back = 1;
		eng->rx_synced = 0;
	}
	if (h->flags & CTS_F_HELLO_BACK)
		eng->say_hello = 0;
	if (h->type == CTS_CTL) {
		if (h->flags & CTS_F_NACK)
			resend_range(eng, h->from, h->to);
		if (h->flags & CTS_F_RESYNC)
			send_all(eng);
		/* Control messages do not take part in the data sequence. */
		return;
	}
	if (!eng->rx_synced) {
		eng->rx_synced = 1;
		eng->rx_next = h->seq;
		eng->rx_acked = h->seq;
	}
	if ((int32_t)(h->seq - eng->rx_next) > 0) {
		/* A gap: ask for what is missing, and go on. */
		pthread_mutex_lock(&eng->lock);
		eng->stats.lost += h->seq - eng->rx_next;
		eng->stats.nacks_sent++;
		pthread_mutex_unlock(&eng->lock);
		send_ctl(eng, CTS_F_NACK, eng->rx_next, h->seq - 1);
	}
	if ((int32_t)(h->seq - eng->rx_next) >= 0)
		eng->rx_next = h->seq + 1;
	eng->rx_since_ack++;
	if (h->type <= CTS_CT_DEL) {
		struct cts_entry e;
		int rc = cts_entry_decode(payload, plen, &e);
		pthread_mutex_lock(&eng->lock);
		if (rc != CTS_OK)
			eng->stats.malformed++;
		else if (h->type == CTS_CT_DEL) {
			cache_del(&eng->external, &e);
			eng->stats.external_destroyed++;
		} else {
			cache_put(&eng->external, &e);
			if (h->type == CTS_CT_NEW)
				eng->stats.external_created++;
			else
				eng->stats.external_updated++;
		}
		pthread_mutex_unlock(&eng->lock);
	} else {
		struct cts_exp x;
		int rc = cts_exp_decode(payload, plen, &x);
		pthread_mutex_lock(&eng->lock);
		if (rc != CTS_OK)
			eng->stats.malformed++;
		else if (!eng->exp_events)
			; /* expectations are not synced here: the peer's are of no use */
		else if (h->type == CTS_EXP_DEL) {
			cts_exp_cache_del(&eng->external_exp, &x);
			eng->stats.exp_external_destroyed++;
		} else {
			cts_exp_cache_put(&eng->external_exp, &x);
			eng->stats.exp_external_created++;
		}
		pthread_mutex_unlock(&eng->lock);
	}
	if (eng->rx_since_ack >= ACK_WINDOW)
		send_ack(eng);
}

static void receive(struct cts_engine *eng)
{
	uint8_t buf[65536];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	for (;;) {
		ssize_t n = recvfrom(eng->rx_fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				pthread_mutex_lock(&eng->lock);
				eng->stats.rx_errors++;
				pthread_mutex_unlock(&eng->lock);
			}
			return;
		}
		if (from.sin_addr.s_addr == eng->cfg.local.s_addr)
			continue; /* our own datagram */
		size_t payload = (size_t)n;
		if (eng->auth_on) {
			enum cts_auth_verdict v = cts_auth_open(&eng->auth, from.sin_addr.s_addr, buf, (size_t)n, &payload);
			if (v != CTS_AUTH_OK) {
				pthread_mutex_lock(&eng->lock);
				eng->stats.rx_bytes += (uint64_t)n;
				if (v == CTS_AUTH_MISSING)
					eng->stats.auth_missing++;
				else if (v == CTS_AUTH_BAD)
					eng->stats.auth_bad++;
				else
					eng->stats.auth_replay++;
				pthread_mutex_unlock(&eng->lock);
				continue;
			}
		}
		struct cts_rx_stats st = { 0 };
		cts_datagram_walk(buf, payload, on_message, eng, &st);
		pthread_mutex_lock(&eng->lock);
		eng->stats.rx_msgs += st.messages;
		eng->stats.malformed += st.malformed;
		eng->stats.rx_bytes += (uint64_t)n;
		eng->stats.rx_datagrams++;
		pthread_mutex_unlock(&eng->lock);
	}
}

/* ---- the thread -------------------------------------------------------------------------- */

static void *run(void *arg)
{
	struct cts_engine *eng = arg;
	dump_kernel(eng);
	dump_kernel_exp(eng);
	send_all(eng);
	if (eng->cfg.resync_at_start)
		send_ctl(eng, CTS_F_RESYNC, 0, 0);
	flush(eng);
	struct pollfd fds[5] = {
		{ .fd = eng->stop_fd, .events = POLLIN },
		{ .fd = nfct_fd(eng->events), .events = POLLIN },
		{ .fd = eng->rx_fd, .events = POLLIN },
		{ .fd = eng->timer_fd, .events = POLLIN },
		{ .fd = eng->exp_events ? nfct_fd(eng->exp_events) : -1, .events = POLLIN },
	};
	for (;;) {
		if (poll(fds, 5, -1) < 0 && errno != EINTR)
			break;
		if (fds[0].revents)
			break;
		if (fds[1].revents) {
			/* Let a burst gather: one wake-up then drains many events (the lag goal is 10 ms). */
			struct timespec gather = { 0, 500000 };
			nanosleep(&gather, NULL);
			if (nfct_catch(eng->events) < 0 && errno == ENOBUFS) {
				/* Events were lost: read the table again and tell the peers all of it. */
				pthread_mutex_lock(&eng->lock);
				eng->stats.event_overruns++;
				pthread_mutex_unlock(&eng->lock);
				dump_kernel(eng);
				send_all(eng);
			}
		}
		if (fds[4].revents && nfct_catch(eng->exp_events) < 0 && errno == ENOBUFS) {
			pthread_mutex_lock(&eng->lock);
			eng->stats.event_overruns++;
			pthread_mutex_unlock(&eng->lock);
			dump_kernel_exp(eng);
			send_all(eng);
		}
		if (fds[2].revents)
			receive(eng);
		if (fds[3].revents) {
			uint64_t ticks;
			if (read(eng->timer_fd, &ticks, sizeof(ticks)) < 0) {
				/* nothing to do: the next tick comes anyway */
			}
			send_ack(eng);
			if (!eng->sent_this_tick && !eng->dgram_len)
				send_ctl(eng, CTS_F_ALIVE, 0, 0);
			eng->sent_this_tick = 0;
			pthread_mutex_lock(&eng->lock);
			eng->stats.peer_seen = eng->last_rx_ms && now_ms() - eng->last_rx_ms < PEER_SEEN_MS;
			pthread_mutex_unlock(&eng->lock);
		}
		flush(eng);
	}
	return NULL;
}

static int open_sockets(struct cts_engine *eng, struct tdm_err *err)
{
	const struct cts_engine_config *c = &eng->cfg;
	int one = 1, zero = 0, ttl = 1, buf = (int)c->sock_buf;
	eng->tx_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	eng->rx_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (eng->tx_fd < 0 || eng->rx_fd < 0)
		return tdm_fail(err, -errno, "sync sockets: %s", strerror(errno));
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr = c->local };
	if (setsockopt(eng->tx_fd, SOL_SOCKET, SO_BINDTODEVICE, c->ifname, (socklen_t)strlen(c->ifname)) ||
	    setsockopt(eng->tx_fd, IPPROTO_IP, IP_MULTICAST_IF, &c->local, sizeof(c->local)) ||
	    setsockopt(eng->tx_fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(eng->tx_fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    bind(eng->tx_fd, (struct sockaddr *)&src, sizeof(src)))
		return tdm_fail(err, -errno, "sync send socket on %s: %s", c->ifname, strerror(errno));
	if (buf) {
		setsockopt(eng->tx_fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
		setsockopt(eng->rx_fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	}
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	struct ip_mreq mreq = { .imr_multiaddr = c->group, .imr_interface = c->local };
	if (setsockopt(eng->rx_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(eng->rx_fd, (struct sockaddr *)&any, sizeof(any)) ||
	    setsockopt(eng->rx_fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)))
		return tdm_fail(err, -errno, "sync receive socket on %s: %s", c->ifname, strerror(errno));
	return 0;
}

struct cts_engine *cts_engine_start(const struct cts_engine_config *cfg, struct tdm_err *err)
{
	struct cts_engine *eng = calloc(1, sizeof(*eng));
	if (!eng) {
		tdm_fail(err, -ENOMEM, "out of memory");
		return NULL;
	}
	eng->cfg = *cfg;
	eng->tx_fd = eng->rx_fd = eng->stop_fd = eng->timer_fd = -1;
	if (cfg->auth_secret_len) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		eng->auth_on = 1;
		cts_auth_init(&eng->auth, cfg->auth_secret, cfg->auth_secret_len,
			      (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u);
	}
	pthread_mutex_init(&eng->lock, NULL);
	eng->tx_seq = (uint32_t)time(NULL);
	eng->say_hello = 1;
	eng->resend = calloc(RESEND_SLOTS, sizeof(*eng->resend));
	eng->stop_fd = eventfd(0, EFD_CLOEXEC);
	eng->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec tick = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	if (!eng->resend || eng->stop_fd < 0 || eng->timer_fd < 0 || timerfd_settime(eng->timer_fd, 0, &tick, NULL)) {
		tdm_fail(err, -ENOMEM, "engine resources: %s", strerror(errno));
		goto fail;
	}
	if (open_sockets(eng, err))
		goto fail;
	eng->events = nfct_open(CONNTRACK, NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_UPDATE |
						   NF_NETLINK_CONNTRACK_DESTROY);
	if (!eng->events) {
		tdm_fail(err, -errno, "ctnetlink events: %s", strerror(errno));
		goto fail;
	}
	if (cfg->event_buf)
		nfnl_rcvbufsiz(nfct_nfnlh(eng->events), cfg->event_buf);
	/* nfct_catch() drains until the socket would block: it must not block the loop. */
	fcntl(nfct_fd(eng->events), F_SETFL, fcntl(nfct_fd(eng->events), F_GETFL) | O_NONBLOCK);
	nfct_callback_register(eng->events, NFCT_T_ALL, on_event, eng);
	if (cfg->n_expect_helpers) {
		eng->exp_events = nfct_open(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW | NF_NETLINK_CONNTRACK_EXP_DESTROY);
		if (!eng->exp_events) {
			tdm_fail(err, -errno, "ctnetlink expectation events: %s", strerror(errno));
			goto fail;
		}
		if (cfg->event_buf)
			nfnl_rcvbufsiz(nfct_nfnlh(eng->exp_events), cfg->event_buf);
		fcntl(nfct_fd(eng->exp_events), F_SETFL, fcntl(nfct_fd(eng->exp_events), F_GETFL) | O_NONBLOCK);
		nfexp_callback_register(eng->exp_events, NFCT_T_ALL, on_exp_event, eng);
	}
	if (pthread_create(&eng->thread, NULL, run, eng)) {
		tdm_fail(err, -EAGAIN, "engine thread");
		goto fail;
	}
	return eng;
fail:
	if (eng->events)
		nfct_close(eng->events);
	if (eng->exp_events)
		nfct_close(eng->exp_events);
	int fds[] = { eng->stop_fd, eng->timer_fd, eng->tx_fd, eng->rx_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(eng->resend);
	free(eng);
	return NULL;
}

void cts_engine_stop(struct cts_engine *eng)
{
	if (!eng)
		return;
	uint64_t one = 1;
	if (write(eng->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(eng->thread, NULL);
	nfct_close(eng->events);
	if (eng->exp_events)
		nfct_close(eng->exp_events);
	close(eng->stop_fd);
	close(eng->timer_fd);
	close(eng->tx_fd);
	close(eng->rx_fd);
	cache_clear(&eng->internal);
	cache_clear(&eng->external);
	cts_exp_cache_clear(&eng->internal_exp);
	cts_exp_cache_clear(&eng->external_exp);
	free(eng->resend);
	pthread_mutex_destroy(&eng->lock);
	free(eng);
}

void cts_engine_stats(struct cts_engine *eng, struct cts_stats *out)
{
	pthread_mutex_lock(&eng->lock);
	*out = eng->stats;
	out->internal = eng->internal.count;
	out->external = eng->external.count;
	out->exp_internal = eng->internal_exp.count;
	out->exp_external = eng->external_exp.count;
	pthread_mutex_unlock(&eng->lock);
}

void cts_engine_each(struct cts_engine *eng, int which, void (*fn)(const struct cts_entry *e, void *ctx), void *ctx)
{
	pthread_mutex_lock(&eng->lock);
	struct cache *c = which ? &eng->external : &eng->internal;
	for (size_t i = 0; i < BUCKETS; i++)
		for (struct node *n = c->b[i]; n; n = n->next)
			fn(&n->e, ctx);
	pthread_mutex_unlock(&eng->lock);
}

void cts_engine_each_exp(struct cts_engine *eng, int which, void (*fn)(const struct cts_exp *x, void *ctx), void *ctx)
{
	pthread_mutex_lock(&eng->lock);
	cts_exp_cache_each(which ? &eng->external_exp : &eng->internal_exp, fn, ctx);
	pthread_mutex_unlock(&eng->lock);
}

/* Joins or leaves the kernel's connection event groups on the engine's event socket. */
static void set_event_membership(struct cts_engine *eng, int join)
{
	static const int groups[] = { NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		setsockopt(nfct_fd(eng->events), SOL_NETLINK, join ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP,
			   &groups[i], sizeof(groups[i]));
}

int cts_engine_commit(struct cts_engine *eng, struct cts_commit_result *out, struct tdm_err *err)
{
	/* The external cache is copied under the lock and committed from the copy, so the engine
	 * keeps receiving meanwhile (CS-53). */
	pthread_mutex_lock(&eng->lock);
	size_t total = eng->external.count, at = 0;
	struct cts_entry *snapshot = malloc((total ? total : 1) * sizeof(*snapshot));
	if (!snapshot) {
		pthread_mutex_unlock(&eng->lock);
		return tdm_fail(err, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < BUCKETS; i++)
		for (struct node *n = eng->external.b[i]; n && at < total; n = n->next)
			snapshot[at++] = n->e;
	uint32_t timeout = eng->cfg.commit_timeout;
	size_t n_exps = 0;
	struct cts_exp *exps = cts_exp_cache_copy(&eng->external_exp, &n_exps);
	pthread_mutex_unlock(&eng->lock);

	/* The kernel builds an event for every entry it creates, but only while someone listens: the
	 * engine stops listening for the commit (the daemon restarts it from a table dump after). */
	set_event_membership(eng, 0);
	int rc = cts_commit(snapshot, at, timeout, out, err);
	set_event_membership(eng, 1);
	free(snapshot);
	/* Expectations after all connections: each needs its master, with the helper (CS-52). */
	if (!rc)
		rc = cts_commit_exps(exps, n_exps, timeout, out, err);
	free(exps);
	pthread_mutex_lock(&eng->lock);
	eng->stats.commit_created += out->created;
	eng->stats.commit_failed += out->failed;
	eng->stats.commit_exp_created += out->exp_created;
	eng->stats.commit_exp_failed += out->exp_failed;
	pthread_mutex_unlock(&eng->lock);
	return rc;
}
