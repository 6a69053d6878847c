#include "vrrp_pkt_csum.h"

uint32_t vrrp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t vrrp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t vrrp_csum_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t len)
{
	uint32_t sum = vrrp_csum_add(0, src, 4);

	sum = vrrp_csum_add(sum, dst, 4);
	return sum + proto + len;
}

uint32_t vrrp_csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint8_t next_header, uint32_t len)
{
	uint32_t sum = vrrp_csum_add(0, src, 16);

	sum = vrrp_csum_add(sum, dst, 16);
	return sum + (len >> 16) + (len & 0xffff) + next_header;
}
