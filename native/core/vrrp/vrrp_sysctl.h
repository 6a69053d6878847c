/* Per-interface IPv4 sysctls the VRRP interfaces of RFC 3768 mode need (spec §6.4). */
#ifndef TANDEM_VRRP_SYSCTL_H
#define TANDEM_VRRP_SYSCTL_H

#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes /proc/sys/net/ipv4/conf/<ifname>/<key> (in the caller's network namespace). */
int vrrp_sysctl_ipv4_conf(const char *ifname, const char *key, const char *value, struct tdm_err *err);

/* RFC 3768 mode: only the VRRP interface answers ARP for its VIPs (with the virtual MAC); the
 * parent stops answering for addresses that are not its own. */
int vrrp_sysctl_rfc3768(const char *parent, const char *vrrp_ifname, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
