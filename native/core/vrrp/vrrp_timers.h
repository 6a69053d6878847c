/* VRRP timer arithmetic (spec §1.9): microseconds, truncating integer division, no clock. */
#ifndef TANDEM_VRRP_TIMERS_H
#define TANDEM_VRRP_TIMERS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VRRP_PRIO_OWNER 255
#define VRRP_PRIO_RELEASE 0

/* An advertisement interval in wire units (v2: seconds, v3: centiseconds) as microseconds. */
uint64_t vrrp_interval_us(uint8_t version, uint16_t interval);

/* Skew_Time = (256 − priority) × interval_us / 256, truncated. */
uint64_t vrrp_skew_us(uint8_t priority, uint64_t interval_us);

/* Master_Down_Interval = 3 × interval_us + Skew_Time. */
uint64_t vrrp_master_down_us(uint8_t priority, uint64_t interval_us);

/* Effective priority (V-65): configured + delta clamped to 1-254; the owner (255) stays 255. */
uint8_t vrrp_effective_priority(uint8_t configured, int32_t delta);

#ifdef __cplusplus
}
#endif

#endif
