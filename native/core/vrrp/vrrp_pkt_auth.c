#include "vrrp_pkt_auth.h"

#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define AH_HDR_FIXED 12 /* next header … sequence number; the ICV follows */
#define IPV4_HDR_MAX 60

int vrrp_ah_icv(const uint8_t key[VRRP_PKT_AUTH_KEY_LEN], const uint8_t *iph, size_t ihl, const uint8_t *ah,
		const uint8_t *msg, size_t msg_len, uint8_t icv[VRRP_PKT_AUTH_ICV_LEN])
{
	uint8_t hdr[IPV4_HDR_MAX], ah_zero[AH_HDR_FIXED + VRRP_PKT_AUTH_ICV_LEN] = { 0 };
	uint8_t md[EVP_MAX_MD_SIZE];
	char digest[] = "MD5";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	size_t md_len = 0;
	int ok = 0;

	if (ihl < 20 || ihl > IPV4_HDR_MAX)
		return -EINVAL;
	/* The fields a router may rewrite in flight are zero in the digest (RFC 2402 mutable fields as
	 * keepalived picks them; the TTL is kept). */
	memcpy(hdr, iph, ihl);
	hdr[1] = 0;
	hdr[6] = hdr[7] = 0;
	hdr[10] = hdr[11] = 0;
	memcpy(ah_zero, ah, AH_HDR_FIXED);

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	if (ctx && EVP_MAC_init(ctx, key, VRRP_PKT_AUTH_KEY_LEN, params) && EVP_MAC_update(ctx, hdr, ihl) &&
	    EVP_MAC_update(ctx, ah_zero, sizeof(ah_zero)) && EVP_MAC_update(ctx, msg, msg_len) &&
	    EVP_MAC_final(ctx, md, &md_len, sizeof(md)) && md_len >= VRRP_PKT_AUTH_ICV_LEN) {
		memcpy(icv, md, VRRP_PKT_AUTH_ICV_LEN);
		ok = 1;
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	OPENSSL_cleanse(md, sizeof(md));
	return ok ? 0 : -EIO;
}

int vrrp_secret_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
