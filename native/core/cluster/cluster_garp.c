#include "cluster_garp.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp_io.h"
#include "vrrp_packet.h"

int cluster_garp_round(const char *ifname, struct in_addr address, struct tdm_err *err)
{
	int ifindex = (int)if_nametoindex(ifname);
	uint8_t mac[6], frame[64];
	struct vrrp_ip ip = { 0 };

	if (!ifindex)
		return tdm_fail(err, -ENODEV, "gratuitous ARP: no interface %s", ifname);
	if (vrrp_io_if_mac(ifindex, mac, err))
		return err ? err->code : -EIO;
	memcpy(ip.b, &address, 4);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tdm_fail(err, -errno, "gratuitous ARP: %s", strerror(errno));
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
	memset(to.sll_addr, 0xff, 6);
	int rc = 0;
	for (uint16_t op = 1; op <= 2 && !rc; op++) {
		int n = vrrp_garp_frame_build(mac, &ip, op, frame, sizeof(frame));
		if (n < 0)
			rc = tdm_fail(err, n, "gratuitous ARP: cannot build the frame");
		else if (sendto(fd, frame, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			rc = tdm_fail(err, -errno, "gratuitous ARP on %s: %s", ifname, strerror(errno));
	}
	close(fd);
	return rc;
}
