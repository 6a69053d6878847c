/* Fixed sizes and addresses shared by the VRRP packet code (internal); byte order: tdm_bytes.h. */
#ifndef TANDEM_VRRP_PKT_WIRE_H
#define TANDEM_VRRP_PKT_WIRE_H

#include <stdint.h>

#include "tdm_bytes.h"

#define VRRP_IPV4_HDR_LEN 20
#define VRRP_IPV6_HDR_LEN 40
#define VRRP_ETH_HDR_LEN 14
#define VRRP_V2_FIXED_LEN 16 /* 8-byte header + 8 bytes of Authentication Data */
#define VRRP_V3_FIXED_LEN 8
#define VRRP_AH_PAYLOAD_LEN 4 /* AH length in 32-bit words minus 2 for a 96-bit ICV */

static const uint8_t vrrp_mcast4[4] = { 224, 0, 0, 18 };
static const uint8_t vrrp_mcast6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 };

static inline unsigned int vrrp_addr_len(uint8_t family)
{
	return family == 6 ? 16 : 4;
}

#endif
