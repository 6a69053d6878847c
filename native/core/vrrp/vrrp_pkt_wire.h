/* Byte-order helpers and fixed addresses shared by the VRRP packet code (internal). */
#ifndef TANDEM_VRRP_PKT_WIRE_H
#define TANDEM_VRRP_PKT_WIRE_H

#include <stdint.h>

#define VRRP_IPV4_HDR_LEN 20
#define VRRP_IPV6_HDR_LEN 40
#define VRRP_ETH_HDR_LEN 14
#define VRRP_V2_FIXED_LEN 16 /* 8-byte header + 8 bytes of Authentication Data */
#define VRRP_V3_FIXED_LEN 8
#define VRRP_AH_PAYLOAD_LEN 4 /* AH length in 32-bit words minus 2 for a 96-bit ICV */

static const uint8_t vrrp_mcast4[4] = { 224, 0, 0, 18 };
static const uint8_t vrrp_mcast6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 };

static inline void vrrp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void vrrp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t vrrp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t vrrp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline unsigned int vrrp_addr_len(uint8_t family)
{
	return family == 6 ? 16 : 4;
}

#endif
