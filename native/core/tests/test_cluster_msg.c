/* The clustering heartbeat codec: golden bytes and MAC, round trips, every verdict, the MAC checked
 * before the names are parsed, and the replay rule. */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "check.h"
#include "cluster_msg.h"

static const uint8_t KEY[] = "!secret!";
#define KEY_LEN (sizeof(KEY) - 1)

/* HMAC-SHA-256 through EVP_MAC, independently of the codec's own HMAC() call. */
static void ref_mac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len, uint8_t mac[32])
{
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	CHECK(m != NULL);
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(m);
	CHECK(ctx != NULL);
	size_t out_len = 0;
	CHECK(EVP_MAC_init(ctx, key, key_len, params));
	CHECK(EVP_MAC_update(ctx, data, len));
	CHECK(EVP_MAC_final(ctx, mac, &out_len, 32));
	CHECK_EQ(out_len, 32);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
}

/* Signs a datagram edited by a test again, so that the edit is what the decoder sees. */
static void resign(uint8_t *buf, size_t len)
{
	ref_mac(KEY, KEY_LEN, buf, len - CHB_MAC_LEN, buf + len - CHB_MAC_LEN);
}

/* A full heartbeat: 10 monitors, 0, 2, 3 and 9 reachable. */
static struct chb_msg full(void)
{
	struct chb_msg m;
	memset(&m, 0, sizeof(m));
	m.generation = 0x8000000000000017ull;
	m.sequence = 0x00000001fffffffeull;
	m.role = CHB_ROLE_SECONDARY;
	m.state = CHB_STATE_STANDBY;
	m.flags = CHB_F_FORCED | CHB_F_AUTO_FAILBACK | CHB_F_STANDBY_REQUEST;
	m.keepalive_ms = 500;
	m.monitors_total = 10;
	m.monitors_reachable = 4;
	for (int i = 0; i < 16; i++)
		m.digest[i] = (uint8_t)(0xf0 - i);
	m.link = 2;
	strcpy(m.node, "router-east_2");
	strcpy(m.group, "vpn.cluster-A");
	m.bitmap[0] = 0x0d; /* 0, 2, 3 */
	m.bitmap[1] = 0x02; /* 9 */
	return m;
}

static size_t encode_full(uint8_t *buf, size_t cap)
{
	struct chb_msg m = full();
	int n = chb_encode(&m, KEY, KEY_LEN, buf, cap);
	CHECK(n > 0);
	return (size_t)n;
}

static void full_round_trip(void)
{
	struct chb_msg m = full(), got;
	uint8_t buf[CHB_MAX_LEN];
	int n = chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf));
	/* 56 + 13 + 13 + 2 bitmap = 84, already aligned; + MAC */
	CHECK_EQ(n, 84 + CHB_MAC_LEN);
	CHECK_EQ(buf[6] << 8 | buf[7], n);
	CHECK_EQ(chb_decode(buf, (size_t)n, KEY, KEY_LEN, &got), CHB_OK);
	CHECK(memcmp(&m, &got, sizeof(m)) == 0);
	CHECK(strcmp(got.node, "router-east_2") == 0 && strcmp(got.group, "vpn.cluster-A") == 0);
	CHECK_EQ(got.monitors_total, 10);
	CHECK_EQ(got.monitors_reachable, 4);
	CHECK_EQ(got.bitmap[0], 0x0d);
	CHECK_EQ(got.bitmap[1], 0x02);
	CHECK_EQ(got.flags, CHB_F_FORCED | CHB_F_AUTO_FAILBACK | CHB_F_STANDBY_REQUEST);
	CHECK(got.generation == 0x8000000000000017ull && got.sequence == 0x00000001fffffffeull);
}

static void largest_and_smallest_round_trip(void)
{
	struct chb_msg m, got;
	uint8_t buf[CHB_MAX_LEN + 8];
	memset(&m, 0, sizeof(m));
	m.role = CHB_ROLE_PRIMARY;
	m.state = CHB_STATE_ACTIVE;
	memset(m.node, 'n', CHB_NODE_MAX);
	memset(m.group, 'g', CHB_GROUP_MAX);
	m.monitors_total = CHB_MONITORS_MAX;
	m.monitors_reachable = CHB_MONITORS_MAX;
	memset(m.bitmap, 0xff, sizeof(m.bitmap));
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), CHB_MAX_LEN);
	CHECK_EQ(chb_decode(buf, CHB_MAX_LEN, KEY, KEY_LEN, &got), CHB_OK);
	CHECK(memcmp(&m, &got, sizeof(m)) == 0);
	/* One-letter names, no monitors: 56 + 2 = 58, padded to 60. An empty key works too. */
	memset(&m, 0, sizeof(m));
	m.role = CHB_ROLE_SECONDARY;
	strcpy(m.node, "a");
	strcpy(m.group, "b");
	CHECK_EQ(chb_encode(&m, NULL, 0, buf, sizeof(buf)), 60 + CHB_MAC_LEN);
	CHECK_EQ(buf[58], 0);
	CHECK_EQ(buf[59], 0);
	CHECK_EQ(chb_decode(buf, 60 + CHB_MAC_LEN, NULL, 0, &got), CHB_OK);
	CHECK(memcmp(&m, &got, sizeof(m)) == 0);
	CHECK_EQ(chb_decode(buf, 60 + CHB_MAC_LEN, KEY, KEY_LEN, &got), CHB_BAD_MAC);
}

static void golden_bytes_and_mac(void)
{
	struct chb_msg m;
	memset(&m, 0, sizeof(m));
	m.generation = 0x0102030405060708ull;
	m.sequence = 0x090a0b0c0d0e0f10ull;
	m.role = CHB_ROLE_PRIMARY;
	m.state = CHB_STATE_ACTIVE;
	m.flags = CHB_F_FORCED | CHB_F_AUTO_FAILBACK;
	m.keepalive_ms = 2000;
	m.monitors_total = 3;
	m.monitors_reachable = 2;
	for (int i = 0; i < 16; i++)
		m.digest[i] = (uint8_t)(0xa0 + i);
	m.link = 1;
	strcpy(m.node, "R1");
	strcpy(m.group, "cluster1");
	m.bitmap[0] = 0x05; /* monitors 0 and 2 */

	static const uint8_t want[68] = {
		'T',  'C',  'H',  'B',  0x01, 0x01, 0x00, 0x64,		/* magic, v1, heartbeat, length 100 */
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,		/* generation */
		0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,		/* sequence */
		0x01, 0x03, 0x00, 0x03,					/* primary, active, forced|auto-failback */
		0x00, 0x00, 0x07, 0xd0,					/* keepalive 2000 ms */
		0x00, 0x03, 0x00, 0x02,					/* 3 monitors, 2 reachable */
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,		/* digest */
		0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		0x01, 0x02, 0x08, 0x00,					/* link 1, name lengths 2 and 8, reserved */
		'R',  '1',						/* node */
		'c',  'l',  'u',  's',  't',  'e',  'r',  '1',		/* group */
		0x05,							/* bitmap: monitors 0 and 2 */
		0x00,							/* 67 bytes so far: one byte of padding */
	};
	/* HMAC-SHA-256("!secret!", want), computed outside OpenSSL (Python's hmac module). */
	static const uint8_t want_mac[32] = {
		0xac, 0x33, 0x75, 0x3b, 0x62, 0xcc, 0x4d, 0xb4, 0x26, 0x70, 0x5a, 0x23, 0xf0, 0xa8, 0xe1, 0x37,
		0xeb, 0x84, 0xfd, 0x0c, 0xc5, 0x3d, 0xd3, 0x43, 0x8b, 0x91, 0x33, 0xdd, 0x12, 0x1f, 0x1f, 0xd7,
	};
	uint8_t buf[CHB_MAX_LEN], mac[32];
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), 100);
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	ref_mac(KEY, KEY_LEN, want, sizeof(want), mac);
	CHECK(memcmp(mac, want_mac, 32) == 0);
	CHECK(memcmp(buf + 68, mac, 32) == 0);
	CHECK_EQ(buf[100], 0xee); /* nothing written past the datagram */

	struct chb_msg got;
	CHECK_EQ(chb_decode(buf, 100, KEY, KEY_LEN, &got), CHB_OK);
	CHECK(memcmp(&m, &got, sizeof(m)) == 0);
	/* The exact capacity is enough; one byte less is not. */
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, 100), 100);
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, 99), -ENOSPC);
}

static int encode_with(void (*edit)(struct chb_msg *))
{
	struct chb_msg m = full();
	uint8_t buf[CHB_MAX_LEN];
	edit(&m);
	return chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf));
}

static void node_empty(struct chb_msg *m) { m->node[0] = 0; }
static void node_64(struct chb_msg *m) { memset(m->node, 'x', 64); }
static void node_tab(struct chb_msg *m) { m->node[1] = '\t'; }
static void group_unterminated(struct chb_msg *m) { memset(m->group, 'g', sizeof(m->group)); }
static void group_high_bit(struct chb_msg *m) { m->group[0] = (char)0xc3; }
static void role_zero(struct chb_msg *m) { m->role = 0; }
static void state_five(struct chb_msg *m) { m->state = 5; }
static void flag_unknown(struct chb_msg *m) { m->flags |= 0x10; }
static void monitors_257(struct chb_msg *m) { m->monitors_total = 257; }
static void reachable_wrong(struct chb_msg *m) { m->monitors_reachable = 5; }
static void bit_past_n(struct chb_msg *m) { m->bitmap[1] |= 0x04; m->monitors_reachable = 5; }
static void bit_far_past_n(struct chb_msg *m) { m->bitmap[31] = 0x80; m->monitors_reachable = 5; }
static void group_64(struct chb_msg *m) { memset(m->group, 'g', 64); }

static void encode_rejects_invalid_messages(void)
{
	CHECK_EQ(encode_with(node_empty), -EINVAL);
	CHECK_EQ(encode_with(node_64), -EINVAL);
	CHECK_EQ(encode_with(node_tab), -EINVAL);
	CHECK_EQ(encode_with(group_unterminated), -EINVAL);
	CHECK_EQ(encode_with(group_high_bit), -EINVAL);
	CHECK_EQ(encode_with(role_zero), -EINVAL);
	CHECK_EQ(encode_with(state_five), -EINVAL);
	CHECK_EQ(encode_with(flag_unknown), -EINVAL);
	CHECK_EQ(encode_with(monitors_257), -EINVAL);
	CHECK_EQ(encode_with(reachable_wrong), -EINVAL);
	CHECK_EQ(encode_with(bit_past_n), -EINVAL);
	CHECK_EQ(encode_with(bit_far_past_n), -EINVAL);
	CHECK(encode_with(group_64) > 0); /* 64 is the group's limit, 63 the node's */
	struct chb_msg m = full();
	uint8_t buf[8];
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), -ENOSPC);
}

static void header_verdicts(void)
{
	uint8_t buf[CHB_MAX_LEN + 8];
	size_t n = encode_full(buf, sizeof(buf));
	struct chb_msg got;
	CHECK_EQ(chb_decode(buf, 0, KEY, KEY_LEN, &got), CHB_SHORT);
	CHECK_EQ(chb_decode(buf, CHB_MIN_LEN - 1, KEY, KEY_LEN, &got), CHB_SHORT);
	/* Each header fault, even on a datagram signed after the fault, is named as such. */
	buf[0] = 'X';
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAGIC);
	n = encode_full(buf, sizeof(buf));
	buf[4] = 2;
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_VERSION);
	n = encode_full(buf, sizeof(buf));
	buf[5] = 2;
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_TYPE);
	/* Header length differing from the datagram's. */
	n = encode_full(buf, sizeof(buf));
	buf[7] += 4;
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	/* Truncated, and with 4 more bytes, an intact header says otherwise. */
	n = encode_full(buf, sizeof(buf));
	CHECK_EQ(chb_decode(buf, n - 4, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	CHECK_EQ(chb_decode(buf, n - 1, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	memset(buf + n, 0, 4);
	CHECK_EQ(chb_decode(buf, n + 4, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	/* Consistent header and datagram, but unaligned or past the maximum: refused before the MAC. */
	buf[6] = 0;
	buf[7] = (uint8_t)(n + 1);
	CHECK_EQ(chb_decode(buf, n + 1, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	uint8_t big[CHB_MAX_LEN + 4];
	memset(big, 0, sizeof(big));
	memcpy(big, buf, CHB_FIXED_LEN);
	big[6] = 0;
	big[7] = (uint8_t)sizeof(big);
	CHECK_EQ(chb_decode(big, sizeof(big), KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	/* The good datagram itself is fine. */
	n = encode_full(buf, sizeof(buf));
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_OK);
}

/* Edits byte `at` of the full heartbeat, signs it again and decodes it. */
static enum chb_verdict signed_with(size_t at, uint8_t value)
{
	uint8_t buf[CHB_MAX_LEN];
	size_t n = encode_full(buf, sizeof(buf));
	struct chb_msg got;
	buf[at] = value;
	resign(buf, n);
	return chb_decode(buf, n, KEY, KEY_LEN, &got);
}

static void body_verdicts_after_mac(void)
{
	/* Layout of full(): names at 56 (13) and 69 (13), bitmap at 82 (2), no padding, MAC at 84. */
	CHECK_EQ(signed_with(55, 1), CHB_BAD_LENGTH);    /* reserved byte */
	CHECK_EQ(signed_with(53, 0), CHB_BAD_LENGTH);    /* empty node name */
	CHECK_EQ(signed_with(54, 0), CHB_BAD_LENGTH);    /* empty group name */
	CHECK_EQ(signed_with(53, 64), CHB_BAD_LENGTH);   /* node name too long */
	CHECK_EQ(signed_with(54, 65), CHB_BAD_LENGTH);   /* group name too long */
	/* Node name one shorter: 56 + 12 + 13 + 2 still pads to 84, but every later field shifts by one
	 * and the bitmap's last byte lands in the padding. */
	CHECK_EQ(signed_with(53, 12), CHB_BAD_LENGTH);
	CHECK_EQ(signed_with(53, 17), CHB_BAD_LENGTH);   /* one 4-byte block too many */
	CHECK_EQ(signed_with(33, 17), CHB_BAD_LENGTH);   /* 17 monitors: 3 bitmap bytes, 88 ≠ 84 */
	CHECK_EQ(signed_with(32, 1), CHB_BAD_LENGTH);    /* 266 monitors */
	CHECK_EQ(signed_with(57, 0x7f), CHB_BAD_LENGTH); /* DEL in the node name */
	CHECK_EQ(signed_with(57, 0), CHB_BAD_LENGTH);    /* NUL in the node name */
	CHECK_EQ(signed_with(70, 0x80), CHB_BAD_LENGTH); /* non-ASCII in the group name */
	CHECK_EQ(signed_with(83, 0x06), CHB_BAD_LENGTH); /* monitor 10 of 10 */
	/* Well-formed and authenticated but meaningless values. */
	CHECK_EQ(signed_with(24, 0), CHB_BAD_FIELD);  /* role */
	CHECK_EQ(signed_with(24, 3), CHB_BAD_FIELD);
	CHECK_EQ(signed_with(25, 5), CHB_BAD_FIELD);  /* state */
	CHECK_EQ(signed_with(26, 0x80), CHB_BAD_FIELD); /* flag bit 15 */
	CHECK_EQ(signed_with(27, 0x1b), CHB_BAD_FIELD); /* flag bit 4 */
	CHECK_EQ(signed_with(35, 5), CHB_BAD_FIELD);  /* 5 reachable, 4 bits set */
	CHECK_EQ(signed_with(35, 11), CHB_BAD_FIELD); /* more reachable than monitors */
	CHECK_EQ(signed_with(82, 0x0f), CHB_BAD_FIELD); /* 5 bits set, 4 reachable */
	/* Values the codec does not judge. */
	CHECK_EQ(signed_with(25, CHB_STATE_RELEASING), CHB_OK);
	CHECK_EQ(signed_with(52, 0xff), CHB_OK); /* link index */
	CHECK_EQ(signed_with(56, ' '), CHB_OK);  /* printable includes the space */
}

static void body_padding_must_be_zero(void)
{
	/* "R1"/"cluster1"/3 monitors from the golden test: one padding byte at 67. */
	struct chb_msg m = full(), got;
	strcpy(m.node, "R1");
	strcpy(m.group, "cluster1");
	m.monitors_total = 3;
	m.monitors_reachable = 2;
	m.bitmap[0] = 0x05;
	m.bitmap[1] = 0;
	uint8_t buf[CHB_MAX_LEN];
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), 100);
	CHECK_EQ(chb_decode(buf, 100, KEY, KEY_LEN, &got), CHB_OK);
	buf[67] = 1;
	resign(buf, 100);
	CHECK_EQ(chb_decode(buf, 100, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	buf[67] = 0;
	buf[66] = 0x0d; /* monitor 3 of 3 */
	resign(buf, 100);
	CHECK_EQ(chb_decode(buf, 100, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
}

static void lengths_must_fill_the_datagram(void)
{
	/* Names "a" and "b", no monitors: 58 bytes, padded to 60. Four more zero bytes before the MAC,
	 * header length to match: every byte is in order except that the lengths do not add up. */
	struct chb_msg m, got;
	memset(&m, 0, sizeof(m));
	m.role = CHB_ROLE_PRIMARY;
	strcpy(m.node, "a");
	strcpy(m.group, "b");
	uint8_t buf[CHB_MAX_LEN];
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), 92);
	memset(buf + 60, 0, 4);
	buf[7] = 96;
	resign(buf, 96);
	CHECK_EQ(chb_decode(buf, 96, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
	/* Node name length 4 claims the group name and two padding bytes: 56 + 4 + 1 pads to 64, not 60. */
	CHECK_EQ(chb_encode(&m, KEY, KEY_LEN, buf, sizeof(buf)), 92);
	buf[53] = 4;
	resign(buf, 92);
	CHECK_EQ(chb_decode(buf, 92, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
}

static void bad_mac(void)
{
	uint8_t buf[CHB_MAX_LEN];
	size_t n = encode_full(buf, sizeof(buf));
	struct chb_msg got;
	static const uint8_t other[] = "!secret?";
	CHECK_EQ(chb_decode(buf, n, other, sizeof(other) - 1, &got), CHB_BAD_MAC);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN - 1, &got), CHB_BAD_MAC); /* a prefix of the key */
	CHECK_EQ(chb_decode(buf, n, NULL, 0, &got), CHB_BAD_MAC);
	buf[17] ^= 0x01; /* one bit of the sequence */
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAC);
	buf[17] ^= 0x01;
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_OK);
	buf[n - 1] ^= 0x80; /* one bit of the MAC */
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAC);
	buf[n - 1] ^= 0x80;
	buf[n - CHB_MAC_LEN] ^= 0x01;
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAC);
}

static void mac_checked_before_names(void)
{
	uint8_t buf[CHB_MAX_LEN];
	size_t n = encode_full(buf, sizeof(buf));
	struct chb_msg got;
	/* Garbage name lengths, reserved byte, monitor count and names: not signed, so not authentic —
	 * the verdict is the MAC's, whatever the body says. */
	buf[53] = 0;
	buf[54] = 200;
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAC);
	buf[55] = 0xff;
	buf[32] = 0xff;
	memset(buf + CHB_FIXED_LEN, 0, 26);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_MAC);
	/* The same bytes signed: now they are parsed, and refused as malformed. */
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_LENGTH);
}

static void decode_writes_nothing_unless_ok(void)
{
	uint8_t buf[CHB_MAX_LEN];
	size_t n = encode_full(buf, sizeof(buf));
	struct chb_msg got, untouched;
	memset(&got, 0x5a, sizeof(got));
	memcpy(&untouched, &got, sizeof(got));
	buf[24] = 7;
	resign(buf, n);
	CHECK_EQ(chb_decode(buf, n, KEY, KEY_LEN, &got), CHB_BAD_FIELD);
	CHECK(memcmp(&got, &untouched, sizeof(got)) == 0);
	CHECK_EQ(chb_decode(buf, n, NULL, 0, &got), CHB_BAD_MAC);
	CHECK(memcmp(&got, &untouched, sizeof(got)) == 0);
}

static void verdict_names(void)
{
	const char *want[] = { "ok", "short", "bad_magic", "bad_version", "bad_type", "bad_length", "bad_mac",
			       "bad_field" };
	CHECK_EQ(sizeof(want) / sizeof(want[0]), CHB_VERDICT_MAX);
	for (int v = 0; v < CHB_VERDICT_MAX; v++)
		CHECK(strcmp(chb_verdict_name((enum chb_verdict)v), want[v]) == 0);
	CHECK(strcmp(chb_verdict_name(CHB_VERDICT_MAX), "unknown") == 0);
	CHECK(strcmp(chb_replay_name(CHB_FRESH), "fresh") == 0);
	CHECK(strcmp(chb_replay_name(CHB_SAME_ROUND), "same_round") == 0);
	CHECK(strcmp(chb_replay_name(CHB_REPLAY), "replay") == 0);
}

static void replay_rule(void)
{
	struct chb_peer_seq last = { 0 };
	/* The first heartbeat is fresh whatever it carries, even (0, 0). */
	CHECK_EQ(chb_replay_check(&last, 0, 0), CHB_FRESH);
	CHECK(last.known && last.generation == 0 && last.sequence == 0);
	CHECK_EQ(chb_replay_check(&last, 0, 0), CHB_SAME_ROUND);
	memset(&last, 0, sizeof(last));
	CHECK_EQ(chb_replay_check(&last, 5, 100), CHB_FRESH);
	CHECK(last.known && last.generation == 5 && last.sequence == 100);
	/* Next round, then the same round on the second link. */
	CHECK_EQ(chb_replay_check(&last, 5, 101), CHB_FRESH);
	CHECK_EQ(last.sequence, 101);
	CHECK_EQ(chb_replay_check(&last, 5, 101), CHB_SAME_ROUND);
	CHECK(last.generation == 5 && last.sequence == 101);
	/* A gap is fine; going back is not. */
	CHECK_EQ(chb_replay_check(&last, 5, 200), CHB_FRESH);
	CHECK_EQ(chb_replay_check(&last, 5, 199), CHB_REPLAY);
	CHECK_EQ(chb_replay_check(&last, 5, 0), CHB_REPLAY);
	CHECK(last.generation == 5 && last.sequence == 200);
	/* An older generation is a replay even with a higher sequence. */
	CHECK_EQ(chb_replay_check(&last, 4, 1000000), CHB_REPLAY);
	CHECK_EQ(chb_replay_check(&last, 4, 200), CHB_REPLAY);
	CHECK(last.generation == 5 && last.sequence == 200);
	/* The peer restarted: a new generation starts over at a low sequence. */
	CHECK_EQ(chb_replay_check(&last, 6, 1), CHB_FRESH);
	CHECK(last.generation == 6 && last.sequence == 1);
	CHECK_EQ(chb_replay_check(&last, 6, 1), CHB_SAME_ROUND);
	CHECK_EQ(chb_replay_check(&last, 5, 201), CHB_REPLAY);
	CHECK_EQ(chb_replay_check(&last, 6, 2), CHB_FRESH);
	/* The extremes. */
	CHECK_EQ(chb_replay_check(&last, UINT64_MAX, 0), CHB_FRESH);
	CHECK_EQ(chb_replay_check(&last, UINT64_MAX, UINT64_MAX), CHB_FRESH);
	CHECK_EQ(chb_replay_check(&last, UINT64_MAX, UINT64_MAX - 1), CHB_REPLAY);
}

static const struct check_case cases[] = {
	{ "full_round_trip", full_round_trip },
	{ "largest_and_smallest_round_trip", largest_and_smallest_round_trip },
	{ "golden_bytes_and_mac", golden_bytes_and_mac },
	{ "encode_rejects_invalid_messages", encode_rejects_invalid_messages },
	{ "header_verdicts", header_verdicts },
	{ "body_verdicts_after_mac", body_verdicts_after_mac },
	{ "body_padding_must_be_zero", body_padding_must_be_zero },
	{ "lengths_must_fill_the_datagram", lengths_must_fill_the_datagram },
	{ "bad_mac", bad_mac },
	{ "mac_checked_before_names", mac_checked_before_names },
	{ "decode_writes_nothing_unless_ok", decode_writes_nothing_unless_ok },
	{ "verdict_names", verdict_names },
	{ "replay_rule", replay_rule },
};

CHECK_MAIN(cases)
