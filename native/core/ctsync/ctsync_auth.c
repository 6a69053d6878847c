#include "ctsync_auth.h"

#include <string.h>

#include "tdm_bytes.h"
#include "tdm_hmac.h"

static const uint8_t MAGIC[4] = { 'T', 'D', 'A', '1' };

void cts_auth_init(struct cts_auth *a, const uint8_t *secret, size_t secret_len, uint64_t epoch)
{
	memset(a, 0, sizeof(*a));
	if (secret_len > CTS_AUTH_SECRET_MAX)
		secret_len = CTS_AUTH_SECRET_MAX;
	memcpy(a->secret, secret, secret_len);
	a->secret_len = secret_len;
	a->epoch = epoch;
}

/* The tag over everything before it: payload and the trailer's first 20 bytes. */
static int tag(const struct cts_auth *a, const uint8_t *buf, size_t signed_len, uint8_t out[CTS_AUTH_TAG_LEN])
{
	uint8_t mac[TDM_HMAC_SHA256_LEN];

	if (tdm_hmac_sha256(a->secret, a->secret_len, buf, signed_len, mac))
		return -1;
	memcpy(out, mac, CTS_AUTH_TAG_LEN);
	return 0;
}

size_t cts_auth_seal(struct cts_auth *a, uint8_t *buf, size_t len, size_t cap)
{
	if (cap < len + CTS_AUTH_TRAILER)
		return 0;
	memcpy(buf + len, MAGIC, 4);
	put64(buf + len + 4, a->epoch);
	put64(buf + len + 12, ++a->counter);
	if (tag(a, buf, len + 20, buf + len + 20))
		return 0;
	return len + CTS_AUTH_TRAILER;
}

static struct cts_auth_peer *peer_of(struct cts_auth *a, uint32_t addr)
{
	struct cts_auth_peer *free_slot = NULL, *oldest = &a->peers[0];

	for (int i = 0; i < CTS_AUTH_PEERS; i++) {
		struct cts_auth_peer *p = &a->peers[i];
		if (p->addr == addr)
			return p;
		if (!p->addr && !free_slot)
			free_slot = p;
		if (p->epoch < oldest->epoch)
			oldest = p;
	}
	/* More senders than slots (a misconfigured segment): the least recent epoch makes room. */
	struct cts_auth_peer *p = free_slot ? free_slot : oldest;
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	return p;
}

enum cts_auth_verdict cts_auth_open(struct cts_auth *a, uint32_t addr, const uint8_t *buf, size_t len,
				    size_t *payload_len)
{
	uint8_t want[CTS_AUTH_TAG_LEN];

	if (len < CTS_AUTH_TRAILER || memcmp(buf + len - CTS_AUTH_TRAILER, MAGIC, 4) != 0)
		return CTS_AUTH_MISSING;
	size_t body = len - CTS_AUTH_TRAILER;
	const uint8_t *t = buf + body;
	/* The MAC first: nothing unauthenticated touches the replay state. */
	if (tag(a, buf, body + 20, want) || !tdm_mac_equal(want, t + 20, CTS_AUTH_TAG_LEN))
		return CTS_AUTH_BAD;
	uint64_t epoch = get64(t + 4), counter = get64(t + 12);
	struct cts_auth_peer *p = peer_of(a, addr);

	if (epoch < p->epoch)
		return CTS_AUTH_REPLAY;
	if (epoch > p->epoch) { /* the sender restarted: a new window */
		p->epoch = epoch;
		p->top = counter;
		p->window = 1;
	} else if (counter > p->top) {
		uint64_t shift = counter - p->top;
		p->window = shift >= 64 ? 1 : (p->window << shift) | 1;
		p->top = counter;
	} else {
		uint64_t back = p->top - counter;
		if (back >= 64 || (p->window >> back) & 1)
			return CTS_AUTH_REPLAY;
		p->window |= (uint64_t)1 << back;
	}
	*payload_len = body;
	return CTS_AUTH_OK;
}
