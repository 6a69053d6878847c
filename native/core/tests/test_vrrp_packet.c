/* The VRRP wire format: spec vrrp.md §1.3/1.4/1.6 vectors byte for byte, every step of the §1.11
 * receive pipeline provoked in order, and the §1.13 announcement frames field by field. IP headers
 * and checksums around the vectors are built here independently of the code under test. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "check.h"
#include "vrrp_packet.h"

/* ---- spec vectors ---- */

static const uint8_t v2_noauth[] = { 0x21, 0x63, 0x96, 0x01, 0x00, 0x01, 0x9c, 0x71, 0xac, 0x10,
				     0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t v2_release[] = { 0x21, 0x63, 0x00, 0x01, 0x00, 0x01, 0x32, 0x72, 0xac, 0x10,
				      0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t v2_plain[] = { 0x21, 0x63, 0x96, 0x01, 0x01, 0x01, 0x49, 0x35, 0xc0, 0x00,
				    0x02, 0x18, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00, 0x00 };
static const uint8_t v2_owner[] = { 0x21, 0x0a, 0xff, 0x01, 0x00, 0x01, 0xd3, 0xf4, 0x0a, 0x00,
				    0x01, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t v3_v4_b[] = { 0x31, 0x2a, 0x64, 0x01, 0x00, 0x64, 0x05, 0xad, 0xc0, 0x00, 0x02, 0x32 };
static const uint8_t v3_v4_a[] = { 0x31, 0x2a, 0x64, 0x01, 0x00, 0x64, 0xa8, 0x3d, 0xc0, 0x00, 0x02, 0x32 };
static const uint8_t v3_v6[] = { 0x31, 0x07, 0xc8, 0x02, 0x00, 0x64, 0x31, 0xe2, 0xfe, 0x80, 0x00, 0x00,
				 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
				 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				 0x00, 0x00, 0x00, 0x01 };
static const char v3_v6_src[] = "fe80::d436:21ff:fea6:b568";
static const uint8_t ah_packet[] = {
	/* IPv4 */
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0x18, 0xb6, 0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00,
	0x00, 0x12,
	/* AH */
	0x70, 0x04, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x12, 0xf1, 0xa7, 0x26, 0xda, 0x05,
	0x6e, 0x01, 0x65, 0xed, 0x41, 0xa6,
	/* VRRP */
	0x21, 0x01, 0xc8, 0x01, 0x02, 0x01, 0x51, 0xfd, 0xc0, 0x00, 0x02, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00
};

/* ---- helpers ---- */

struct pkt {
	uint8_t b[600];
	size_t len;
};

static struct vrrp_ip ip(const char *s)
{
	struct vrrp_ip a = { { 0 } };

	CHECK(inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, a.b) == 1);
	return a;
}

/* A group: version, VRID, interval, auth type, password (or NULL), then VIPs ending with NULL. */
static struct vrrp_wire_group grp(uint8_t version, uint8_t vrid, uint16_t interval, uint8_t auth, const char *pw,
				  ...)
{
	struct vrrp_wire_group g;
	va_list ap;
	const char *vip;

	memset(&g, 0, sizeof(g));
	g.version = version;
	g.vrid = vrid;
	g.interval = interval;
	g.auth_type = auth;
	g.family = VRRP_IPV4;
	if (pw)
		memcpy(g.password, pw, strlen(pw));
	va_start(ap, pw);
	while ((vip = va_arg(ap, const char *)) != NULL) {
		if (strchr(vip, ':'))
			g.family = VRRP_IPV6;
		g.vips[g.vip_count++] = ip(vip);
	}
	va_end(ap);
	return g;
}

static struct vrrp_wire_group g_noauth(void)
{
	return grp(2, 99, 1, VRRP_AUTH_NONE, NULL, "172.16.0.24", NULL);
}

static struct vrrp_wire_group g_plain(void)
{
	return grp(2, 99, 1, VRRP_AUTH_PASSWORD, "secret", "192.0.2.24", NULL);
}

static struct vrrp_wire_group g_owner(void)
{
	return grp(2, 10, 1, VRRP_AUTH_NONE, NULL, "10.0.1.254", NULL);
}

static struct vrrp_wire_group g_v3v4(void)
{
	return grp(3, 42, 100, VRRP_AUTH_NONE, NULL, "192.0.2.50", NULL);
}

static struct vrrp_wire_group g_v3v6(void)
{
	return grp(3, 7, 100, VRRP_AUTH_NONE, NULL, "fe80::1", "2001:db8::1", NULL);
}

static struct vrrp_wire_group g_ah(void)
{
	return grp(2, 1, 1, VRRP_AUTH_AH, "YOGHURT", "192.0.2.254", NULL);
}

static struct vrrp_tx tx(uint8_t prio, const char *src)
{
	struct vrrp_tx t = { .priority = prio, .ip_id = 1, .ah_seq = 1 };

	t.src = ip(src);
	return t;
}

/* Reference RFC 1071 checksum, kept apart from the module's own. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint64_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void fix_ip4(struct pkt *p)
{
	size_t ihl = (size_t)(p->b[0] & 0x0f) * 4;

	p->b[10] = p->b[11] = 0;
	uint16_t c = ref_csum(p->b, ihl);
	p->b[10] = (uint8_t)(c >> 8);
	p->b[11] = (uint8_t)c;
}

/* v2 and v3-form-A checksums cover the message only. */
static void fix_msg_csum(uint8_t *msg, size_t len)
{
	msg[6] = msg[7] = 0;
	uint16_t c = ref_csum(msg, len);
	msg[6] = (uint8_t)(c >> 8);
	msg[7] = (uint8_t)c;
}

static struct pkt wrap4(const uint8_t *msg, size_t len, const char *src)
{
	struct pkt p = { { 0 }, 20 + len };
	struct vrrp_ip s = ip(src);

	p.b[0] = 0x45;
	p.b[1] = 0xc0;
	p.b[2] = (uint8_t)(p.len >> 8);
	p.b[3] = (uint8_t)p.len;
	p.b[5] = 7; /* ID */
	p.b[8] = 255;
	p.b[9] = 112;
	memcpy(p.b + 12, s.b, 4);
	p.b[16] = 224;
	p.b[19] = 18;
	memcpy(p.b + 20, msg, len);
	fix_ip4(&p);
	return p;
}

static struct pkt wrap6(const uint8_t *msg, size_t len, const char *src)
{
	struct pkt p = { { 0 }, 40 + len };
	struct vrrp_ip s = ip(src), d = ip("ff02::12");

	p.b[0] = 0x6c; /* version 6, traffic class 0xc0 */
	p.b[4] = (uint8_t)(len >> 8);
	p.b[5] = (uint8_t)len;
	p.b[6] = 112;
	p.b[7] = 255;
	memcpy(p.b + 8, s.b, 16);
	memcpy(p.b + 24, d.b, 16);
	memcpy(p.b + 40, msg, len);
	return p;
}

static struct vrrp_rx_ip6_meta meta6(const char *src)
{
	struct vrrp_rx_ip6_meta m = { .hop_limit = 255 };

	m.src = ip(src);
	m.dst = ip("ff02::12");
	return m;
}

static enum vrrp_rx_verdict rx(const struct pkt *p, const struct vrrp_wire_group *g, struct vrrp_rx_advert *out)
{
	struct vrrp_group_table t = { g, g ? 1 : 0 };

	return vrrp_rx_check(p->b, p->len, vrrp_group_table_lookup, &t, out);
}

static enum vrrp_rx_verdict rx6(const struct vrrp_rx_ip6_meta *m, const uint8_t *msg, size_t len,
				const struct vrrp_wire_group *g, struct vrrp_rx_advert *out)
{
	struct vrrp_group_table t = { g, 1 };

	return vrrp_rx_check_ip6_payload(m, msg, len, vrrp_group_table_lookup, &t, out);
}

#define EXPECT_DROP(p, g, verdict, stepno)                                     \
	do {                                                                   \
		struct vrrp_rx_advert _adv;                                    \
		CHECK_EQ(rx((p), (g), &_adv), (verdict));                      \
		CHECK_EQ(_adv.step, (stepno));                                 \
	} while (0)

static struct pkt encode4(const struct vrrp_wire_group *g, const struct vrrp_tx *t)
{
	struct pkt p = { { 0 }, 0 };
	struct tdm_err err = { 0 };
	int n = vrrp_ipv4_advert_build(g, t, p.b, sizeof(p.b), &err);

	if (n < 0)
		fprintf(stderr, "%s\n", err.msg);
	CHECK(n > 0);
	p.len = (size_t)n;
	return p;
}

static void check_encodes(const struct vrrp_wire_group *g, const struct vrrp_tx *t, const uint8_t *want,
			  size_t len)
{
	uint8_t buf[VRRP_ADVERT_MAX];
	struct tdm_err err = { 0 };
	int n = vrrp_advert_encode(g, t, buf, sizeof(buf), &err);

	if (n < 0)
		fprintf(stderr, "%s\n", err.msg);
	CHECK_EQ(n, len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != want[i]) {
			fprintf(stderr, "byte %zu: %02x, want %02x\n", i, buf[i], want[i]);
			CHECK(0);
		}
}

/* ---- encoding ---- */

static void encode_v2_no_auth_vector(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct vrrp_tx t = tx(150, "172.16.0.1");

	check_encodes(&g, &t, v2_noauth, sizeof(v2_noauth));
}

static void encode_v2_release_vector(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct vrrp_tx t = tx(0, "172.16.0.1");

	check_encodes(&g, &t, v2_release, sizeof(v2_release));
}

static void encode_v2_plaintext_vector(void)
{
	struct vrrp_wire_group g = g_plain();
	struct vrrp_tx t = tx(150, "192.0.2.1");

	check_encodes(&g, &t, v2_plain, sizeof(v2_plain));
}

static void encode_v2_owner_vector(void)
{
	struct vrrp_wire_group g = g_owner();
	struct vrrp_tx t = tx(255, "10.0.1.254");

	g.owner = true;
	check_encodes(&g, &t, v2_owner, sizeof(v2_owner));
}

static void encode_v3_ipv4_form_b_vector(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct vrrp_tx t = tx(100, "192.0.2.1");

	t.csum_form = VRRP_CSUM_FORM_B;
	check_encodes(&g, &t, v3_v4_b, sizeof(v3_v4_b));
}

static void encode_v3_ipv4_form_a_vector(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct vrrp_tx t = tx(100, "192.0.2.1");

	t.csum_form = VRRP_CSUM_FORM_A;
	check_encodes(&g, &t, v3_v4_a, sizeof(v3_v4_a));
}

static void encode_v3_ipv6_vector(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct vrrp_tx t = tx(200, v3_v6_src);

	check_encodes(&g, &t, v3_v6, sizeof(v3_v6));
}

static void build_ah_packet_vector(void)
{
	struct vrrp_wire_group g = g_ah();
	struct vrrp_tx t = tx(200, "192.0.2.1");
	struct pkt p = encode4(&g, &t);

	CHECK_EQ(p.len, sizeof(ah_packet));
	for (size_t i = 0; i < p.len; i++)
		if (p.b[i] != ah_packet[i]) {
			fprintf(stderr, "byte %zu: %02x, want %02x\n", i, p.b[i], ah_packet[i]);
			CHECK(0);
		}
}

static void build_ipv4_header_fields(void)
{
	struct vrrp_wire_group g = g_plain();
	struct vrrp_tx t = tx(150, "192.0.2.1");
	struct pkt p;

	t.ip_id = 0xbeef;
	p = encode4(&g, &t);
	CHECK_EQ(p.len, 40);
	CHECK_EQ(p.b[0], 0x45);
	CHECK_EQ(p.b[1], 0xc0);
	CHECK_EQ(p.b[2] << 8 | p.b[3], 40);
	CHECK_EQ(p.b[4] << 8 | p.b[5], 0xbeef);
	CHECK_EQ(p.b[6], 0); /* DF clear, no fragment */
	CHECK_EQ(p.b[7], 0);
	CHECK_EQ(p.b[8], 255);
	CHECK_EQ(p.b[9], 112);
	CHECK_EQ(ref_csum(p.b, 20), 0);
	CHECK(memcmp(p.b + 12, "\xc0\x00\x02\x01", 4) == 0);
	CHECK(memcmp(p.b + 16, "\xe0\x00\x00\x12", 4) == 0);
	CHECK(memcmp(p.b + 20, v2_plain, sizeof(v2_plain)) == 0);
}

static void build_ipv6_header_fields(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct vrrp_tx t = tx(200, v3_v6_src);
	struct vrrp_ip s = ip(v3_v6_src), d = ip("ff02::12");
	struct tdm_err err = { 0 };
	uint8_t b[VRRP_IPV6_PACKET_MAX];

	CHECK_EQ(vrrp_ipv6_advert_build(&g, &t, b, sizeof(b), &err), 40 + sizeof(v3_v6));
	CHECK_EQ(b[0], 0x6c); /* version 6, traffic class 0xc0 */
	CHECK_EQ(b[1], 0x00);
	CHECK_EQ(b[2] | b[3], 0);
	CHECK_EQ(b[4] << 8 | b[5], sizeof(v3_v6));
	CHECK_EQ(b[6], 112);
	CHECK_EQ(b[7], 255);
	CHECK(memcmp(b + 8, s.b, 16) == 0);
	CHECK(memcmp(b + 24, d.b, 16) == 0);
	CHECK(memcmp(b + 40, v3_v6, sizeof(v3_v6)) == 0);
}

static void build_frame_ethernet_header(void)
{
	struct vrrp_wire_group g4 = g_ah(), g6 = g_v3v6();
	struct vrrp_tx t4 = tx(200, "192.0.2.1"), t6 = tx(200, v3_v6_src);
	struct tdm_err err = { 0 };
	uint8_t mac[6], b[VRRP_FRAME_MAX];

	vrrp_vmac(VRRP_IPV4, 1, mac);
	CHECK_EQ(vrrp_advert_frame_build(&g4, &t4, mac, b, sizeof(b), &err), 14 + sizeof(ah_packet));
	CHECK(memcmp(b, "\x01\x00\x5e\x00\x00\x12", 6) == 0);
	CHECK(memcmp(b + 6, mac, 6) == 0);
	CHECK_EQ(b[12] << 8 | b[13], 0x0800);
	CHECK(memcmp(b + 14, ah_packet, sizeof(ah_packet)) == 0);

	vrrp_vmac(VRRP_IPV6, 7, mac);
	CHECK_EQ(vrrp_advert_frame_build(&g6, &t6, mac, b, sizeof(b), &err), 14 + 40 + sizeof(v3_v6));
	CHECK(memcmp(b, "\x33\x33\x00\x00\x00\x12", 6) == 0);
	CHECK(memcmp(b + 6, mac, 6) == 0);
	CHECK_EQ(b[12] << 8 | b[13], 0x86dd);
	CHECK(memcmp(b + 54, v3_v6, sizeof(v3_v6)) == 0);
	CHECK_EQ(vrrp_advert_frame_build(&g6, &t6, mac, b, 14 + 40 + sizeof(v3_v6) - 1, &err), -ENOSPC);
}

static void encode_v3_interval_12_bits(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct vrrp_tx t = tx(100, "192.0.2.1");
	struct tdm_err err = { 0 };
	uint8_t b[VRRP_ADVERT_MAX];

	g.interval = 4095;
	CHECK_EQ(vrrp_advert_encode(&g, &t, b, sizeof(b), &err), 12);
	CHECK_EQ(b[4], 0x0f); /* reserved nibble zero */
	CHECK_EQ(b[5], 0xff);
	g.interval = 4096;
	CHECK_EQ(vrrp_advert_encode(&g, &t, b, sizeof(b), &err), -EINVAL);
}

static void expect_invalid(const struct vrrp_wire_group *g, const char *needle)
{
	struct vrrp_tx t = tx(100, "192.0.2.1");
	struct tdm_err err = { 0 };
	uint8_t b[VRRP_IPV4_PACKET_MAX];

	CHECK_EQ(vrrp_advert_encode(g, &t, b, sizeof(b), &err), -EINVAL);
	CHECK_EQ(err.code, -EINVAL);
	if (!strstr(err.msg, needle))
		fprintf(stderr, "message: %s\n", err.msg);
	CHECK(strstr(err.msg, needle) != NULL);
}

static void encode_rejects_invalid_groups(void)
{
	struct vrrp_wire_group g;

	g = g_noauth(), g.vrid = 0;
	expect_invalid(&g, "VRID 0");
	g = g_noauth(), g.vip_count = 0;
	expect_invalid(&g, "virtual addresses");
	g = g_noauth(), g.vip_count = VRRP_MAX_VIPS + 1;
	expect_invalid(&g, "virtual addresses");
	g = g_noauth(), g.interval = 0;
	expect_invalid(&g, "interval");
	g = g_noauth(), g.interval = 256;
	expect_invalid(&g, "interval");
	g = g_noauth(), g.auth_type = 3;
	expect_invalid(&g, "auth type");
	g = g_noauth(), g.version = 4;
	expect_invalid(&g, "version");
	g = g_v3v4(), g.auth_type = VRRP_AUTH_PASSWORD;
	expect_invalid(&g, "no authentication");
	g = g_v3v6(), g.version = 2, g.interval = 1;
	expect_invalid(&g, "IPv4 only");
	g = grp(3, 7, 100, VRRP_AUTH_NONE, NULL, "2001:db8::1", "fe80::1", NULL);
	expect_invalid(&g, "link-local");
	g = g_noauth(), g.family = 5;
	expect_invalid(&g, "family");
}

static void encode_rejects_small_buffer(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct vrrp_tx t = tx(150, "172.16.0.1");
	struct tdm_err err = { 0 };
	uint8_t b[64];

	CHECK_EQ(vrrp_advert_encode(&g, &t, b, 19, &err), -ENOSPC);
	CHECK_EQ(vrrp_ipv4_advert_build(&g, &t, b, 39, &err), -ENOSPC);
	CHECK(strstr(err.msg, "40 bytes") != NULL);
	CHECK_EQ(vrrp_ipv4_advert_build(&g, &t, b, 40, &err), 40);
}

static void build_rejects_zero_id_and_seq(void)
{
	struct vrrp_wire_group g = g_ah(), g6 = g_v3v6();
	struct vrrp_tx t = tx(200, "192.0.2.1");
	struct tdm_err err = { 0 };
	uint8_t b[VRRP_FRAME_MAX];

	t.ip_id = 0;
	CHECK_EQ(vrrp_ipv4_advert_build(&g, &t, b, sizeof(b), &err), -EINVAL);
	CHECK(strstr(err.msg, "identification") != NULL);
	t.ip_id = 1, t.ah_seq = 0;
	CHECK_EQ(vrrp_ipv4_advert_build(&g, &t, b, sizeof(b), &err), -EINVAL);
	CHECK(strstr(err.msg, "sequence") != NULL);
	CHECK_EQ(vrrp_ipv4_advert_build(&g6, &t, b, sizeof(b), &err), -EINVAL);
	CHECK_EQ(vrrp_ipv6_advert_build(&g, &t, b, sizeof(b), &err), -EINVAL);
	t.csum_form = 7;
	g = g_v3v4();
	CHECK_EQ(vrrp_advert_encode(&g, &t, b, sizeof(b), &err), -EINVAL);
}

/* ---- decoding ---- */

static void decode_v3_ipv6_vector_fields(void)
{
	struct vrrp_rx_advert a;
	struct vrrp_ip ll = ip("fe80::1"), glob = ip("2001:db8::1");

	CHECK_EQ(vrrp_advert_decode(VRRP_IPV6, v3_v6, sizeof(v3_v6), &a), 0);
	CHECK_EQ(a.version, 3);
	CHECK_EQ(a.type, 1);
	CHECK_EQ(a.vrid, 7);
	CHECK_EQ(a.priority, 200);
	CHECK_EQ(a.count, 2);
	CHECK_EQ(a.interval, 100);
	CHECK(memcmp(a.addrs[0].b, ll.b, 16) == 0);
	CHECK(memcmp(a.addrs[1].b, glob.b, 16) == 0);
}

static void decode_rejects_bad_lengths_and_versions(void)
{
	struct vrrp_rx_advert a;
	uint8_t m[64];

	CHECK_EQ(vrrp_advert_decode(VRRP_IPV4, v2_plain, sizeof(v2_plain), &a), 0);
	CHECK_EQ(a.auth_type, 1);
	CHECK_EQ(a.interval, 1);
	CHECK_EQ(vrrp_advert_decode(VRRP_IPV4, v2_plain, sizeof(v2_plain) - 1, &a), -EMSGSIZE);
	CHECK_EQ(vrrp_advert_decode(VRRP_IPV4, v2_plain, 1, &a), -EMSGSIZE);
	CHECK_EQ(vrrp_advert_decode(VRRP_IPV6, v2_plain, sizeof(v2_plain), &a), -EPROTO);
	CHECK_EQ(vrrp_advert_decode(VRRP_IPV4, v3_v6, sizeof(v3_v6), &a), -EMSGSIZE);
	memcpy(m, v2_plain, sizeof(v2_plain));
	m[0] = 0x11;
	CHECK_EQ(vrrp_advert_decode(VRRP_IPV4, m, sizeof(v2_plain), &a), -EPROTO);
	CHECK_EQ(vrrp_advert_decode(9, m, sizeof(v2_plain), &a), -EINVAL);
}

/* ---- the pipeline accepts every vector ---- */

static void rx_accepts_v2_no_auth(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	struct vrrp_rx_advert a;
	struct vrrp_ip src = ip("172.16.0.1"), vip = ip("172.16.0.24");

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.step, 17);
	CHECK(a.group == &g);
	CHECK_EQ(a.family, VRRP_IPV4);
	CHECK_EQ(a.version, 2);
	CHECK_EQ(a.vrid, 99);
	CHECK_EQ(a.priority, 150);
	CHECK_EQ(a.count, 1);
	CHECK_EQ(a.auth_type, 0);
	CHECK_EQ(a.interval, 1);
	CHECK_EQ(a.ttl, 255);
	CHECK_EQ(a.csum_form, VRRP_CSUM_FORM_A);
	CHECK(!a.has_ah);
	CHECK(!a.addr_list_mismatch);
	CHECK(memcmp(a.src.b, src.b, 16) == 0);
	CHECK(memcmp(a.addrs[0].b, vip.b, 16) == 0);
}

static void rx_accepts_v2_release(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_release, sizeof(v2_release), "172.16.0.1");
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.priority, 0);
}

static void rx_accepts_v2_plaintext(void)
{
	struct vrrp_wire_group g = g_plain();
	struct pkt p = wrap4(v2_plain, sizeof(v2_plain), "192.0.2.1");
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.auth_type, VRRP_AUTH_PASSWORD);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_NONE);
}

static void rx_accepts_v2_owner_sender(void)
{
	struct vrrp_wire_group g = g_owner();
	struct pkt p = wrap4(v2_owner, sizeof(v2_owner), "10.0.1.254");
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.priority, 255);
	CHECK(!a.addr_list_mismatch);
}

static void rx_accepts_v3_ipv4_form_b(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct pkt p = wrap4(v3_v4_b, sizeof(v3_v4_b), "192.0.2.1");
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.version, 3);
	CHECK_EQ(a.interval, 100);
	CHECK_EQ(a.csum_form, VRRP_CSUM_FORM_B);
}

static void rx_accepts_v3_ipv4_form_a(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct pkt p = wrap4(v3_v4_a, sizeof(v3_v4_a), "192.0.2.1");
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.csum_form, VRRP_CSUM_FORM_A);
}

static void rx_accepts_v3_ipv6_packet(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);
	struct vrrp_rx_advert a;
	struct vrrp_ip src = ip(v3_v6_src);

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.family, VRRP_IPV6);
	CHECK_EQ(a.vrid, 7);
	CHECK_EQ(a.priority, 200);
	CHECK_EQ(a.count, 2);
	CHECK_EQ(a.csum_form, VRRP_CSUM_FORM_B);
	CHECK(memcmp(a.src.b, src.b, 16) == 0);
}

static void rx_accepts_v3_ipv6_payload(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct vrrp_rx_ip6_meta m = meta6(v3_v6_src);
	struct vrrp_rx_advert a;

	CHECK_EQ(rx6(&m, v3_v6, sizeof(v3_v6), &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.ttl, 255);
	CHECK_EQ(a.interval, 100);
}

static void rx_accepts_ah_vector(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) };
	struct vrrp_rx_advert a;

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK(a.has_ah);
	CHECK_EQ(a.ah_seq, 1);
	CHECK_EQ(a.auth_type, VRRP_AUTH_AH);
	CHECK_EQ(a.priority, 200);
}

static void rx_ah_sequence_advances(void)
{
	struct vrrp_wire_group g = g_ah();
	struct vrrp_tx t = tx(200, "192.0.2.1");
	struct vrrp_rx_advert a;
	struct pkt p1 = encode4(&g, &t), p2;

	CHECK_EQ(rx(&p1, &g, &a), VRRP_RX_ACCEPT);
	g.ah_last_seq = a.ah_seq; /* what the engine does on accept */
	CHECK_EQ(rx(&p1, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_REPLAY);
	t.ah_seq = 2, t.ip_id = 2;
	p2 = encode4(&g, &t);
	CHECK_EQ(rx(&p2, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.ah_seq, 2);
}

/* Groups the encoder can express come back through the pipeline unchanged. */
static void rx_accepts_built_packets_roundtrip(void)
{
	struct vrrp_wire_group gs[] = {
		grp(2, 1, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", NULL),
		grp(2, 255, 255, VRRP_AUTH_PASSWORD, "12345678", "10.0.0.1", "10.0.0.2", "10.0.0.3", NULL),
		grp(2, 17, 3, VRRP_AUTH_AH, "k", "10.9.9.9", "10.9.9.8", NULL),
		grp(3, 200, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", NULL),
		grp(3, 200, 4095, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.7", NULL),
		grp(3, 9, 10, VRRP_AUTH_NONE, NULL, "fe80::9", "2001:db8::9", "2001:db8::a", NULL),
	};
	struct vrrp_wire_group big = grp(2, 5, 1, VRRP_AUTH_AH, "YOGHURT", "10.0.0.1", NULL);
	struct tdm_err err = { 0 };
	struct vrrp_rx_advert a;

	for (int i = 0; i < VRRP_MAX_VIPS; i++)
		big.vips[i] = ip("10.1.0.0"), big.vips[i].b[3] = (uint8_t)i;
	big.vip_count = VRRP_MAX_VIPS;
	for (size_t i = 0; i <= sizeof(gs) / sizeof(gs[0]); i++) {
		const struct vrrp_wire_group *g = i < sizeof(gs) / sizeof(gs[0]) ? &gs[i] : &big;
		struct vrrp_tx t = tx(100, g->family == VRRP_IPV6 ? "fe80::2" : "10.0.0.99");
		uint8_t f[VRRP_FRAME_MAX], mac[6] = { 2, 0, 0, 0, 0, 1 };
		int n;

		for (uint8_t form = 0; form < 2; form++) {
			t.csum_form = form;
			n = vrrp_advert_frame_build(g, &t, mac, f, sizeof(f), &err);
			CHECK(n > 14);
			CHECK(n <= VRRP_FRAME_MAX);
			struct pkt p = { { 0 }, (size_t)n - 14 };
			memcpy(p.b, f + 14, p.len);
			CHECK_EQ(rx(&p, g, &a), VRRP_RX_ACCEPT);
			CHECK_EQ(a.interval, g->interval);
			CHECK_EQ(a.count, g->vip_count);
			if (g->version == 3 && g->family == VRRP_IPV4)
				CHECK_EQ(a.csum_form, form);
		}
	}
	CHECK_EQ(VRRP_IPV4_PACKET_MAX, 140);
}

static void rx_tolerates_ipv4_options(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1"), q = p;
	struct vrrp_rx_advert a;

	/* IHL 6: one word of options (Router Alert) between header and message. */
	q.b[0] = 0x46;
	q.b[20] = 0x94, q.b[21] = 0x04, q.b[22] = 0, q.b[23] = 0;
	memcpy(q.b + 24, p.b + 20, sizeof(v2_noauth));
	q.len = p.len + 4;
	q.b[3] = (uint8_t)q.len;
	fix_ip4(&q);
	CHECK_EQ(rx(&q, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.priority, 150);
}

static void rx_ignores_ethernet_padding(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	struct vrrp_rx_advert a;

	p.len = 46; /* a 60-byte minimum frame minus its Ethernet header */
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
}

static void rx_tolerates_df_and_v3_reserved_bits(void)
{
	struct vrrp_wire_group g = g_v3v4();
	uint8_t m[sizeof(v3_v4_a)];
	struct pkt p;
	struct vrrp_rx_advert a;

	memcpy(m, v3_v4_a, sizeof(m));
	m[4] |= 0xf0;
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "192.0.2.1");
	p.b[6] = 0x40; /* DF */
	fix_ip4(&p);
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.interval, 100);
}

static void rx_v3_accepts_other_interval(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct pkt p = wrap4(v3_v4_b, sizeof(v3_v4_b), "192.0.2.1");
	struct vrrp_rx_advert a;

	g.interval = 25; /* backups adopt the master's interval; no error in v3 */
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK_EQ(a.interval, 100);
}

/* ---- each step of §1.11 fails in turn ---- */

static void rx_step1_not_ip(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	struct vrrp_rx_advert a;

	p.b[0] = 0x55;
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
	CHECK_EQ(vrrp_rx_check(NULL, 0, vrrp_group_table_lookup, NULL, &a), VRRP_RX_MALFORMED);
}

static void rx_step1_short_header(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.len = 19;
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step1_ihl_below_5(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[0] = 0x44;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
	p.b[0] = 0x4f; /* 60-byte header, longer than the 40-byte total */
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step1_total_length_beyond_buffer(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[3] = 41;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step1_header_checksum(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[11] ^= 1;
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step1_fragment(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[6] = 0x20; /* MF */
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
	p.b[6] = 0, p.b[7] = 1; /* offset 8 */
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step1_ipv6_payload_beyond_buffer(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);

	p.b[5]++;
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
	p.len = 39;
	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 1);
}

static void rx_step2_other_protocol_ignored(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[9] = 17;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_NOT_VRRP, 2);
}

static void rx_step2_ah_other_next_header(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) };

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	p.b[20] = 6; /* AH protecting TCP */
	EXPECT_DROP(&p, &g, VRRP_RX_NOT_VRRP, 2);
	p.b[20] = 112;
	p.len = 20, p.b[3] = 20; /* AH with nothing after the IP header */
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_NOT_VRRP, 2);
}

static void rx_step2_ipv6_extension_header(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);

	p.b[6] = 0; /* hop-by-hop options */
	EXPECT_DROP(&p, &g, VRRP_RX_NOT_VRRP, 2);
}

static void rx_step3_bad_destination(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[19] = 19; /* 224.0.0.19 */
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_BAD_DEST, 3);
}

static void rx_step3_bad_destination_ipv6(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);
	struct vrrp_rx_ip6_meta m = meta6(v3_v6_src);
	struct vrrp_rx_advert a;

	p.b[39] = 0x01;
	EXPECT_DROP(&p, &g, VRRP_RX_BAD_DEST, 3);
	m.dst = ip("ff02::1");
	CHECK_EQ(rx6(&m, v3_v6, sizeof(v3_v6), &g, &a), VRRP_RX_BAD_DEST);
}

static void rx_step4_unknown_vrid(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	struct vrrp_rx_advert a;

	g.vrid = 98;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_UNKNOWN_VRID);
	CHECK_EQ(a.step, 4);
	CHECK_EQ(a.vrid, 99);
	CHECK(a.group == NULL);
	CHECK_EQ(rx(&p, NULL, &a), VRRP_RX_UNKNOWN_VRID);
	CHECK_EQ(vrrp_rx_check(p.b, p.len, NULL, NULL, &a), VRRP_RX_UNKNOWN_VRID);
}

static void rx_step4_family_separates_groups(void)
{
	struct vrrp_wire_group g6 = g_v3v6(), g4 = g_v3v4();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);

	g4.vrid = 7; /* same VRID, other family: an independent virtual router */
	EXPECT_DROP(&p, &g4, VRRP_RX_UNKNOWN_VRID, 4);
	EXPECT_DROP(&p, &g6, VRRP_RX_ACCEPT, 17);
}

static void rx_step4_no_vrid_is_malformed(void)
{
	struct vrrp_wire_group g = g_noauth(), ga = g_ah();
	struct pkt p = wrap4(v2_noauth, 1, "172.16.0.1");
	struct pkt q = { { 0 }, sizeof(ah_packet) };

	EXPECT_DROP(&p, &g, VRRP_RX_MALFORMED, 4);
	memcpy(q.b, ah_packet, sizeof(ah_packet));
	q.b[21] = 5; /* AH payload length of a longer ICV: VRRP would not start at +24 */
	EXPECT_DROP(&q, &ga, VRRP_RX_MALFORMED, 4);
}

static void rx_step5_ah_to_plain_group(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) };

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	g.auth_type = VRRP_AUTH_PASSWORD;
	EXPECT_DROP(&p, &g, VRRP_RX_AUTH_TYPE_MISMATCH, 5);
}

static void rx_step5_plain_to_ah_group(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = wrap4(ah_packet + 44, 20, "192.0.2.1");

	EXPECT_DROP(&p, &g, VRRP_RX_AUTH_TYPE_MISMATCH, 5);
}

static void rx_step6_length_one_extra_byte(void)
{
	struct vrrp_wire_group g = g_noauth();
	uint8_t m[21] = { 0 };
	struct pkt p;

	memcpy(m, v2_noauth, 20);
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
	p = wrap4(m, 19, "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
	p = wrap4(m, 3, "172.16.0.1"); /* no count byte */
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
}

static void rx_step6_count_disagrees(void)
{
	struct vrrp_wire_group g = g_noauth();
	uint8_t m[20];
	struct pkt p;

	memcpy(m, v2_noauth, 20);
	m[3] = 2;
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
}

/* An OpenBSD CARP advert: version 2 type 1 like VRRP, 36 bytes, authlen 7 where VRRP has a count. */
static void rx_step6_carp_dropped(void)
{
	uint8_t carp[36] = { 0x21, 0x63, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };
	struct vrrp_wire_group g = g_noauth(), other = g_noauth();
	struct pkt p;

	for (int i = 12; i < 36; i++)
		carp[i] = (uint8_t)(i * 37);
	fix_msg_csum(carp, sizeof(carp));
	p = wrap4(carp, sizeof(carp), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
	other.vrid = 1; /* no group with the CARP vhid */
	EXPECT_DROP(&p, &other, VRRP_RX_UNKNOWN_VRID, 4);
}

static void rx_step7_ttl_254(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	p.b[8] = 254;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_TTL, 7);
}

static void rx_step7_hop_limit_ipv6(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src);
	struct vrrp_rx_ip6_meta m = meta6(v3_v6_src);
	struct vrrp_rx_advert a;

	p.b[7] = 64;
	EXPECT_DROP(&p, &g, VRRP_RX_TTL, 7);
	m.hop_limit = 254;
	CHECK_EQ(rx6(&m, v3_v6, sizeof(v3_v6), &g, &a), VRRP_RX_TTL);
	m.hop_limit = -1;
	CHECK_EQ(rx6(&m, v3_v6, sizeof(v3_v6), &g, &a), VRRP_RX_TTL);
	CHECK_EQ(a.step, 7);
}

static void rx_step8_v3_to_v2_group(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct pkt p = wrap4(v3_v4_b, sizeof(v3_v4_b), "192.0.2.1");
	struct vrrp_rx_advert a;

	g.version = 2, g.interval = 1;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_VERSION);
	CHECK_EQ(a.step, 8);
	CHECK_EQ(a.version, 3); /* "wrong version. Received 3 and expect 2" */
}

static void rx_step8_v2_to_v3_group(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");

	g.version = 3, g.interval = 100;
	EXPECT_DROP(&p, &g, VRRP_RX_VERSION, 8);
}

static void rx_step9_invalid_type(void)
{
	struct vrrp_wire_group g = g_noauth();
	uint8_t m[20];
	struct pkt p;

	memcpy(m, v2_noauth, 20);
	m[0] = 0x22;
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_INVALID_TYPE, 9);
}

static void rx_step10_owner_discards(void)
{
	struct vrrp_wire_group g = g_owner();
	struct pkt p = wrap4(v2_owner, sizeof(v2_owner), "10.0.1.253");
	struct vrrp_rx_advert a;

	g.owner = true;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_OWNER_DISCARD);
	CHECK_EQ(a.step, 10);
	CHECK_EQ(a.priority, 255); /* the engine warns: the sender claims ownership too */
}

static void rx_step11_auth_type_3(void)
{
	struct vrrp_wire_group g = g_plain();
	uint8_t m[20];
	struct pkt p;

	memcpy(m, v2_plain, 20);
	m[4] = 3;
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "192.0.2.1");
	EXPECT_DROP(&p, &g, VRRP_RX_AUTH_INVALID_TYPE, 11);
}

static void rx_step12_auth_type_mismatch(void)
{
	struct vrrp_wire_group g = g_plain();
	struct pkt p = wrap4(v2_plain, sizeof(v2_plain), "192.0.2.1");

	g.auth_type = VRRP_AUTH_NONE;
	EXPECT_DROP(&p, &g, VRRP_RX_AUTH_TYPE_MISMATCH, 12);
	g = g_noauth();
	p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	g.auth_type = VRRP_AUTH_PASSWORD;
	EXPECT_DROP(&p, &g, VRRP_RX_AUTH_TYPE_MISMATCH, 12);
}

static void rx_step13_wrong_password(void)
{
	struct vrrp_wire_group g = g_plain();
	struct pkt p = wrap4(v2_plain, sizeof(v2_plain), "192.0.2.1");
	struct vrrp_rx_advert a;

	memcpy(g.password, "secreT", 6);
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.step, 13);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_PASSWORD);
	/* All 8 bytes count: a prefix is not the password. */
	g = g_plain();
	g.password[6] = 'x';
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_AUTH_FAILURE);
}

static void rx_step13_ah_wrong_key(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) };
	struct vrrp_rx_advert a;

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	memcpy(g.password, "YOGHURt", 7);
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.step, 13);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_ICV);
}

/* The ICV covers the ID and the message but not TOS (mutable in flight). */
static void rx_step13_ah_altered_packet(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) }, q;
	struct vrrp_rx_advert a;

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	q = p;
	q.b[1] = 0x00;
	fix_ip4(&q);
	CHECK_EQ(rx(&q, &g, &a), VRRP_RX_ACCEPT);
	q = p;
	q.b[5] = 2;
	fix_ip4(&q);
	CHECK_EQ(rx(&q, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_ICV);
	q = p;
	q.b[44 + 2] = 201; /* priority */
	CHECK_EQ(rx(&q, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_ICV);
}

/* Reference ICV for the AH vector's key, computed with OpenSSL's one-shot HMAC over a copy. */
static void ref_icv(struct pkt *p)
{
	uint8_t tmp[sizeof(p->b)], key[8] = "YOGHURT", md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	memcpy(tmp, p->b, p->len);
	tmp[1] = 0;
	tmp[6] = tmp[7] = 0;
	tmp[10] = tmp[11] = 0;
	memset(tmp + 32, 0, 12);
	CHECK(HMAC(EVP_md5(), key, sizeof(key), tmp, p->len, md, &md_len) != NULL);
	memcpy(p->b + 32, md, 12);
}

static void rx_step13_ah_spi_mismatch(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) }, q;
	struct vrrp_rx_advert a;

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	q = p;
	ref_icv(&q);
	CHECK(memcmp(q.b, ah_packet, sizeof(ah_packet)) == 0);
	q.b[27] = 9; /* SPI 192.0.2.9 from source 192.0.2.1, under a valid ICV */
	ref_icv(&q);
	CHECK_EQ(rx(&q, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.step, 13);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_SPI);
}

static void rx_step13_ah_replay(void)
{
	struct vrrp_wire_group g = g_ah();
	struct pkt p = { { 0 }, sizeof(ah_packet) };
	struct vrrp_rx_advert a;

	memcpy(p.b, ah_packet, sizeof(ah_packet));
	g.ah_last_seq = 1;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.step, 13);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_REPLAY);
	CHECK_EQ(a.ah_seq, 1);
	g.ah_last_seq = 0xffffffff;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_AUTH_FAILURE);
	CHECK_EQ(a.auth_fail, VRRP_AUTH_FAIL_REPLAY);
}

static void rx_step14_v2_checksum(void)
{
	struct vrrp_wire_group g = g_noauth();
	uint8_t m[20];
	struct pkt p;

	memcpy(m, v2_noauth, 20);
	m[7] ^= 0x01;
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_CHECKSUM, 14);
	/* The authentication data is covered too. */
	memcpy(m, v2_noauth, 20);
	m[19] = 1;
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_CHECKSUM, 14);
}

static void rx_step14_v3_ipv4_neither_form(void)
{
	struct vrrp_wire_group g = g_v3v4();
	struct pkt p = wrap4(v3_v4_b, sizeof(v3_v4_b), "192.0.2.2");

	/* Form B is bound to the source: from another source it verifies in neither form. */
	EXPECT_DROP(&p, &g, VRRP_RX_CHECKSUM, 14);
	p = wrap4(v3_v4_a, sizeof(v3_v4_a), "192.0.2.2");
	EXPECT_DROP(&p, &g, VRRP_RX_ACCEPT, 17);
}

static void rx_step14_v3_ipv6_pseudo_header(void)
{
	struct vrrp_wire_group g = g_v3v6();
	struct vrrp_rx_ip6_meta m = meta6("fe80::d436:21ff:fea6:b569");
	struct vrrp_rx_advert a;
	struct pkt p = wrap6(v3_v6, sizeof(v3_v6), "fe80::d436:21ff:fea6:b569");

	CHECK_EQ(rx6(&m, v3_v6, sizeof(v3_v6), &g, &a), VRRP_RX_CHECKSUM);
	CHECK_EQ(a.step, 14);
	EXPECT_DROP(&p, &g, VRRP_RX_CHECKSUM, 14);
}

static void rx_step15_v2_interval_mismatch(void)
{
	struct vrrp_wire_group g = g_noauth();
	struct pkt p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1");
	struct vrrp_rx_advert a;

	g.interval = 3;
	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ADVERT_INTERVAL);
	CHECK_EQ(a.step, 15);
	CHECK_EQ(a.interval, 1); /* "mine=3 rcv'd=1" */
}

static void rx_step15_v3_interval_zero(void)
{
	struct vrrp_wire_group g = g_v3v4();
	uint8_t m[sizeof(v3_v4_a)];
	struct pkt p;

	memcpy(m, v3_v4_a, sizeof(m));
	m[4] = 0xf0; /* reserved bits set, interval 0 */
	m[5] = 0;
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "192.0.2.1");
	EXPECT_DROP(&p, &g, VRRP_RX_ADVERT_INTERVAL, 15);
}

static void rx_step16_shuffled_list_accepted(void)
{
	struct vrrp_wire_group g = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.2", "10.0.0.3", NULL);
	struct vrrp_wire_group sender = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.3", "10.0.0.1", "10.0.0.2", NULL);
	struct vrrp_tx t = tx(100, "10.0.0.9");
	struct pkt p = encode4(&sender, &t);
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK(!a.addr_list_mismatch);
	CHECK_EQ(a.addrs[0].b[3], 3);
}

static void rx_step16_different_list_dropped(void)
{
	struct vrrp_wire_group g = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.2", NULL);
	struct vrrp_wire_group sender = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.4", NULL);
	struct vrrp_wire_group dup = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.1", NULL);
	struct vrrp_tx t = tx(254, "10.0.0.9");
	struct pkt p = encode4(&sender, &t);

	EXPECT_DROP(&p, &g, VRRP_RX_ADDRESS_LIST, 16);
	p = encode4(&dup, &t); /* right count, one address twice */
	EXPECT_DROP(&p, &g, VRRP_RX_ADDRESS_LIST, 16);
}

static void rx_step16_different_list_from_owner_accepted(void)
{
	struct vrrp_wire_group g = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.2", NULL);
	struct vrrp_wire_group sender = grp(2, 5, 1, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.4", "10.0.0.5", NULL);
	struct vrrp_tx t = tx(255, "10.0.0.9");
	struct pkt p = encode4(&sender, &t);
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(&p, &g, &a), VRRP_RX_ACCEPT);
	CHECK(a.addr_list_mismatch);
	CHECK_EQ(a.count, 3);
	CHECK_EQ(a.addrs[2].b[3], 5);
}

static void rx_step16_count_differs(void)
{
	struct vrrp_wire_group g = grp(3, 5, 100, VRRP_AUTH_NONE, NULL, "10.0.0.1", "10.0.0.2", NULL);
	struct vrrp_wire_group sender = grp(3, 5, 100, VRRP_AUTH_NONE, NULL, "10.0.0.1", NULL);
	struct vrrp_tx t = tx(100, "10.0.0.9");
	struct pkt p = encode4(&sender, &t);

	EXPECT_DROP(&p, &g, VRRP_RX_ADDRESS_LIST, 16);
}

static void rx_step16_empty_v3_list_dropped(void)
{
	struct vrrp_wire_group g = g_v3v4();
	uint8_t m[8];
	struct pkt p;

	memcpy(m, v3_v4_a, 8);
	m[3] = 0;
	m[2] = 255; /* not even an owner may send an empty list */
	fix_msg_csum(m, sizeof(m));
	p = wrap4(m, sizeof(m), "192.0.2.1");
	EXPECT_DROP(&p, &g, VRRP_RX_ADDRESS_LIST, 16);
}

static void rx_order_first_failing_step_wins(void)
{
	struct vrrp_wire_group g = g_noauth();
	uint8_t m[20];
	struct pkt p;

	memcpy(m, v2_noauth, 20);
	m[0] = 0x32; /* version 3, type 2 */
	m[5] = 9; /* interval */
	m[7] ^= 0x55; /* checksum */
	p = wrap4(m, sizeof(m), "172.16.0.1");
	p.b[8] = 1; /* TTL */
	fix_ip4(&p);
	/* v3 sizing (8 + 4) makes this a Length error first. */
	EXPECT_DROP(&p, &g, VRRP_RX_LENGTH, 6);
	m[0] = 0x22;
	p = wrap4(m, sizeof(m), "172.16.0.1");
	p.b[8] = 1;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_TTL, 7);
	p.b[8] = 255;
	fix_ip4(&p);
	EXPECT_DROP(&p, &g, VRRP_RX_INVALID_TYPE, 9);
	m[0] = 0x21;
	p = wrap4(m, sizeof(m), "172.16.0.1");
	EXPECT_DROP(&p, &g, VRRP_RX_CHECKSUM, 14);
	fix_msg_csum(p.b + 20, 20);
	EXPECT_DROP(&p, &g, VRRP_RX_ADVERT_INTERVAL, 15);
}

/* Whatever the cut, a truncated packet is dropped, and never read beyond its buffer (the fuzzer
 * runs this under ASan; here every cut lives in a buffer of exactly its size). */
static void check_truncations(const struct pkt *full, const struct vrrp_wire_group *g)
{
	struct vrrp_rx_advert a;

	CHECK_EQ(rx(full, g, &a), VRRP_RX_ACCEPT);
	for (size_t cut = 0; cut < full->len; cut++) {
		uint8_t *b = malloc(cut ? cut : 1);
		struct vrrp_group_table t = { g, 1 };
		struct pkt q = *full;
		enum vrrp_rx_verdict v;

		memcpy(b, full->b, cut);
		/* Cut below the IP length: the header no longer fits its claim. */
		CHECK_EQ(vrrp_rx_check(b, cut, vrrp_group_table_lookup, &t, &a), VRRP_RX_MALFORMED);
		free(b);
		/* Cut with the IP length rewritten to match: the VRRP layer sees the shortfall. */
		if (full->b[0] >> 4 == 4 && cut >= 20) {
			q.b[2] = (uint8_t)(cut >> 8), q.b[3] = (uint8_t)cut;
			fix_ip4(&q);
		} else if (cut >= 40) {
			q.b[4] = (uint8_t)((cut - 40) >> 8), q.b[5] = (uint8_t)(cut - 40);
		} else {
			continue;
		}
		q.len = cut;
		v = rx(&q, g, &a);
		CHECK(v == VRRP_RX_MALFORMED || v == VRRP_RX_LENGTH || v == VRRP_RX_NOT_VRRP);
	}
}

static void rx_truncated_at_every_length(void)
{
	struct vrrp_wire_group gn = g_noauth(), gp = g_plain(), go = g_owner(), g34 = g_v3v4(), g36 = g_v3v6();
	struct vrrp_wire_group ga = g_ah();
	struct pkt p, ah = { { 0 }, sizeof(ah_packet) };
	struct vrrp_rx_ip6_meta m = meta6(v3_v6_src);
	struct vrrp_rx_advert a;

	p = wrap4(v2_noauth, sizeof(v2_noauth), "172.16.0.1"), check_truncations(&p, &gn);
	p = wrap4(v2_release, sizeof(v2_release), "172.16.0.1"), check_truncations(&p, &gn);
	p = wrap4(v2_plain, sizeof(v2_plain), "192.0.2.1"), check_truncations(&p, &gp);
	p = wrap4(v2_owner, sizeof(v2_owner), "10.0.1.254"), check_truncations(&p, &go);
	p = wrap4(v3_v4_a, sizeof(v3_v4_a), "192.0.2.1"), check_truncations(&p, &g34);
	p = wrap4(v3_v4_b, sizeof(v3_v4_b), "192.0.2.1"), check_truncations(&p, &g34);
	p = wrap6(v3_v6, sizeof(v3_v6), v3_v6_src), check_truncations(&p, &g36);
	memcpy(ah.b, ah_packet, sizeof(ah_packet));
	check_truncations(&ah, &ga);
	for (size_t cut = 0; cut < sizeof(v3_v6); cut++) {
		uint8_t *b = malloc(cut ? cut : 1);
		enum vrrp_rx_verdict v;

		memcpy(b, v3_v6, cut);
		v = rx6(&m, b, cut, &g36, &a);
		CHECK(v == (cut < 2 ? VRRP_RX_MALFORMED : VRRP_RX_LENGTH));
		free(b);
	}
}

/* ---- announcements ---- */

static void vmac_per_family(void)
{
	uint8_t mac[6];

	vrrp_vmac(VRRP_IPV4, 99, mac);
	CHECK(memcmp(mac, "\x00\x00\x5e\x00\x01\x63", 6) == 0);
	vrrp_vmac(VRRP_IPV4, 200, mac);
	CHECK(memcmp(mac, "\x00\x00\x5e\x00\x01\xc8", 6) == 0);
	vrrp_vmac(VRRP_IPV6, 7, mac);
	CHECK(memcmp(mac, "\x00\x00\x5e\x00\x02\x07", 6) == 0);
}

static void check_garp(uint16_t op, const uint8_t *tha)
{
	uint8_t mac[6], f[64];
	struct vrrp_ip vip = ip("172.16.0.24");

	vrrp_vmac(VRRP_IPV4, 99, mac);
	CHECK_EQ(vrrp_garp_frame_build(mac, &vip, op, f, sizeof(f)), VRRP_GARP_FRAME_LEN);
	CHECK(memcmp(f, "\xff\xff\xff\xff\xff\xff", 6) == 0);
	CHECK(memcmp(f + 6, mac, 6) == 0);
	CHECK_EQ(f[12] << 8 | f[13], 0x0806);
	CHECK_EQ(f[14] << 8 | f[15], 1); /* hardware: Ethernet */
	CHECK_EQ(f[16] << 8 | f[17], 0x0800);
	CHECK_EQ(f[18], 6);
	CHECK_EQ(f[19], 4);
	CHECK_EQ(f[20] << 8 | f[21], op);
	CHECK(memcmp(f + 22, mac, 6) == 0); /* sender hardware */
	CHECK(memcmp(f + 28, vip.b, 4) == 0); /* sender IP */
	CHECK(memcmp(f + 32, tha, 6) == 0); /* target hardware */
	CHECK(memcmp(f + 38, vip.b, 4) == 0); /* target IP */
}

static void garp_request_fields(void)
{
	check_garp(1, (const uint8_t *)"\xff\xff\xff\xff\xff\xff");
}

static void garp_reply_fields(void)
{
	uint8_t mac[6];

	vrrp_vmac(VRRP_IPV4, 99, mac);
	check_garp(2, mac);
}

static void na_fields_and_checksum(void)
{
	uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 }, f[VRRP_NA_FRAME_LEN], ph[40 + 32];
	struct vrrp_ip vip = ip("2001:db8::1"), all = ip("ff02::1");
	const uint8_t *ip6 = f + 14, *icmp = f + 54;

	CHECK_EQ(vrrp_na_frame_build(mac, &vip, f, sizeof(f)), VRRP_NA_FRAME_LEN);
	CHECK(memcmp(f, "\x33\x33\x00\x00\x00\x01", 6) == 0);
	CHECK(memcmp(f + 6, mac, 6) == 0);
	CHECK_EQ(f[12] << 8 | f[13], 0x86dd);
	CHECK_EQ(ip6[0] >> 4, 6);
	CHECK_EQ(ip6[4] << 8 | ip6[5], 32);
	CHECK_EQ(ip6[6], 58);
	CHECK_EQ(ip6[7], 255);
	CHECK(memcmp(ip6 + 8, vip.b, 16) == 0);
	CHECK(memcmp(ip6 + 24, all.b, 16) == 0);
	CHECK_EQ(icmp[0], 136);
	CHECK_EQ(icmp[1], 0);
	CHECK_EQ(icmp[4], 0xa0); /* R=1 S=0 O=1 */
	CHECK_EQ(icmp[5] | icmp[6] | icmp[7], 0);
	CHECK(memcmp(icmp + 8, vip.b, 16) == 0);
	CHECK_EQ(icmp[24], 2); /* target link-layer address */
	CHECK_EQ(icmp[25], 1);
	CHECK(memcmp(icmp + 26, mac, 6) == 0);
	/* Pseudo-header (src, dst, 32-bit length, zeros, next header 58) + message sums to zero. */
	memset(ph, 0, sizeof(ph));
	memcpy(ph, vip.b, 16);
	memcpy(ph + 16, all.b, 16);
	ph[35] = 32;
	ph[39] = 58;
	memcpy(ph + 40, icmp, 32);
	CHECK_EQ(ref_csum(ph, sizeof(ph)), 0);
}

static void frames_reject_bad_arguments(void)
{
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, f[128];
	struct vrrp_ip vip = ip("10.0.0.1");

	CHECK_EQ(vrrp_garp_frame_build(mac, &vip, 1, f, VRRP_GARP_FRAME_LEN - 1), -ENOSPC);
	CHECK_EQ(vrrp_garp_frame_build(mac, &vip, 3, f, sizeof(f)), -EINVAL);
	CHECK_EQ(vrrp_na_frame_build(mac, &vip, f, VRRP_NA_FRAME_LEN - 1), -ENOSPC);
}

static void verdict_names_distinct(void)
{
	for (int i = 0; i < VRRP_RX_VERDICT_COUNT; i++) {
		CHECK(vrrp_rx_verdict_name(i) != NULL);
		CHECK(strcmp(vrrp_rx_verdict_name(i), "unknown") != 0);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(vrrp_rx_verdict_name(i), vrrp_rx_verdict_name(j)) != 0);
	}
	CHECK(strcmp(vrrp_rx_verdict_name(VRRP_RX_TTL), "ttl") == 0);
	CHECK(strcmp(vrrp_rx_verdict_name(VRRP_RX_VERDICT_COUNT), "unknown") == 0);
}

static const struct check_case cases[] = {
	{ "encode_v2_no_auth_vector", encode_v2_no_auth_vector },
	{ "encode_v2_release_vector", encode_v2_release_vector },
	{ "encode_v2_plaintext_vector", encode_v2_plaintext_vector },
	{ "encode_v2_owner_vector", encode_v2_owner_vector },
	{ "encode_v3_ipv4_form_b_vector", encode_v3_ipv4_form_b_vector },
	{ "encode_v3_ipv4_form_a_vector", encode_v3_ipv4_form_a_vector },
	{ "encode_v3_ipv6_vector", encode_v3_ipv6_vector },
	{ "build_ah_packet_vector", build_ah_packet_vector },
	{ "build_ipv4_header_fields", build_ipv4_header_fields },
	{ "build_ipv6_header_fields", build_ipv6_header_fields },
	{ "build_frame_ethernet_header", build_frame_ethernet_header },
	{ "encode_v3_interval_12_bits", encode_v3_interval_12_bits },
	{ "encode_rejects_invalid_groups", encode_rejects_invalid_groups },
	{ "encode_rejects_small_buffer", encode_rejects_small_buffer },
	{ "build_rejects_zero_id_and_seq", build_rejects_zero_id_and_seq },
	{ "decode_v3_ipv6_vector_fields", decode_v3_ipv6_vector_fields },
	{ "decode_rejects_bad_lengths_and_versions", decode_rejects_bad_lengths_and_versions },
	{ "rx_accepts_v2_no_auth", rx_accepts_v2_no_auth },
	{ "rx_accepts_v2_release", rx_accepts_v2_release },
	{ "rx_accepts_v2_plaintext", rx_accepts_v2_plaintext },
	{ "rx_accepts_v2_owner_sender", rx_accepts_v2_owner_sender },
	{ "rx_accepts_v3_ipv4_form_b", rx_accepts_v3_ipv4_form_b },
	{ "rx_accepts_v3_ipv4_form_a", rx_accepts_v3_ipv4_form_a },
	{ "rx_accepts_v3_ipv6_packet", rx_accepts_v3_ipv6_packet },
	{ "rx_accepts_v3_ipv6_payload", rx_accepts_v3_ipv6_payload },
	{ "rx_accepts_ah_vector", rx_accepts_ah_vector },
	{ "rx_ah_sequence_advances", rx_ah_sequence_advances },
	{ "rx_accepts_built_packets_roundtrip", rx_accepts_built_packets_roundtrip },
	{ "rx_tolerates_ipv4_options", rx_tolerates_ipv4_options },
	{ "rx_ignores_ethernet_padding", rx_ignores_ethernet_padding },
	{ "rx_tolerates_df_and_v3_reserved_bits", rx_tolerates_df_and_v3_reserved_bits },
	{ "rx_v3_accepts_other_interval", rx_v3_accepts_other_interval },
	{ "rx_step1_not_ip", rx_step1_not_ip },
	{ "rx_step1_short_header", rx_step1_short_header },
	{ "rx_step1_ihl_below_5", rx_step1_ihl_below_5 },
	{ "rx_step1_total_length_beyond_buffer", rx_step1_total_length_beyond_buffer },
	{ "rx_step1_header_checksum", rx_step1_header_checksum },
	{ "rx_step1_fragment", rx_step1_fragment },
	{ "rx_step1_ipv6_payload_beyond_buffer", rx_step1_ipv6_payload_beyond_buffer },
	{ "rx_step2_other_protocol_ignored", rx_step2_other_protocol_ignored },
	{ "rx_step2_ah_other_next_header", rx_step2_ah_other_next_header },
	{ "rx_step2_ipv6_extension_header", rx_step2_ipv6_extension_header },
	{ "rx_step3_bad_destination", rx_step3_bad_destination },
	{ "rx_step3_bad_destination_ipv6", rx_step3_bad_destination_ipv6 },
	{ "rx_step4_unknown_vrid", rx_step4_unknown_vrid },
	{ "rx_step4_family_separates_groups", rx_step4_family_separates_groups },
	{ "rx_step4_no_vrid_is_malformed", rx_step4_no_vrid_is_malformed },
	{ "rx_step5_ah_to_plain_group", rx_step5_ah_to_plain_group },
	{ "rx_step5_plain_to_ah_group", rx_step5_plain_to_ah_group },
	{ "rx_step6_length_one_extra_byte", rx_step6_length_one_extra_byte },
	{ "rx_step6_count_disagrees", rx_step6_count_disagrees },
	{ "rx_step6_carp_dropped", rx_step6_carp_dropped },
	{ "rx_step7_ttl_254", rx_step7_ttl_254 },
	{ "rx_step7_hop_limit_ipv6", rx_step7_hop_limit_ipv6 },
	{ "rx_step8_v3_to_v2_group", rx_step8_v3_to_v2_group },
	{ "rx_step8_v2_to_v3_group", rx_step8_v2_to_v3_group },
	{ "rx_step9_invalid_type", rx_step9_invalid_type },
	{ "rx_step10_owner_discards", rx_step10_owner_discards },
	{ "rx_step11_auth_type_3", rx_step11_auth_type_3 },
	{ "rx_step12_auth_type_mismatch", rx_step12_auth_type_mismatch },
	{ "rx_step13_wrong_password", rx_step13_wrong_password },
	{ "rx_step13_ah_wrong_key", rx_step13_ah_wrong_key },
	{ "rx_step13_ah_altered_packet", rx_step13_ah_altered_packet },
	{ "rx_step13_ah_spi_mismatch", rx_step13_ah_spi_mismatch },
	{ "rx_step13_ah_replay", rx_step13_ah_replay },
	{ "rx_step14_v2_checksum", rx_step14_v2_checksum },
	{ "rx_step14_v3_ipv4_neither_form", rx_step14_v3_ipv4_neither_form },
	{ "rx_step14_v3_ipv6_pseudo_header", rx_step14_v3_ipv6_pseudo_header },
	{ "rx_step15_v2_interval_mismatch", rx_step15_v2_interval_mismatch },
	{ "rx_step15_v3_interval_zero", rx_step15_v3_interval_zero },
	{ "rx_step16_shuffled_list_accepted", rx_step16_shuffled_list_accepted },
	{ "rx_step16_different_list_dropped", rx_step16_different_list_dropped },
	{ "rx_step16_different_list_from_owner_accepted", rx_step16_different_list_from_owner_accepted },
	{ "rx_step16_count_differs", rx_step16_count_differs },
	{ "rx_step16_empty_v3_list_dropped", rx_step16_empty_v3_list_dropped },
	{ "rx_order_first_failing_step_wins", rx_order_first_failing_step_wins },
	{ "rx_truncated_at_every_length", rx_truncated_at_every_length },
	{ "vmac_per_family", vmac_per_family },
	{ "garp_request_fields", garp_request_fields },
	{ "garp_reply_fields", garp_reply_fields },
	{ "na_fields_and_checksum", na_fields_and_checksum },
	{ "frames_reject_bad_arguments", frames_reject_bad_arguments },
	{ "verdict_names_distinct", verdict_names_distinct },
};

CHECK_MAIN(cases)
