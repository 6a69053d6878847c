/* libFuzzer target for the clustering heartbeat codec (native/core/cluster/cluster_msg.h).
 *
 * Input: one selector byte, then a datagram as received, decoded with a fixed key. A mutated datagram
 * almost never carries a valid MAC, so the selector lets the fuzzer reach the parsing behind it:
 *   bit 0: sign the datagram with the fixed key first (its last 32 bytes become the right MAC);
 *   bit 1: before that, set the header's total length to the datagram's.
 * Beyond "no crash, no out-of-bounds read, no UB": a datagram that decodes re-encodes to exactly the
 * same bytes (the encoding is canonical) and decodes again to the same message; any other verdict
 * leaves the output untouched. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cluster_msg.h"

#define FUZZ_ASSERT(c)                   \
	do {                             \
		if (!(c))                \
			__builtin_trap(); \
	} while (0)

static const uint8_t KEY[] = "fuzz-cluster-secret";
#define KEY_LEN (sizeof(KEY) - 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	/* A heap copy of exactly the datagram's size, so that ASan sees any read past its end. */
	uint8_t sel = data[0];
	size_t len = size - 1;
	uint8_t *dg = malloc(len ? len : 1);
	FUZZ_ASSERT(dg != NULL);
	memcpy(dg, data + 1, len);
	if ((sel & 2) && len >= 8) {
		dg[6] = (uint8_t)(len >> 8);
		dg[7] = (uint8_t)len;
	}
	if ((sel & 1) && len >= CHB_MAC_LEN) {
		unsigned int md_len = 0;
		uint8_t md[EVP_MAX_MD_SIZE];
		FUZZ_ASSERT(HMAC(EVP_sha256(), KEY, (int)KEY_LEN, dg, len - CHB_MAC_LEN, md, &md_len) && md_len == 32);
		memcpy(dg + len - CHB_MAC_LEN, md, CHB_MAC_LEN);
	}

	struct chb_msg m, again, untouched;
	memset(&m, 0xa5, sizeof(m));
	memcpy(&untouched, &m, sizeof(m));
	enum chb_verdict v = chb_decode(dg, len, KEY, KEY_LEN, &m);
	FUZZ_ASSERT(v < CHB_VERDICT_MAX && strcmp(chb_verdict_name(v), "unknown") != 0);
	if (v != CHB_OK) {
		FUZZ_ASSERT(memcmp(&m, &untouched, sizeof(m)) == 0);
		free(dg);
		return 0;
	}

	uint8_t out[CHB_MAX_LEN];
	int n = chb_encode(&m, KEY, KEY_LEN, out, sizeof(out));
	FUZZ_ASSERT(n > 0 && (size_t)n == len && memcmp(out, dg, len) == 0);
	free(dg);
	memset(&again, 0, sizeof(again));
	FUZZ_ASSERT(chb_decode(out, (size_t)n, KEY, KEY_LEN, &again) == CHB_OK);
	FUZZ_ASSERT(memcmp(&m, &again, sizeof(m)) == 0);

	/* The replay rule on what the datagram carries: first fresh, then the same round. */
	struct chb_peer_seq last = { 0 };
	FUZZ_ASSERT(chb_replay_check(&last, m.generation, m.sequence) == CHB_FRESH);
	FUZZ_ASSERT(chb_replay_check(&last, m.generation, m.sequence) == CHB_SAME_ROUND);
	return 0;
}
