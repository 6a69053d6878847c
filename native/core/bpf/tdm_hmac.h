/* HMAC-SHA-256 for the authenticated channels of the C core (cluster heartbeats, the
 * conntrack-sync channel's optional authentication). */
#ifndef TANDEM_TDM_HMAC_H
#define TANDEM_TDM_HMAC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TDM_HMAC_SHA256_LEN 32

/* mac = HMAC-SHA-256(key, data); an empty key is allowed. Returns 0, -EINVAL or -EIO. */
int tdm_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
		    uint8_t mac[TDM_HMAC_SHA256_LEN]);

/* Constant-time comparison: 1 when equal. */
int tdm_mac_equal(const uint8_t *a, const uint8_t *b, size_t len);

#ifdef __cplusplus
}
#endif

#endif
