/* The conntrack-sync channel's authentication trailer (ctsync_auth.h): wire bytes against an
 * independently computed HMAC, and every way a datagram is refused. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ctsync_auth.h"

#define SECRET ((const uint8_t *)"s3cret")
#define EPOCH 0x0102030405060708ull
#define FROM 0x0a000001u

static size_t sealed(struct cts_auth *tx, uint8_t *buf, const char *payload)
{
	size_t len = strlen(payload);
	memcpy(buf, payload, len);
	return cts_auth_seal(tx, buf, len, 256);
}

/* Trailer of "abc", counter 1: the tag is HMAC-SHA-256 computed by Python's hmac module. */
static void golden_trailer(void)
{
	static const uint8_t want[] = { 'a', 'b', 'c', 'T', 'D', 'A', '1', 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 1,
					0xaa, 0xd8, 0x10, 0x27, 0xb9, 0x51, 0x70, 0x6a, 0x41, 0xfa, 0x54, 0x6c, 0x0b, 0x45,
					0x1b, 0x37 };
	struct cts_auth tx;
	uint8_t buf[256];

	cts_auth_init(&tx, SECRET, 6, EPOCH);
	CHECK_EQ(sealed(&tx, buf, "abc"), sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	CHECK_EQ(cts_auth_seal(&tx, buf, 3, 3 + CTS_AUTH_TRAILER - 1), 0); /* no room: nothing sent */
}

static void opens_once_and_refuses_replays(void)
{
	struct cts_auth tx, rx;
	uint8_t a[256], b[256], c[256];
	size_t la, lb, lc, plen = 0;

	cts_auth_init(&tx, SECRET, 6, EPOCH);
	cts_auth_init(&rx, SECRET, 6, 1);
	la = sealed(&tx, a, "first");
	lb = sealed(&tx, b, "second");
	lc = sealed(&tx, c, "third");
	CHECK_EQ(cts_auth_open(&rx, FROM, b, lb, &plen), CTS_AUTH_OK);
	CHECK_EQ(plen, 6);
	CHECK_EQ(cts_auth_open(&rx, FROM, b, lb, &plen), CTS_AUTH_REPLAY);
	/* Reordered within the window: accepted once. */
	CHECK_EQ(cts_auth_open(&rx, FROM, a, la, &plen), CTS_AUTH_OK);
	CHECK_EQ(cts_auth_open(&rx, FROM, a, la, &plen), CTS_AUTH_REPLAY);
	CHECK_EQ(cts_auth_open(&rx, FROM, c, lc, &plen), CTS_AUTH_OK);
	/* The same bytes from another sender address are that sender's first datagram. */
	CHECK_EQ(cts_auth_open(&rx, FROM + 1, c, lc, &plen), CTS_AUTH_OK);
}

static void refuses_old_counters_and_old_epochs(void)
{
	struct cts_auth tx, rx, restarted;
	uint8_t old[256], buf[256], fresh[256];
	size_t lold, len, lfresh, plen;

	cts_auth_init(&tx, SECRET, 6, EPOCH);
	cts_auth_init(&rx, SECRET, 6, 1);
	lold = sealed(&tx, old, "old");
	for (int i = 0; i < 70; i++) {
		len = sealed(&tx, buf, "x");
		CHECK_EQ(cts_auth_open(&rx, FROM, buf, len, &plen), CTS_AUTH_OK);
	}
	CHECK_EQ(cts_auth_open(&rx, FROM, old, lold, &plen), CTS_AUTH_REPLAY); /* below the window */
	/* The sender restarts with a later epoch: its counter starts again and is accepted ... */
	cts_auth_init(&restarted, SECRET, 6, EPOCH + 1);
	lfresh = sealed(&restarted, fresh, "fresh");
	CHECK_EQ(cts_auth_open(&rx, FROM, fresh, lfresh, &plen), CTS_AUTH_OK);
	/* ... and the previous run's datagrams are replays from then on. */
	len = sealed(&tx, buf, "late");
	CHECK_EQ(cts_auth_open(&rx, FROM, buf, len, &plen), CTS_AUTH_REPLAY);
}

static void refuses_forged_and_unauthenticated(void)
{
	struct cts_auth tx, rx, other;
	uint8_t buf[256];
	size_t len, plen;

	cts_auth_init(&tx, SECRET, 6, EPOCH);
	cts_auth_init(&rx, SECRET, 6, 1);
	cts_auth_init(&other, (const uint8_t *)"another", 7, EPOCH);
	len = sealed(&other, buf, "entry");
	CHECK_EQ(cts_auth_open(&rx, FROM, buf, len, &plen), CTS_AUTH_BAD); /* another secret */
	len = sealed(&tx, buf, "entry");
	for (size_t i = 0; i < len; i++) { /* any flipped bit: payload, epoch, counter or tag */
		buf[i] ^= 0x40;
		enum cts_auth_verdict v = cts_auth_open(&rx, FROM, buf, len, &plen);
		CHECK(v == CTS_AUTH_BAD || (i >= len - CTS_AUTH_TRAILER && i < len - CTS_AUTH_TRAILER + 4 &&
					    v == CTS_AUTH_MISSING));
		buf[i] ^= 0x40;
	}
	CHECK_EQ(cts_auth_open(&rx, FROM, buf, len, &plen), CTS_AUTH_OK); /* nothing was recorded */
	CHECK_EQ(cts_auth_open(&rx, FROM, (const uint8_t *)"plain conntrackd datagram", 25, &plen),
		 CTS_AUTH_MISSING);
	CHECK_EQ(cts_auth_open(&rx, FROM, buf, 3, &plen), CTS_AUTH_MISSING); /* shorter than a trailer */
}

static const struct check_case cases[] = {
	{ "golden_trailer", golden_trailer },
	{ "opens_once_and_refuses_replays", opens_once_and_refuses_replays },
	{ "refuses_old_counters_and_old_epochs", refuses_old_counters_and_old_epochs },
	{ "refuses_forged_and_unauthenticated", refuses_forged_and_unauthenticated },
};

CHECK_MAIN(cases)
