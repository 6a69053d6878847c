/* VRRP timer arithmetic (spec §1.9). */
#include "vrrp_timers.h"

uint64_t vrrp_interval_us(uint8_t version, uint16_t interval)
{
	return version == 3 ? (uint64_t)interval * 10000u : (uint64_t)interval * 1000000u;
}

uint64_t vrrp_skew_us(uint8_t priority, uint64_t interval_us)
{
	return (256u - priority) * interval_us / 256u;
}

uint64_t vrrp_master_down_us(uint8_t priority, uint64_t interval_us)
{
	return 3u * interval_us + vrrp_skew_us(priority, interval_us);
}

uint8_t vrrp_effective_priority(uint8_t configured, int32_t delta)
{
	int64_t p;

	if (configured == VRRP_PRIO_OWNER)
		return VRRP_PRIO_OWNER;
	p = (int64_t)configured + delta;
	if (p < 1)
		return 1;
	if (p > 254)
		return 254;
	return (uint8_t)p;
}
