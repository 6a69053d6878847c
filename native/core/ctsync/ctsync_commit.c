#include "ctsync_commit.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctsync_nfct.h"

#define BATCH_BYTES (128 * 1024)
#define MAX_WORKERS 4
/* Below this many entries one worker is as fast as several. */
#define PARALLEL_MIN 2048

/* One committer: entries [from, to), over its own socket. Entry i's first message has sequence
 * number seq0 + (i - from), so a refusal names its entry. */
struct job {
	const struct cts_entry *entries;
	size_t from, to;
	uint32_t timeout, seq0;
	uint64_t sent, refused;
	size_t *collided, n_collided, cap_collided; /* entries to delete and create again */
	struct cts_commit_result res;
	int rc;
	struct tdm_err err;
};

static void report(struct cts_commit_result *r, const struct cts_entry *e, int error)
{
	r->failed++;
	if (r->n_reported < CTS_COMMIT_REPORT_MAX)
		r->reported[r->n_reported++] = (struct cts_commit_failure){ .entry = *e, .error = error };
}

/* A create refused because of an entry already there: EEXIST when a tuple is taken, EOPNOTSUPP
 * or EBUSY when the update path found the same original tuple but may not change its NAT
 * bindings or status bits. */
static bool collision(int error)
{
	return error == EEXIST || error == EOPNOTSUPP || error == EBUSY;
}

static void refused(struct job *j, uint32_t seq, int error)
{
	size_t i = j->from + (size_t)(uint32_t)(seq - j->seq0);
	if (i < j->from || i >= j->to)
		return;
	j->refused++;
	if (!collision(error)) {
		report(&j->res, &j->entries[i], error);
		return;
	}
	if (j->n_collided == j->cap_collided) {
		size_t cap = j->cap_collided ? 2 * j->cap_collided : 64;
		size_t *grown = realloc(j->collided, cap * sizeof(*grown));
		if (!grown) {
			report(&j->res, &j->entries[i], ENOMEM);
			return;
		}
		j->collided = grown;
		j->cap_collided = cap;
	}
	j->collided[j->n_collided++] = i;
}

/* Reads the kernel's answers up to the acknowledgement of message `last`: only a batch's last
 * message asks for one, and the kernel answers every message it refuses whether asked or not, in
 * order — so `last`'s answer closes the batch. */
static int read_batch(struct mnl_socket *nl, uint32_t last, struct job *j)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	for (;;) {
		ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		int n = (int)got;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (e->error)
				refused(j, h->nlmsg_seq, -e->error);
			if (h->nlmsg_seq == last)
				return 0;
		}
	}
}

static void flush_batch(struct job *j, struct mnl_socket *nl, char *buf, size_t *off, struct nlmsghdr *last)
{
	if (!*off || j->rc)
		return;
	last->nlmsg_flags |= NLM_F_ACK;
	int r = mnl_socket_sendto(nl, buf, *off) < 0 ? -errno : read_batch(nl, last->nlmsg_seq, j);
	if (r < 0)
		j->rc = tdm_fail(&j->err, r, "ctnetlink commit: %s", strerror(-r));
	*off = 0;
}

/* Sends one message and waits for its answer: 0, or the kernel's negative errno. */
static int request(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	for (;;) {
		ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		int n = (int)got;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n))
			if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == nlh->nlmsg_seq)
				return ((const struct nlmsgerr *)mnl_nlmsg_get_payload(h))->error;
	}
}

/* An nfnetlink request of `subsys` without attributes yet. */
static struct nlmsghdr *put_nfnl(char *buf, uint8_t subsys, uint16_t type, uint16_t flags, uint32_t seq, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)(subsys << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	struct nfgenmsg *nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = family == 6 ? AF_INET6 : AF_INET;
	nfh->version = NFNETLINK_V0;
	nfh->res_id = 0;
	return nlh;
}

static struct nlmsghdr *put_msg(char *buf, uint16_t type, uint16_t flags, uint32_t seq, uint8_t family,
				const struct nf_conntrack *ct)
{
	struct nlmsghdr *nlh = put_nfnl(buf, NFNL_SUBSYS_CTNETLINK, type, flags, seq, family);
	nfct_nlmsg_build(nlh, ct);
	return nlh;
}

static int create_excl(struct mnl_socket *nl, char *buf, const struct cts_entry *e, uint32_t timeout, uint32_t *seq)
{
	struct nf_conntrack *ct = cts_to_nfct(e, timeout);
	if (!ct)
		return -ENOMEM;
	int r = request(nl, put_msg(buf, IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL, (*seq)++, e->family, ct));
	nfct_destroy(ct);
	return r;
}

/* CS-51: removes whatever holds the entry's original or reply tuple, then creates the entry. */
static int recreate(struct mnl_socket *nl, char *buf, const struct cts_entry *e, uint32_t timeout, uint32_t *seq)
{
	for (int reply = 0; reply < 2; reply++) {
		struct nf_conntrack *key = cts_tuple_nfct(e, reply);
		if (!key)
			continue;
		int r = request(nl, put_msg(buf, IPCTNL_MSG_CT_DELETE, 0, (*seq)++, e->family, key));
		nfct_destroy(key);
		if (r && r != -ENOENT)
			return r;
	}
	int r = create_excl(nl, buf, e, timeout, seq);
	if (r == -EOPNOTSUPP && CTS_HAS(e, CTS_A_HELPER_NAME)) {
		/* A helper this kernel does not have: keep the connection without it. */
		struct cts_entry plain = *e;
		plain.present &= ~(1ull << CTS_A_HELPER_NAME);
		r = create_excl(nl, buf, &plain, timeout, seq);
	}
	return r;
}

static void commit_share(struct job *j, struct mnl_socket *nl, char *buf)
{
	size_t off = 0;
	struct nlmsghdr *last = NULL;
	for (size_t i = j->from; i < j->to && j->rc == 0; i++) {
		const struct cts_entry *e = &j->entries[i];
		struct nf_conntrack *ct = cts_to_nfct(e, j->timeout);
		if (!ct) {
			report(&j->res, e, ENOMEM);
			continue;
		}
		last = put_msg(buf + off, IPCTNL_MSG_CT_NEW, NLM_F_CREATE, j->seq0 + (uint32_t)(i - j->from), e->family,
			       ct);
		nfct_destroy(ct);
		off += NLMSG_ALIGN(last->nlmsg_len);
		j->sent++;
		if (off > BATCH_BYTES - 4096)
			flush_batch(j, nl, buf, &off, last);
	}
	flush_batch(j, nl, buf, &off, last);
	uint32_t seq = j->seq0 + (uint32_t)(j->to - j->from);
	for (size_t k = 0; k < j->n_collided && j->rc == 0; k++) {
		const struct cts_entry *e = &j->entries[j->collided[k]];
		int r = recreate(nl, buf, e, j->timeout, &seq);
		if (r == 0)
			j->res.recreated++;
		else
			report(&j->res, e, -r);
	}
	j->res.created = j->sent - j->refused + j->res.recreated;
}

/* A ctnetlink socket whose acknowledgements carry only the request's header. */
static struct mnl_socket *open_nl(struct tdm_err *err, int *rc)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		if (nl)
			mnl_socket_close(nl);
		*rc = tdm_fail(err, -e, "ctnetlink: %s", strerror(e));
		return NULL;
	}
	int one = 1;
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

static void *run_job(void *arg)
{
	struct job *j = arg;
	struct mnl_socket *nl = open_nl(&j->err, &j->rc);
	if (!nl)
		return NULL;
	char *buf = malloc(BATCH_BYTES);
	if (buf)
		commit_share(j, nl, buf);
	else
		j->rc = tdm_fail(&j->err, -ENOMEM, "out of memory");
	free(buf);
	mnl_socket_close(nl);
	return NULL;
}

static void merge(struct cts_commit_result *out, const struct cts_commit_result *r)
{
	out->created += r->created;
	out->recreated += r->recreated;
	out->failed += r->failed;
	for (size_t i = 0; i < r->n_reported && out->n_reported < CTS_COMMIT_REPORT_MAX; i++)
		out->reported[out->n_reported++] = r->reported[i];
}

int cts_commit(const struct cts_entry *entries, size_t n, uint32_t default_timeout, struct cts_commit_result *out,
	       struct tdm_err *err)
{
	/* The kernel's work per entry dominates and runs in the sender's context, so several
	 * committers on several CPUs share it. */
	memset(out, 0, sizeof(*out));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t workers = n < PARALLEL_MIN || cpus < 2 ? 1 : (size_t)(cpus < MAX_WORKERS ? cpus : MAX_WORKERS);
	struct job *jobs = calloc(workers, sizeof(*jobs));
	if (!jobs)
		return tdm_fail(err, -ENOMEM, "out of memory");
	uint32_t base = (uint32_t)time(NULL) << 8;
	for (size_t k = 0; k < workers; k++)
		jobs[k] = (struct job){ .entries = entries,
					.from = n * k / workers,
					.to = n * (k + 1) / workers,
					.timeout = default_timeout,
					.seq0 = base + (uint32_t)(n * k / workers) };
	pthread_t threads[MAX_WORKERS];
	bool started[MAX_WORKERS] = { false };
	for (size_t k = 1; k < workers; k++)
		started[k] = pthread_create(&threads[k], NULL, run_job, &jobs[k]) == 0;
	run_job(&jobs[0]);
	int rc = 0;
	for (size_t k = 0; k < workers; k++) {
		if (k > 0 && started[k])
			pthread_join(threads[k], NULL);
		else if (k > 0)
			run_job(&jobs[k]); /* no thread: do its share here */
		merge(out, &jobs[k].res);
		if (jobs[k].rc && !rc) {
			rc = jobs[k].rc;
			if (err)
				*err = jobs[k].err;
		}
		free(jobs[k].collided);
	}
	free(jobs);
	return rc;
}

int cts_commit_exps(const struct cts_exp *exps, size_t n, uint32_t default_timeout, struct cts_commit_result *out,
		    struct tdm_err *err)
{
	if (!n)
		return 0;
	int rc = 0;
	struct mnl_socket *nl = open_nl(err, &rc);
	if (!nl)
		return rc;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = (uint32_t)time(NULL);
	/* Few enough to ask one at a time: each answer names its expectation. */
	for (size_t i = 0; i < n; i++) {
		struct nf_expect *exp = cts_exp_to_nfexp(&exps[i], default_timeout);
		int r = -ENOMEM;
		if (exp) {
			struct nlmsghdr *nlh = put_nfnl(buf, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW, NLM_F_CREATE,
							seq++, exps[i].master.family);
			nfexp_nlmsg_build(nlh, exp);
			nfexp_destroy(exp);
			r = request(nl, nlh);
		}
		if (r == 0) {
			out->exp_created++;
			continue;
		}
		out->exp_failed++;
		if (out->n_exp_reported < CTS_COMMIT_REPORT_MAX)
			out->exp_reported[out->n_exp_reported++] =
				(struct cts_commit_exp_failure){ .exp = exps[i], .error = -r };
	}
	mnl_socket_close(nl);
	return 0;
}
