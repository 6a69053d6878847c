/* Frame I/O and rtnetlink requests of the VRRP engine, for real on a veth pair in a private
 * network namespace of this test process. Needs root. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <unistd.h>

#include "check.h"
#include "netns_fixture.h"
#include "vrrp_io.h"
#include "vrrp_netlink.h"

/* An Ethernet frame to the VRRP group MAC with an IPv4 header of `protocol` and some payload. */
static size_t ipv4_frame(uint8_t *f, const uint8_t src_mac[6], uint8_t protocol)
{
	static const uint8_t dst[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	size_t len = 14 + 20 + 20;

	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[14 + 3] = 40; /* total length */
	f[14 + 8] = 255;
	f[14 + 9] = protocol;
	f[14 + 12] = 192, f[14 + 13] = 0, f[14 + 14] = 2, f[14 + 15] = 1;
	f[14 + 16] = 224, f[14 + 19] = 18;
	f[34] = 0x21; /* a VRRPv2 first byte, for recognition */
	return len;
}

static long recv_within(struct vrrp_io *io, uint8_t *buf, size_t cap, int ms)
{
	struct pollfd p = { .fd = io->fd, .events = POLLIN };
	struct tdm_err err = { 0 };

	if (poll(&p, 1, ms) <= 0)
		return 0;
	return vrrp_io_recv(io, buf, cap, &err);
}

static void receives_vrrp_frames_only_and_not_its_own(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_io a, b;
	uint8_t frame[256], got[256];
	size_t len;

	fixture_veth_pair();
	CHECK(vrrp_io_open(&a, (int)if_nametoindex("a0"), &err) == 0);
	CHECK(vrrp_io_open(&b, (int)if_nametoindex("b0"), &err) == 0);

	len = ipv4_frame(frame, a.mac, 17); /* UDP: filtered out in the kernel */
	CHECK(vrrp_io_send(&a, 0, frame, len, &err) == 0);
	len = ipv4_frame(frame, a.mac, 112);
	CHECK(vrrp_io_send(&a, 0, frame, len, &err) == 0);

	CHECK_EQ(recv_within(&b, got, sizeof(got), 1000), (long)len);
	CHECK(memcmp(got, frame, len) == 0);
	CHECK_EQ(recv_within(&b, got, sizeof(got), 100), 0); /* the UDP frame never arrived */
	CHECK_EQ(recv_within(&a, got, sizeof(got), 100), 0); /* a does not see what it sent */

	len = ipv4_frame(frame, a.mac, 51); /* AH */
	CHECK(vrrp_io_send(&a, 0, frame, len, &err) == 0);
	CHECK_EQ(recv_within(&b, got, sizeof(got), 1000), (long)len);
	vrrp_io_close(&a);
	vrrp_io_close(&b);
}

static void receives_ipv6_next_header_112(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_io a, b;
	uint8_t f[14 + 40 + 8] = { 0x33, 0x33, 0, 0, 0, 0x12 }, got[256];

	fixture_veth_pair();
	CHECK(vrrp_io_open(&a, (int)if_nametoindex("a0"), &err) == 0);
	CHECK(vrrp_io_open(&b, (int)if_nametoindex("b0"), &err) == 0);
	memcpy(f + 6, a.mac, 6);
	f[12] = 0x86, f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 5] = 8; /* payload length */
	f[14 + 6] = 112;
	f[14 + 7] = 255;
	CHECK(vrrp_io_send(&a, 0, f, sizeof(f), &err) == 0);
	CHECK_EQ(recv_within(&b, got, sizeof(got), 1000), (long)sizeof(f));
	CHECK(vrrp_io_send(&a, 0, f, 10, &err) == -EINVAL);
	vrrp_io_close(&a);
	vrrp_io_close(&b);
}

/* Whether ifname has the IPv4/IPv6 address `text`. */
static int has_address(const char *ifname, const char *text)
{
	struct ifaddrs *list, *i;
	char buf[INET6_ADDRSTRLEN];
	int found = 0;

	CHECK(getifaddrs(&list) == 0);
	for (i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname))
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, sizeof(buf));
		else if (i->ifa_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, buf, sizeof(buf));
		else
			continue;
		found |= strcmp(buf, text) == 0;
	}
	freeifaddrs(list);
	return found;
}

static void adds_and_removes_addresses_idempotently(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_nl nl;
	uint8_t v4[4] = { 192, 0, 2, 254 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x54 };
	int b0;

	fixture_veth_pair();
	b0 = (int)if_nametoindex("b0");
	CHECK(vrrp_nl_open(&nl, &err) == 0);
	CHECK(vrrp_nl_addr(&nl, 1, b0, AF_INET, v4, 24, &err) == 0);
	CHECK(vrrp_nl_addr(&nl, 1, b0, AF_INET, v4, 24, &err) == 0); /* already there: fine */
	CHECK(has_address("b0", "192.0.2.254"));
	CHECK(vrrp_nl_addr(&nl, 1, b0, AF_INET6, v6, 64, &err) == 0);
	CHECK(has_address("b0", "2001:db8::54"));
	CHECK(system("ip -6 addr show dev b0 | grep 2001:db8::54 | grep -q tentative") != 0); /* no DAD */
	CHECK(vrrp_nl_addr(&nl, 0, b0, AF_INET, v4, 24, &err) == 0);
	CHECK(vrrp_nl_addr(&nl, 0, b0, AF_INET, v4, 24, &err) == 0); /* already gone: fine */
	CHECK(!has_address("b0", "192.0.2.254"));
	CHECK(vrrp_nl_addr(&nl, 1, 999, AF_INET, v4, 24, &err) < 0);
	CHECK(strstr(err.msg, "ifindex 999") != NULL);
	vrrp_nl_close(&nl);
}

static void creates_the_vrrp_interface_with_the_vmac(void)
{
	struct tdm_err err = { 0 };
	struct vrrp_nl nl;
	const uint8_t vmac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x63 };
	uint8_t mac[6];
	int b0, v;

	fixture_veth_pair();
	b0 = (int)if_nametoindex("b0");
	CHECK(vrrp_nl_open(&nl, &err) == 0);
	v = vrrp_nl_macvlan_create(&nl, b0, "b0v99", vmac, &err);
	if (v < 0)
		fprintf(stderr, "%s\n", err.msg);
	CHECK(v > 0);
	CHECK_EQ(vrrp_nl_macvlan_create(&nl, b0, "b0v99", vmac, &err), v); /* reused */
	CHECK(vrrp_io_if_mac(v, mac, &err) == 0);
	CHECK(memcmp(mac, vmac, 6) == 0);
	CHECK(system("ip -d link show b0v99 | grep -q 'macvlan mode private'") == 0);
	CHECK(vrrp_nl_link_set_up(&nl, v, 1, &err) == 0);
	CHECK(system("ip link show b0v99 | grep -q ',UP'") == 0);
	CHECK(system("ip -6 addr show dev b0v99 | grep -q fe80") != 0); /* no generated link-local */
	CHECK(vrrp_nl_link_delete(&nl, v, &err) == 0);
	CHECK(if_nametoindex("b0v99") == 0);
	vrrp_nl_close(&nl);
}

static const struct check_case cases[] = {
	{ "receives_vrrp_frames_only_and_not_its_own", receives_vrrp_frames_only_and_not_its_own },
	{ "receives_ipv6_next_header_112", receives_ipv6_next_header_112 },
	{ "adds_and_removes_addresses_idempotently", adds_and_removes_addresses_idempotently },
	{ "creates_the_vrrp_interface_with_the_vmac", creates_the_vrrp_interface_with_the_vmac },
};

CHECK_MAIN(cases)
