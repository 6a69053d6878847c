/* Frame I/O of the VRRP engine: one packet socket per interface that receives VRRP (IPv4 protocol
 * 112/AH, IPv6 next header 112) as whole Ethernet frames — source MAC, TTL and destination intact —
 * and sends frames built byte for byte (adverts, gratuitous ARP, unsolicited NA). */
#ifndef TANDEM_VRRP_IO_H
#define TANDEM_VRRP_IO_H

#include <stddef.h>
#include <stdint.h>
#include "tdm_err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vrrp_io {
	int fd;
	int ifindex;
	uint8_t mac[6];
};

/* Opens and binds the socket on ifindex, joins the VRRP multicast MACs (01:00:5e:00:00:12,
 * 33:33:00:00:00:12) so real NICs accept them, filters in the kernel to VRRP frames, and ignores
 * frames this host sends. Non-blocking. */
int vrrp_io_open(struct vrrp_io *io, int ifindex, struct tdm_err *err);

/* Receives one frame: returns its length (0 when none is pending, negative errno on error). */
long vrrp_io_recv(struct vrrp_io *io, uint8_t *frame, size_t cap, struct tdm_err *err);

/* Sends one whole Ethernet frame out of ifindex (the socket's own interface when 0, e.g. the
 * VRRP interface of an RFC 3768 group otherwise). */
int vrrp_io_send(struct vrrp_io *io, int ifindex, const uint8_t *frame, size_t len, struct tdm_err *err);

void vrrp_io_close(struct vrrp_io *io);

/* The interface's MAC address (6 bytes). */
int vrrp_io_if_mac(int ifindex, uint8_t mac[6], struct tdm_err *err);

#ifdef __cplusplus
}
#endif

#endif
