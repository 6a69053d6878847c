#include "vrrp_sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int vrrp_sysctl_ipv4_conf(const char *ifname, const char *key, const char *value, struct tdm_err *err)
{
	char path[160];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return tdm_fail(err, -errno, "open %s", path);
	n = write(fd, value, strlen(value));
	close(fd);
	if (n != (ssize_t)strlen(value))
		return tdm_fail(err, n < 0 ? -errno : -EIO, "write %s", path);
	return 0;
}

int vrrp_sysctl_rfc3768(const char *parent, const char *vrrp_ifname, struct tdm_err *err)
{
	/* keepalived's settings: the parent answers ARP only for its own addresses; the VRRP
	 * interface does the same, accepts packets from local addresses and skips reverse-path
	 * filtering (its addresses are reached through the parent). Beyond keepalived, the parent's
	 * own ARP requests carry its own address (arp_announce 2): a reply from the VIP that leaves
	 * through the parent would otherwise teach hosts the parent's MAC for the VIP. */
	static const char *const parent_keys[][2] = { { "arp_ignore", "1" }, { "arp_filter", "1" }, { "arp_announce", "2" } };
	static const char *const vif_keys[][2] = { { "arp_ignore", "1" }, { "accept_local", "1" }, { "rp_filter", "0" } };
	int rc;

	for (size_t i = 0; i < sizeof(parent_keys) / sizeof(parent_keys[0]); i++)
		if ((rc = vrrp_sysctl_ipv4_conf(parent, parent_keys[i][0], parent_keys[i][1], err)))
			return rc;
	for (size_t i = 0; i < sizeof(vif_keys) / sizeof(vif_keys[0]); i++)
		if ((rc = vrrp_sysctl_ipv4_conf(vrrp_ifname, vif_keys[i][0], vif_keys[i][1], err)))
			return rc;
	return 0;
}
