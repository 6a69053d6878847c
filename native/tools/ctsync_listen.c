/* A passive listener on the conntrack-sync group for the replication benchmark, fast enough not to
 * be what is measured: counts the distinct IPv4 connections announced (CT_NEW/CT_UPD, keyed by
 * source address and port) until it has <count> of them or <seconds> pass, then prints
 * {"distinct":…,"firstMs":…,"lastMs":…} (wall clock of the first and of the count-th arrival).
 * It never answers, so the senders' FTFW sees no peer. An authentication trailer ends the walk of
 * its datagram as malformed, after every message it carries.
 * Usage: ctsync_listen <ifaddr> <count> <seconds> */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctsync_msg.h"

#define SET_BITS 22 /* 4M slots: room for far more than a benchmark's connections */

static uint64_t *slots;
static size_t distinct, want;
static uint64_t first_ms, last_ms;

static uint64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Adds key (never 0) to the open-addressing set; 1 if it was new. */
static int add(uint64_t key)
{
	size_t mask = ((size_t)1 << SET_BITS) - 1, i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - SET_BITS));
	for (;; i = (i + 1) & mask) {
		if (slots[i] == key)
			return 0;
		if (!slots[i]) {
			slots[i] = key;
			return 1;
		}
	}
}

static void on_message(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx)
{
	(void)ctx;
	struct cts_entry e;
	if ((h->type != CTS_CT_NEW && h->type != CTS_CT_UPD) || cts_entry_decode(payload, plen, &e) != CTS_OK ||
	    e.family != 4)
		return;
	if (!first_ms)
		first_ms = wall_ms();
	uint32_t src;
	memcpy(&src, e.src, 4);
	if (add((uint64_t)ntohl(src) << 16 | e.sport | 1ull << 63) && ++distinct == want)
		last_ms = wall_ms();
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ctsync_listen <ifaddr> <count> <seconds>\n");
		return 2;
	}
	struct in_addr ifaddr, group;
	if (inet_pton(AF_INET, argv[1], &ifaddr) != 1 || inet_pton(AF_INET, "225.0.0.50", &group) != 1) {
		fprintf(stderr, "ctsync_listen: bad address %s\n", argv[1]);
		return 2;
	}
	want = strtoul(argv[2], NULL, 10);
	uint64_t deadline = wall_ms() + 1000 * strtoull(argv[3], NULL, 10);
	slots = calloc((size_t)1 << SET_BITS, sizeof(*slots));
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, buf = 64 << 20;
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(3780) };
	struct ip_mreq mreq = { .imr_multiaddr = group, .imr_interface = ifaddr };
	if (!slots || fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) ||
	    bind(fd, (struct sockaddr *)&any, sizeof(any)) ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq))) {
		perror("ctsync_listen");
		return 1;
	}
	fprintf(stderr, "listening\n");
	static uint8_t dgram[65536];
	while (distinct < want) {
		uint64_t now = wall_ms();
		if (now >= deadline)
			break;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		ssize_t n = recv(fd, dgram, sizeof(dgram), 0);
		if (n <= 0)
			continue;
		struct cts_rx_stats st = { 0 };
		cts_datagram_walk(dgram, (size_t)n, on_message, NULL, &st);
	}
	printf("{\"distinct\":%zu,\"firstMs\":%llu,\"lastMs\":%llu}\n", distinct, (unsigned long long)first_ms,
	       (unsigned long long)last_ms);
	return 0;
}
