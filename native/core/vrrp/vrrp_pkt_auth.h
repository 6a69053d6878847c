/* keepalived's VRRPv2 AH (spec vrrp.md §1.6): the HMAC-MD5-96 ICV (internal to the VRRP packet code). */
#ifndef TANDEM_VRRP_PKT_AUTH_H
#define TANDEM_VRRP_PKT_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define VRRP_PKT_AUTH_KEY_LEN 8
#define VRRP_PKT_AUTH_ICV_LEN 12

/* ICV over the IPv4 header (ihl bytes, 20-60) with TOS, flags/fragment offset and header checksum
 * taken as zero, the 24-byte AH header with its ICV taken as zero, and the VRRP message. The inputs
 * are not modified. 0, or -EIO when OpenSSL fails. */
int vrrp_ah_icv(const uint8_t key[VRRP_PKT_AUTH_KEY_LEN], const uint8_t *iph, size_t ihl, const uint8_t *ah,
		const uint8_t *msg, size_t msg_len, uint8_t icv[VRRP_PKT_AUTH_ICV_LEN]);

/* Constant-time equality of two secrets: 1 equal, 0 different. */
int vrrp_secret_equal(const uint8_t *a, const uint8_t *b, size_t len);

#endif
