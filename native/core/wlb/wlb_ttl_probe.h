/* The ttl health test of WAN load balancing (spec W-30): one UDP datagram with a small TTL, sent
 * out an uplink with its mark, and the ICMP error that quotes it — read from the socket's error
 * queue, so only answers to this very datagram count, whatever else the router receives. */
#ifndef TANDEM_WLB_TTL_PROBE_H
#define TANDEM_WLB_TTL_PROBE_H

#include <netinet/in.h>
#include <stdint.h>

#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlb_ttl_answer {
	WLB_TTL_TIMEOUT = 0,    /* nothing within the time allowed */
	WLB_TTL_ICMP = 1,       /* an ICMP error quoting the datagram: see icmp_type/icmp_code */
	WLB_TTL_REPLY = 2,      /* the target answered the datagram itself */
	WLB_TTL_LOCAL_ERROR = 3 /* the kernel refused to send it (no route, link down): see err */
};

struct wlb_ttl_probe {
	const char *ifname;     /* the uplink (SO_BINDTODEVICE) */
	uint32_t mark;          /* its mark: routed by its own table */
	struct in_addr target;
	uint8_t ttl;
	uint16_t port;          /* destination port (host order) */
	int timeout_ms;
};

struct wlb_ttl_result {
	enum wlb_ttl_answer answer;
	uint8_t icmp_type;
	uint8_t icmp_code;
	struct in_addr from;    /* who sent the ICMP error (0 when unknown) */
	double rtt_ms;
};

/* Blocks for at most timeout_ms. Returns 0 with the answer in *r, or a negative errno with err set
 * when no socket could be set up (then r->answer is WLB_TTL_LOCAL_ERROR). */
int wlb_ttl_probe_run(const struct wlb_ttl_probe *p, struct wlb_ttl_result *r, struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
