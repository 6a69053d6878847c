#include "vrrp_netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int vrrp_nl_open(struct vrrp_nl *nl, struct tdm_err *err)
{
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		return tdm_fail(err, -errno, "netlink socket");
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int rc = tdm_fail(err, -errno, "netlink bind");

		vrrp_nl_close(nl);
		return rc;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

void vrrp_nl_close(struct vrrp_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

/* Sends one request and waits for its acknowledgement; returns 0 or the negative errno the
 * kernel answered. */
static int request(struct vrrp_nl *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = (int)mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		n = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, nl->portid, NULL, NULL);
		if (n <= MNL_CB_STOP)
			return n < 0 ? -errno : 0;
	}
}

int vrrp_nl_addr(struct vrrp_nl *nl, int add, int ifindex, int family, const uint8_t *addr, int prefixlen,
		 struct tdm_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	size_t alen = family == AF_INET6 ? 16 : 4;
	int rc;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)prefixlen;
	ifa->ifa_index = (unsigned int)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (family == AF_INET6 && addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		ifa->ifa_scope = RT_SCOPE_LINK;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	rc = request(nl, nlh);
	if ((add && rc == -EEXIST) || (!add && rc == -EADDRNOTAVAIL))
		return 0;
	if (rc)
		return tdm_fail(err, rc, "%s address on ifindex %d", add ? "add" : "remove", ifindex);
	return 0;
}

int vrrp_nl_macvlan_create(struct vrrp_nl *nl, int parent, const char *name, const uint8_t mac[6],
			   struct tdm_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *linkinfo, *data, *afspec, *inet6;
	struct ifinfomsg *ifi;
	unsigned int idx;
	int rc;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)parent);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	rc = request(nl, nlh);
	if (rc && rc != -EEXIST)
		return tdm_fail(err, rc, "create VRRP interface %s", name);
	idx = if_nametoindex(name);
	if (!idx)
		return tdm_fail(err, -ENODEV, "VRRP interface %s", name);

	/* No link-local address of its own: the group's link-local VIP is the only one it carries.
	 * (The kernel takes the address generation mode on an existing link only.) */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)idx;
	afspec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, inet6);
	mnl_attr_nest_end(nlh, afspec);
	rc = request(nl, nlh);
	if (rc)
		return tdm_fail(err, rc, "address generation mode of %s", name);
	return (int)idx;
}

/* RTM_NEWLINK / RTM_DELLINK on an existing link, optionally changing its flags. */
static int link_request(struct vrrp_nl *nl, uint16_t type, int ifindex, unsigned int change, unsigned int flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = change;
	ifi->ifi_flags = flags;
	return request(nl, nlh);
}

int vrrp_nl_link_delete(struct vrrp_nl *nl, int ifindex, struct tdm_err *err)
{
	int rc = link_request(nl, RTM_DELLINK, ifindex, 0, 0);

	if (rc && rc != -ENODEV)
		return tdm_fail(err, rc, "delete ifindex %d", ifindex);
	return 0;
}

int vrrp_nl_link_set_up(struct vrrp_nl *nl, int ifindex, int up, struct tdm_err *err)
{
	int rc = link_request(nl, RTM_NEWLINK, ifindex, IFF_UP, up ? IFF_UP : 0);

	if (rc)
		return tdm_fail(err, rc, "set ifindex %d %s", ifindex, up ? "up" : "down");
	return 0;
}
