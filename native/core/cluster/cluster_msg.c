#include "cluster_msg.h"
#include "tdm_bytes.h"
#include "tdm_hmac.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

_Static_assert(CHB_MAC_LEN == TDM_HMAC_SHA256_LEN, "heartbeats carry the whole HMAC-SHA-256");

/* Offsets of the fixed part. */
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_TYPE 5
#define OFF_LENGTH 6
#define OFF_GENERATION 8
#define OFF_SEQUENCE 16
#define OFF_ROLE 24
#define OFF_STATE 25
#define OFF_FLAGS 26
#define OFF_KEEPALIVE 28
#define OFF_MON_TOTAL 32
#define OFF_MON_REACHABLE 34
#define OFF_DIGEST 36
#define OFF_LINK 52
#define OFF_NODE_LEN 53
#define OFF_GROUP_LEN 54
#define OFF_RESERVED 55

const char *chb_verdict_name(enum chb_verdict v)
{
	switch (v) {
	case CHB_OK: return "ok";
	case CHB_SHORT: return "short";
	case CHB_BAD_MAGIC: return "bad_magic";
	case CHB_BAD_VERSION: return "bad_version";
	case CHB_BAD_TYPE: return "bad_type";
	case CHB_BAD_LENGTH: return "bad_length";
	case CHB_BAD_MAC: return "bad_mac";
	case CHB_BAD_FIELD: return "bad_field";
	case CHB_VERDICT_MAX: break;
	}
	return "unknown";
}

const char *chb_replay_name(enum chb_replay r)
{
	switch (r) {
	case CHB_FRESH: return "fresh";
	case CHB_SAME_ROUND: return "same_round";
	case CHB_REPLAY: return "replay";
	}
	return "unknown";
}


static size_t bitmap_len(unsigned n) { return (n + 7u) / 8u; }

/* Bytes before the MAC: fixed part, names, bitmap, zero padding to a multiple of 4. */
static size_t body_len(unsigned a, unsigned b, unsigned n)
{
	return (CHB_FIXED_LEN + a + b + bitmap_len(n) + 3u) & ~(size_t)3u;
}

static int printable(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* Length of a NUL-terminated name of 1..max printable characters in a buffer of max + 1, or 0. */
static size_t name_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n])
		n++;
	return n >= 1 && n <= max && printable((const uint8_t *)s, n) ? n : 0;
}

static unsigned popcount(const uint8_t *bm, size_t len)
{
	unsigned c = 0;
	for (size_t i = 0; i < len; i++)
		for (uint8_t v = bm[i]; v; v &= (uint8_t)(v - 1))
			c++;
	return c;
}

/* Bitmap bits at or past n: the unused high bits of the last byte and any byte after it. */
static int stray_bits(const uint8_t *bm, size_t len, unsigned n)
{
	for (size_t i = 0; i < len; i++) {
		unsigned first = (unsigned)i * 8u;
		uint8_t used = first >= n ? 0 : n - first >= 8 ? 0xff : (uint8_t)((1u << (n - first)) - 1u);
		if (bm[i] & (uint8_t)~used)
			return 1;
	}
	return 0;
}

/* The fields that carry meaning but no structure (CHB_BAD_FIELD / -EINVAL). */
static int fields_valid(uint8_t role, uint8_t state, uint16_t flags, uint16_t reachable, const uint8_t *bm,
			unsigned n)
{
	return (role == CHB_ROLE_PRIMARY || role == CHB_ROLE_SECONDARY) && state <= CHB_STATE_RELEASING &&
	       !(flags & (uint16_t)~CHB_F_ALL) && reachable <= n && popcount(bm, bitmap_len(n)) == reachable;
}

int chb_encode(const struct chb_msg *m, const uint8_t *key, size_t key_len, uint8_t *out, size_t cap)
{
	size_t a = name_len(m->node, CHB_NODE_MAX), b = name_len(m->group, CHB_GROUP_MAX);
	unsigned n = m->monitors_total;

	if (!a || !b || n > CHB_MONITORS_MAX || key_len > INT_MAX)
		return -EINVAL;
	if (stray_bits(m->bitmap, sizeof(m->bitmap), n) ||
	    !fields_valid(m->role, m->state, m->flags, m->monitors_reachable, m->bitmap, n))
		return -EINVAL;
	size_t body = body_len((unsigned)a, (unsigned)b, n), total = body + CHB_MAC_LEN;
	if (cap < total)
		return -ENOSPC;

	memcpy(out + OFF_MAGIC, CHB_MAGIC, 4);
	out[OFF_VERSION] = CHB_VERSION;
	out[OFF_TYPE] = CHB_TYPE_HEARTBEAT;
	put16(out + OFF_LENGTH, (uint16_t)total);
	put64(out + OFF_GENERATION, m->generation);
	put64(out + OFF_SEQUENCE, m->sequence);
	out[OFF_ROLE] = m->role;
	out[OFF_STATE] = m->state;
	put16(out + OFF_FLAGS, m->flags);
	put32(out + OFF_KEEPALIVE, m->keepalive_ms);
	put16(out + OFF_MON_TOTAL, m->monitors_total);
	put16(out + OFF_MON_REACHABLE, m->monitors_reachable);
	memcpy(out + OFF_DIGEST, m->digest, sizeof(m->digest));
	out[OFF_LINK] = m->link;
	out[OFF_NODE_LEN] = (uint8_t)a;
	out[OFF_GROUP_LEN] = (uint8_t)b;
	out[OFF_RESERVED] = 0;

	uint8_t *p = out + CHB_FIXED_LEN;
	memcpy(p, m->node, a);
	p += a;
	memcpy(p, m->group, b);
	p += b;
	memcpy(p, m->bitmap, bitmap_len(n));
	p += bitmap_len(n);
	memset(p, 0, (size_t)(out + body - p));

	int err = tdm_hmac_sha256(key, key_len, out, body, out + body);
	return err < 0 ? err : (int)total;
}

enum chb_verdict chb_decode(const uint8_t *buf, size_t len, const uint8_t *key, size_t key_len,
			    struct chb_msg *out)
{
	/* 1. What can be checked without the key. */
	if (len < CHB_MIN_LEN)
		return CHB_SHORT;
	if (memcmp(buf + OFF_MAGIC, CHB_MAGIC, 4) != 0)
		return CHB_BAD_MAGIC;
	if (buf[OFF_VERSION] != CHB_VERSION)
		return CHB_BAD_VERSION;
	if (buf[OFF_TYPE] != CHB_TYPE_HEARTBEAT)
		return CHB_BAD_TYPE;
	if (get16(buf + OFF_LENGTH) != len || len > CHB_MAX_LEN || len % 4)
		return CHB_BAD_LENGTH;

	/* 2. Authentication, before anything of the body is trusted. An OpenSSL failure fails closed. */
	size_t body = len - CHB_MAC_LEN;
	uint8_t mac[CHB_MAC_LEN];
	if (tdm_hmac_sha256(key, key_len, buf, body, mac) < 0 || !tdm_mac_equal(mac, buf + body, CHB_MAC_LEN))
		return CHB_BAD_MAC;

	/* 3. Structure: names, bitmap and padding must fill the datagram exactly. */
	unsigned a = buf[OFF_NODE_LEN], b = buf[OFF_GROUP_LEN], n = get16(buf + OFF_MON_TOTAL);
	if (buf[OFF_RESERVED] != 0 || a < 1 || a > CHB_NODE_MAX || b < 1 || b > CHB_GROUP_MAX ||
	    n > CHB_MONITORS_MAX || body_len(a, b, n) != body)
		return CHB_BAD_LENGTH;
	const uint8_t *node = buf + CHB_FIXED_LEN, *group = node + a, *bm = group + b, *pad = bm + bitmap_len(n);
	if (!printable(node, a) || !printable(group, b) || stray_bits(bm, bitmap_len(n), n))
		return CHB_BAD_LENGTH;
	for (const uint8_t *p = pad; p < buf + body; p++)
		if (*p)
			return CHB_BAD_LENGTH;

	/* 4. Values. */
	struct chb_msg m;
	memset(&m, 0, sizeof(m));
	m.generation = get64(buf + OFF_GENERATION);
	m.sequence = get64(buf + OFF_SEQUENCE);
	m.role = buf[OFF_ROLE];
	m.state = buf[OFF_STATE];
	m.flags = get16(buf + OFF_FLAGS);
	m.keepalive_ms = get32(buf + OFF_KEEPALIVE);
	m.monitors_total = (uint16_t)n;
	m.monitors_reachable = get16(buf + OFF_MON_REACHABLE);
	memcpy(m.digest, buf + OFF_DIGEST, sizeof(m.digest));
	m.link = buf[OFF_LINK];
	memcpy(m.node, node, a);
	memcpy(m.group, group, b);
	memcpy(m.bitmap, bm, bitmap_len(n));
	if (!fields_valid(m.role, m.state, m.flags, m.monitors_reachable, m.bitmap, n))
		return CHB_BAD_FIELD;
	memcpy(out, &m, sizeof(m)); /* padding bytes too: a decoded message compares with memcmp */
	return CHB_OK;
}

enum chb_replay chb_replay_check(struct chb_peer_seq *last, uint64_t generation, uint64_t sequence)
{
	if (last->known && generation == last->generation && sequence == last->sequence)
		return CHB_SAME_ROUND;
	if (last->known && (generation < last->generation ||
			    (generation == last->generation && sequence < last->sequence)))
		return CHB_REPLAY;
	last->generation = generation;
	last->sequence = sequence;
	last->known = 1;
	return CHB_FRESH;
}
