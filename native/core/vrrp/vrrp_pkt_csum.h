/* RFC 1071 Internet checksum, incrementally over several pieces (internal to the VRRP packet code). */
#ifndef TANDEM_VRRP_PKT_CSUM_H
#define TANDEM_VRRP_PKT_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes to a running sum. Every piece but the last must have an even length; the total
 * must stay below 128 KiB (IP packets always do). */
uint32_t vrrp_csum_add(uint32_t sum, const uint8_t *p, size_t len);

/* Folds the carries: 0xffff means a region that includes its checksum verifies. */
uint16_t vrrp_csum_fold(uint32_t sum);

/* The value to store in a checksum field that was zero while summing. */
static inline uint16_t vrrp_csum_finish(uint32_t sum)
{
	return (uint16_t)~vrrp_csum_fold(sum);
}

/* Sum of the IPv4 pseudo-header (source, destination, zero, protocol, 16-bit length). */
uint32_t vrrp_csum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t len);

/* Sum of the IPv6 pseudo-header (source, destination, 32-bit length, three zeros, next header). */
uint32_t vrrp_csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint8_t next_header, uint32_t len);

#endif
