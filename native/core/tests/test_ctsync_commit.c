/* The commit of synced connections (ctsync_commit.h) against the real kernel table of a private
 * network namespace: entries that collide with leftovers are replaced (CS-51), refusals name their
 * entry, and the batches of several committers keep their answers apart. Needs root. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>
#include <string.h>

#include "check.h"
#include "ctsync_commit.h"
#include "ctsync_nfct.h"
#include "netns_fixture.h"

#define BIT(a) (1ull << (a))

static struct cts_entry tcp_entry(const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	struct cts_entry e;
	memset(&e, 0, sizeof(e));
	e.family = 4;
	e.l4proto = IPPROTO_TCP;
	CHECK(inet_pton(AF_INET, src, e.src) == 1);
	CHECK(inet_pton(AF_INET, dst, e.dst) == 1);
	e.sport = sport;
	e.dport = dport;
	e.tcp_state = 3; /* ESTABLISHED */
	e.status = IPS_SEEN_REPLY | IPS_ASSURED;
	e.timeout = 300;
	e.present = BIT(CTS_A_IPV4) | BIT(CTS_A_L4PROTO) | BIT(CTS_A_PORT) | BIT(CTS_A_TCP_STATE) |
		    BIT(CTS_A_STATUS) | BIT(CTS_A_TIMEOUT);
	return e;
}

static void with_snat(struct cts_entry *e, const char *addr, uint16_t port)
{
	CHECK(inet_pton(AF_INET, addr, e->snat_ipv4) == 1);
	e->spat_port = port;
	e->present |= BIT(CTS_A_SNAT_IPV4) | BIT(CTS_A_SPAT_PORT);
}

static void with_mark(struct cts_entry *e, uint32_t mark)
{
	e->mark = mark;
	e->present |= BIT(CTS_A_MARK);
}

static struct cts_commit_result commit(const struct cts_entry *entries, size_t n)
{
	struct cts_commit_result r;
	struct tdm_err err = { 0 };
	CHECK_EQ(cts_commit(entries, n, 60, &r, &err), 0);
	return r;
}

/* What the kernel holds under a tuple. */
struct found {
	int n;
	uint32_t mark, orig_src, repl_dst;
	uint16_t repl_dport;
};

static int on_entry(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	struct found *f = data;
	f->n++;
	f->mark = nfct_get_attr_u32(ct, ATTR_MARK);
	f->orig_src = nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC);
	f->repl_dst = nfct_get_attr_u32(ct, ATTR_REPL_IPV4_DST);
	f->repl_dport = ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
	return NFCT_CB_CONTINUE;
}

static struct found lookup(const struct cts_entry *e, int reply)
{
	struct found f = { 0 };
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	CHECK(h != NULL);
	nfct_callback_register(h, NFCT_T_ALL, on_entry, &f);
	struct nf_conntrack *key = cts_tuple_nfct(e, reply);
	CHECK(key != NULL);
	nfct_query(h, NFCT_Q_GET, key); /* ENOENT leaves f.n at 0 */
	nfct_destroy(key);
	nfct_close(h);
	return f;
}

static int table_size(void)
{
	struct found f = { 0 };
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	CHECK(h != NULL);
	nfct_callback_register(h, NFCT_T_ALL, on_entry, &f);
	uint32_t family = AF_INET;
	CHECK_EQ(nfct_query(h, NFCT_Q_DUMP, &family), 0);
	nfct_close(h);
	return f.n;
}

static uint32_t ipv4(const char *text)
{
	uint32_t a;
	CHECK(inet_pton(AF_INET, text, &a) == 1);
	return a;
}

/* A leftover with the same original tuple but no NAT binding: the kernel will not add a binding
 * to an existing entry, so only delete-and-create gives the synced translation. */
static void replaces_an_entry_without_the_synced_nat(void)
{
	fixture_private_netns();
	struct cts_entry stale = tcp_entry("192.0.2.10", 40000, "198.51.100.20", 80);
	with_mark(&stale, 1);
	CHECK_EQ(commit(&stale, 1).created, 1);

	struct cts_entry synced = stale;
	with_snat(&synced, "203.0.113.1", 41000);
	with_mark(&synced, 7);
	struct cts_commit_result r = commit(&synced, 1);
	CHECK_EQ(r.created, 1);
	CHECK_EQ(r.recreated, 1);
	CHECK_EQ(r.failed, 0);
	struct found f = lookup(&synced, 0);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(f.mark, 7);
	CHECK_EQ(f.repl_dst, ipv4("203.0.113.1"));
	CHECK_EQ(f.repl_dport, 41000);
	CHECK_EQ(table_size(), 1);
}

/* A mid-stream pick-up of the server's reply (server -> VIP:port) holds the synced entry's reply
 * tuple: it is removed and the synced entry takes its place. */
static void replaces_an_entry_holding_the_reply_tuple(void)
{
	fixture_private_netns();
	struct cts_entry pickup = tcp_entry("198.51.100.20", 80, "203.0.113.1", 41000);
	CHECK_EQ(commit(&pickup, 1).created, 1);

	struct cts_entry synced = tcp_entry("192.0.2.10", 40000, "198.51.100.20", 80);
	with_snat(&synced, "203.0.113.1", 41000);
	struct cts_commit_result r = commit(&synced, 1);
	CHECK_EQ(r.created, 1);
	CHECK_EQ(r.recreated, 1);
	struct found f = lookup(&pickup, 0);
	CHECK_EQ(f.n, 1);
	CHECK_EQ(f.orig_src, ipv4("192.0.2.10")); /* the pick-up's tuple is now the synced reply */
	CHECK_EQ(table_size(), 1);
}

/* Without NAT the kernel updates the entry where it is. */
static void updates_an_entry_in_place(void)
{
	fixture_private_netns();
	struct cts_entry e = tcp_entry("192.0.2.10", 40000, "198.51.100.20", 80);
	with_mark(&e, 1);
	CHECK_EQ(commit(&e, 1).created, 1);
	with_mark(&e, 9);
	struct cts_commit_result r = commit(&e, 1);
	CHECK_EQ(r.created, 1);
	CHECK_EQ(r.recreated, 0);
	CHECK_EQ(lookup(&e, 0).mark, 9);
}

/* A refusal that is not a collision is reported with its own entry, amid accepted ones. */
static void reports_the_refused_entry(void)
{
	fixture_private_netns();
	struct cts_entry es[3] = {
		tcp_entry("192.0.2.10", 40001, "198.51.100.20", 80),
		tcp_entry("192.0.2.10", 40002, "198.51.100.20", 80),
		tcp_entry("192.0.2.10", 40003, "198.51.100.20", 80),
	};
	es[1].tcp_state = 200; /* no such TCP state */
	struct cts_commit_result r = commit(es, 3);
	CHECK_EQ(r.created, 2);
	CHECK_EQ(r.failed, 1);
	CHECK_EQ(r.n_reported, 1);
	CHECK_EQ(r.reported[0].entry.sport, 40002);
	/* EINVAL, or ERANGE where the kernel checks the range by netlink policy */
	CHECK(r.reported[0].error == EINVAL || r.reported[0].error == ERANGE);
	CHECK_EQ(table_size(), 2);
}

/* Enough entries for several committers: each collision is found and fixed in its own share. */
static void replaces_collisions_across_committers(void)
{
	fixture_private_netns();
	enum { N = 6000, EVERY = 100 };
	static struct cts_entry synced[N], stale[N / EVERY];
	for (int i = 0; i < N; i++) {
		synced[i] = tcp_entry("192.0.2.10", (uint16_t)(1024 + i), "198.51.100.20", 443);
		if (i % EVERY == 0)
			stale[i / EVERY] = synced[i];
		with_snat(&synced[i], "203.0.113.1", (uint16_t)(1024 + i));
	}
	CHECK_EQ(commit(stale, N / EVERY).created, N / EVERY);
	struct cts_commit_result r = commit(synced, N);
	CHECK_EQ(r.failed, 0);
	CHECK_EQ(r.created, N);
	CHECK_EQ(r.recreated, N / EVERY);
	CHECK_EQ(table_size(), N);
	CHECK_EQ(lookup(&synced[N - EVERY], 0).repl_dst, ipv4("203.0.113.1"));
}

static const struct check_case cases[] = {
	{ "replaces_an_entry_without_the_synced_nat", replaces_an_entry_without_the_synced_nat },
	{ "replaces_an_entry_holding_the_reply_tuple", replaces_an_entry_holding_the_reply_tuple },
	{ "updates_an_entry_in_place", updates_an_entry_in_place },
	{ "reports_the_refused_entry", reports_the_refused_entry },
	{ "replaces_collisions_across_committers", replaces_collisions_across_committers },
};

CHECK_MAIN(cases)
