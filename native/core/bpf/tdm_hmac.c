#include "tdm_hmac.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

int tdm_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
		    uint8_t mac[TDM_HMAC_SHA256_LEN])
{
	static const uint8_t no_key[1];
	unsigned int md_len = 0;

	if (key_len > INT_MAX)
		return -EINVAL;
	if (!HMAC(EVP_sha256(), key_len ? key : no_key, (int)key_len, data, len, mac, &md_len) ||
	    md_len != TDM_HMAC_SHA256_LEN)
		return -EIO;
	return 0;
}

int tdm_mac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
