#include "vrrp_io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* Classic BPF: accept IPv4 with protocol 112 (VRRP) or 51 (AH), and IPv6 with next header 112;
 * everything else never reaches user space. */
static struct sock_filter vrrp_filter[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12), /* ethertype */
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 3),
	/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9), /* IPv4 protocol */
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 5, 0),
	/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 51, 4, 3),
	/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 2),
	/* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 6), /* IPv6 next header */
	/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 1, 0),
	/* 8 */ BPF_STMT(BPF_RET | BPF_K, 0),
	/* 9 */ BPF_STMT(BPF_RET | BPF_K, 0x40000),
};

static const uint8_t mcast_v4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
static const uint8_t mcast_v6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x12 };

static int join_mac(int fd, int ifindex, const uint8_t mac[6])
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_MULTICAST, .mr_alen = 6 };

	memcpy(mr.mr_address, mac, 6);
	return setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

int vrrp_io_if_mac(int ifindex, uint8_t mac[6], struct tdm_err *err)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0)
		return tdm_fail(err, -errno, "socket");
	if (!if_indextoname((unsigned)ifindex, ifr.ifr_name))
		rc = tdm_fail(err, -errno, "interface %d", ifindex);
	else if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		rc = tdm_fail(err, -errno, "MAC address of %s", ifr.ifr_name);
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}

int vrrp_io_open(struct vrrp_io *io, int ifindex, struct tdm_err *err)
{
	struct sock_fprog prog = { .len = sizeof(vrrp_filter) / sizeof(vrrp_filter[0]), .filter = vrrp_filter };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex };
	int one = 1;
	int rc;

	io->fd = -1;
	io->ifindex = ifindex;
	rc = vrrp_io_if_mac(ifindex, io->mac, err);
	if (rc)
		return rc;
	/* Protocol 0 until the filter is in place, so no unfiltered frame is queued before it. */
	io->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (io->fd < 0)
		return tdm_fail(err, -errno, "packet socket");
	if (setsockopt(io->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(io->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    bind(io->fd, (struct sockaddr *)&sll, sizeof(sll)) || join_mac(io->fd, ifindex, mcast_v4) ||
	    join_mac(io->fd, ifindex, mcast_v6)) {
		rc = tdm_fail(err, -errno, "VRRP socket on ifindex %d", ifindex);
		vrrp_io_close(io);
		return rc;
	}
	return 0;
}

long vrrp_io_recv(struct vrrp_io *io, uint8_t *frame, size_t cap, struct tdm_err *err)
{
	ssize_t n = recv(io->fd, frame, cap, MSG_TRUNC);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return tdm_fail(err, -errno, "receive on ifindex %d", io->ifindex);
	}
	/* A frame larger than the buffer is reported with its real length: the caller drops it as
	 * malformed rather than parsing a truncated copy. */
	return (long)n;
}

int vrrp_io_send(struct vrrp_io *io, int ifindex, const uint8_t *frame, size_t len, struct tdm_err *err)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex ? ifindex : io->ifindex,
				  .sll_halen = 6 };
	ssize_t n;

	if (len < 14)
		return tdm_fail(err, -EINVAL, "frame of %zu bytes", len);
	memcpy(to.sll_addr, frame, 6);
	to.sll_protocol = (uint16_t)(frame[12] | frame[13] << 8); /* already network order in the frame */
	n = sendto(io->fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	if (n < 0)
		return tdm_fail(err, -errno, "send on ifindex %d", to.sll_ifindex);
	if ((size_t)n != len)
		return tdm_fail(err, -EMSGSIZE, "short send on ifindex %d", to.sll_ifindex);
	return 0;
}

void vrrp_io_close(struct vrrp_io *io)
{
	if (io->fd >= 0)
		close(io->fd);
	io->fd = -1;
}
