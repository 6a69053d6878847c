/* rtnetlink requests of the VRRP engine (libmnl): virtual addresses and VRRP (macvlan) interfaces.
 * Called from the engine thread on a transition, without waiting for JavaScript. */
#ifndef TANDEM_VRRP_NETLINK_H
#define TANDEM_VRRP_NETLINK_H

#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mnl_socket;

struct vrrp_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
};

int vrrp_nl_open(struct vrrp_nl *nl, struct tdm_err *err);
void vrrp_nl_close(struct vrrp_nl *nl);

/* Adds (add = 1) or removes an address: family AF_INET (4 bytes) or AF_INET6 (16 bytes, added
 * without duplicate address detection). Adding an existing or removing an absent address
 * succeeds: transitions must converge, not fail, on a half-applied state. */
int vrrp_nl_addr(struct vrrp_nl *nl, int add, int ifindex, int family, const uint8_t *addr, int prefixlen,
		 struct tdm_err *err);

/* Creates the VRRP interface of an RFC 3768 group: macvlan in private mode on parent, with the
 * VMAC, no IPv6 address generation; returns its ifindex. An existing interface of that name is
 * reused when it is a macvlan of the same parent. */
int vrrp_nl_macvlan_create(struct vrrp_nl *nl, int parent, const char *name, const uint8_t mac[6],
			   struct tdm_err *err);
int vrrp_nl_link_delete(struct vrrp_nl *nl, int ifindex, struct tdm_err *err);
int vrrp_nl_link_set_up(struct vrrp_nl *nl, int ifindex, int up, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
