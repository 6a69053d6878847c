#include "wlb_ttl_probe.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int setup(int fd, const struct wlb_ttl_probe *p, struct tdm_err *err)
{
	int ttl = p->ttl, on = 1;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(p->port), .sin_addr = p->target };

	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->ifname, strlen(p->ifname) + 1) < 0)
		return tdm_fail(err, -errno, "binding the ttl probe to %s", p->ifname);
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &p->mark, sizeof(p->mark)) < 0)
		return tdm_fail(err, -errno, "marking the ttl probe");
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0)
		return tdm_fail(err, -errno, "setting the ttl probe's TTL");
	if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) < 0)
		return tdm_fail(err, -errno, "asking for ICMP errors");
	/* Connected: the kernel routes now (through the mark's table) and queues only the ICMP errors
	 * that quote this socket's datagrams. */
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0)
		return tdm_fail(err, -errno, "routing the ttl probe out %s", p->ifname);
	return 0;
}

/* Reads one queued ICMP error into r; 1 when it was one, 0 when the queue held something else. */
static int read_error(int fd, struct wlb_ttl_result *r)
{
	char data[64], control[512];
	struct sockaddr_in offender_name;
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr msg = {
		.msg_name = &offender_name, .msg_namelen = sizeof(offender_name),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *c;

	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return 0;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct sock_extended_err ee;
		struct sockaddr_in from;

		if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_RECVERR)
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP)
			return 0;
		r->answer = WLB_TTL_ICMP;
		r->icmp_type = ee.ee_type;
		r->icmp_code = ee.ee_code;
		memcpy(&from, (const char *)CMSG_DATA(c) + sizeof(ee), sizeof(from));
		r->from = from.sin_family == AF_INET ? from.sin_addr : (struct in_addr){ 0 };
		return 1;
	}
	return 0;
}

int wlb_ttl_probe_run(const struct wlb_ttl_probe *p, struct wlb_ttl_result *r, struct tdm_err *err)
{
	static const char payload[] = "tandem wlb ttl probe";
	double start, deadline;
	int fd, rc;

	memset(r, 0, sizeof(*r));
	r->answer = WLB_TTL_LOCAL_ERROR;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tdm_fail(err, -errno, "opening the ttl probe's socket");
	rc = setup(fd, p, err);
	if (rc < 0)
		goto out;
	start = now_ms();
	deadline = start + p->timeout_ms;
	if (send(fd, payload, sizeof(payload) - 1, 0) < 0) {
		rc = tdm_fail(err, -errno, "sending the ttl probe out %s", p->ifname);
		goto out;
	}
	r->answer = WLB_TTL_TIMEOUT;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_ms();

		if (left <= 0)
			break;
		rc = poll(&pfd, 1, (int)left + 1);
		if (rc < 0 && errno != EINTR) {
			rc = tdm_fail(err, -errno, "waiting for the ttl probe's answer");
			r->answer = WLB_TTL_LOCAL_ERROR;
			goto out;
		}
		if (rc <= 0)
			continue;
		if ((pfd.revents & POLLERR) && read_error(fd, r)) {
			r->rtt_ms = now_ms() - start;
			break;
		}
		if (pfd.revents & POLLIN) {
			char buf[64];

			if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
				r->answer = WLB_TTL_REPLY;
				r->from = p->target;
				r->rtt_ms = now_ms() - start;
				break;
			}
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}
