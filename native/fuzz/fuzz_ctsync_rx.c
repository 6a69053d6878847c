/* libFuzzer target for the conntrack-sync wire codec (native/core/ctsync/ctsync_msg.h).
 *
 * Input: a datagram as received. Beyond "no crash, no out-of-bounds read, no UB", every connection
 * or expectation message that decodes must re-encode to a message that decodes to the same, and every
 * control message must rebuild to the same bytes. The authentication trailer (ctsync_auth.h):
 * arbitrary input never opens, and any input sealed opens once to itself, then is a replay, and
 * with one bit flipped is refused. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctsync_auth.h"
#include "ctsync_msg.h"

#define FUZZ_ASSERT(c)                   \
	do {                             \
		if (!(c))                \
			__builtin_trap(); \
	} while (0)

static void check(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx)
{
	(void)ctx;
	uint8_t out[70000];
	if (h->type == CTS_CTL) {
		size_t n = cts_build_ctl(out, sizeof(out), h->flags, h->seq, h->from, h->to);
		struct cts_hdr again;
		FUZZ_ASSERT(n == h->len && cts_hdr_parse(out, n, &again) == (int)n);
		FUZZ_ASSERT(again.seq == h->seq && again.from == h->from && again.to == h->to);
		return;
	}
	if (h->type >= CTS_EXP_NEW) {
		struct cts_exp x, back;
		if (cts_exp_decode(payload, plen, &x) != CTS_OK)
			return;
		size_t n = cts_build_exp(out, sizeof(out), h->type, h->flags, h->seq, &x);
		FUZZ_ASSERT(n >= CTS_HDR_LEN);
		FUZZ_ASSERT(cts_exp_decode(out + CTS_HDR_LEN, n - CTS_HDR_LEN, &back) == CTS_OK);
		FUZZ_ASSERT(memcmp(&x, &back, sizeof(x)) == 0);
		return;
	}
	struct cts_entry e, again;
	if (cts_entry_decode(payload, plen, &e) != CTS_OK)
		return;
	size_t n = cts_build_entry(out, sizeof(out), h->type, h->flags, h->seq, &e);
	FUZZ_ASSERT(n >= CTS_HDR_LEN);
	FUZZ_ASSERT(cts_entry_decode(out + CTS_HDR_LEN, n - CTS_HDR_LEN, &again) == CTS_OK);
	FUZZ_ASSERT(memcmp(&e, &again, sizeof(e)) == 0);
}

static void check_auth(const uint8_t *data, size_t size)
{
	static struct cts_auth tx, rx;
	static int ready;
	static uint8_t buf[4096 + CTS_AUTH_TRAILER];
	size_t plen = 0;

	if (!ready) {
		cts_auth_init(&tx, (const uint8_t *)"fuzz", 4, 1000);
		cts_auth_init(&rx, (const uint8_t *)"fuzz", 4, 1);
		ready = 1;
	}
	FUZZ_ASSERT(cts_auth_open(&rx, 1, data, size, &plen) != CTS_AUTH_OK);
	if (size > 4096)
		return;
	memcpy(buf, data, size);
	size_t n = cts_auth_seal(&tx, buf, size, sizeof(buf));
	FUZZ_ASSERT(n == size + CTS_AUTH_TRAILER);
	FUZZ_ASSERT(cts_auth_open(&rx, 2, buf, n, &plen) == CTS_AUTH_OK && plen == size);
	FUZZ_ASSERT(cts_auth_open(&rx, 2, buf, n, &plen) == CTS_AUTH_REPLAY);
	buf[size % n] ^= 1;
	FUZZ_ASSERT(cts_auth_open(&rx, 2, buf, n, &plen) != CTS_AUTH_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cts_rx_stats st = { 0 };
	cts_datagram_walk(data, size, check, NULL, &st);
	check_auth(data, size);
	return 0;
}
