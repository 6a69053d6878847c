/* Gratuitous ARP for a cluster address that was just added (CL-50 step 3): one round is an ARP
 * request and an ARP reply announcing the address with the interface's MAC (the frames VRRP
 * sends, built by vrrp_garp_frame_build). The caller repeats rounds 5 times, 200 ms apart. */
#ifndef TANDEM_CLUSTER_GARP_H
#define TANDEM_CLUSTER_GARP_H

#include <netinet/in.h>

#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

int cluster_garp_round(const char *ifname, struct in_addr address, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
