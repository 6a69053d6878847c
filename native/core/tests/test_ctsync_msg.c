/* The conntrackd FTFW wire codec: golden bytes, round trips, and every malformed form dropped. */
#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "ctsync_msg.h"

static struct cts_entry tcp_snat(void)
{
	struct cts_entry e = { .family = 4, .l4proto = 6, .sport = 40000, .dport = 80, .tcp_state = 3,
			       .status = 0x18e, .timeout = 431999, .mark = 0xc9, .spat_port = 61000 };
	inet_pton(AF_INET, "198.51.100.130", e.src);
	inet_pton(AF_INET, "203.0.113.80", e.dst);
	inet_pton(AF_INET, "192.0.2.2", e.snat_ipv4);
	e.present = 1ull << CTS_A_IPV4 | 1ull << CTS_A_L4PROTO | 1ull << CTS_A_PORT | 1ull << CTS_A_TCP_STATE |
		    1ull << CTS_A_STATUS | 1ull << CTS_A_TIMEOUT | 1ull << CTS_A_MARK | 1ull << CTS_A_SNAT_IPV4 |
		    1ull << CTS_A_SPAT_PORT;
	return e;
}

static void udp_message_golden_bytes(void)
{
	struct cts_entry e = { .family = 4, .l4proto = 17, .sport = 5000, .dport = 53 };
	inet_pton(AF_INET, "192.0.2.10", e.src);
	inet_pton(AF_INET, "203.0.113.53", e.dst);
	e.present = 1ull << CTS_A_IPV4 | 1ull << CTS_A_L4PROTO | 1ull << CTS_A_PORT;
	uint8_t buf[256];
	size_t n = cts_build_entry(buf, sizeof(buf), CTS_CT_NEW, CTS_F_HELLO, 0x01020304, &e);
	static const uint8_t want[] = {
		0x10, 0x20, 0x00, 0x24, 0x01, 0x02, 0x03, 0x04,		/* v1 CT_NEW, HELLO, len 36, seq */
		0x00, 0x0c, 0x00, 0x00, 192,  0,    2,	  10,	203, 0, 113, 53, /* IPV4 */
		0x00, 0x05, 0x00, 0x02, 17,   0,    0,	  0,			 /* L4PROTO, padded */
		0x00, 0x08, 0x00, 0x03, 0x13, 0x88, 0x00, 0x35,			 /* PORT 5000 → 53 */
	};
	CHECK_EQ(n, sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
}

static void entry_round_trip(void)
{
	struct cts_entry e = tcp_snat(), got;
	uint8_t buf[512];
	size_t n = cts_build_entry(buf, sizeof(buf), CTS_CT_UPD, 0, 77, &e);
	CHECK(n > CTS_HDR_LEN && n % 4 == 0);
	struct cts_hdr h;
	CHECK_EQ(cts_hdr_parse(buf, n, &h), (int)n);
	CHECK_EQ(h.type, CTS_CT_UPD);
	CHECK_EQ(h.seq, 77);
	CHECK_EQ(cts_entry_decode(buf + CTS_HDR_LEN, n - CTS_HDR_LEN, &got), CTS_OK);
	CHECK(memcmp(&e, &got, sizeof(e)) == 0);
}

static void ipv6_helper_and_labels_round_trip(void)
{
	struct cts_entry e = { .family = 6, .l4proto = 17, .sport = 1, .dport = 2, .zone = 7, .labels_len = 16 };
	inet_pton(AF_INET6, "2001:db8::1", e.src);
	inet_pton(AF_INET6, "2001:db8::2", e.dst);
	strcpy(e.helper, "tftp");
	memset(e.labels, 0xa5, 16);
	e.present = 1ull << CTS_A_IPV6 | 1ull << CTS_A_L4PROTO | 1ull << CTS_A_PORT | 1ull << CTS_A_HELPER_NAME |
		    1ull << CTS_A_LABELS | 1ull << CTS_A_ZONE;
	uint8_t buf[512];
	struct cts_entry got;
	size_t n = cts_build_entry(buf, sizeof(buf), CTS_CT_NEW, 0, 1, &e);
	CHECK(n > 0);
	CHECK_EQ(cts_entry_decode(buf + CTS_HDR_LEN, n - CTS_HDR_LEN, &got), CTS_OK);
	CHECK(memcmp(&e, &got, sizeof(e)) == 0);
	/* Too small a buffer builds nothing. */
	CHECK_EQ(cts_build_entry(buf, 40, CTS_CT_NEW, 0, 1, &e), 0);
}

static void control_messages(void)
{
	uint8_t buf[32];
	struct cts_hdr h;
	CHECK_EQ(cts_build_ctl(buf, sizeof(buf), CTS_F_ACK, 9, 100, 399), CTS_ACK_HDR_LEN);
	CHECK_EQ(cts_hdr_parse(buf, CTS_ACK_HDR_LEN, &h), CTS_ACK_HDR_LEN);
	CHECK(h.type == CTS_CTL && h.flags == CTS_F_ACK && h.from == 100 && h.to == 399);
	CHECK_EQ(cts_build_ctl(buf, sizeof(buf), CTS_F_ALIVE, 10, 0, 0), CTS_HDR_LEN);
	CHECK_EQ(cts_hdr_parse(buf, CTS_HDR_LEN, &h), CTS_HDR_LEN);
	/* A NACK must carry its range: 8 bytes is malformed. */
	CHECK_EQ(cts_build_ctl(buf, sizeof(buf), CTS_F_NACK, 11, 5, 6), CTS_ACK_HDR_LEN);
	buf[3] = 8;
	CHECK_EQ(cts_hdr_parse(buf, sizeof(buf), &h), CTS_E_LENGTH);
}

static void malformed_headers(void)
{
	uint8_t buf[64] = { 0x10, 0, 0, 16, 0, 0, 0, 1 };
	struct cts_hdr h;
	CHECK_EQ(cts_hdr_parse(buf, 7, &h), CTS_E_SHORT);
	CHECK_EQ(cts_hdr_parse(buf, 12, &h), CTS_E_SHORT); /* says 16, 12 left */
	buf[0] = 0x20;
	CHECK_EQ(cts_hdr_parse(buf, 64, &h), CTS_E_VERSION);
	buf[0] = 0x17;
	CHECK_EQ(cts_hdr_parse(buf, 64, &h), CTS_E_TYPE);
	buf[0] = 0x10;
	buf[3] = 14;
	CHECK_EQ(cts_hdr_parse(buf, 64, &h), CTS_E_LENGTH);
	buf[3] = 4;
	CHECK_EQ(cts_hdr_parse(buf, 64, &h), CTS_E_LENGTH);
}

/* Corrupts one byte of a good message's payload and expects decode to refuse it. */
static int decode_with(size_t at, uint8_t value)
{
	struct cts_entry e = tcp_snat(), got;
	uint8_t buf[512];
	size_t n = cts_build_entry(buf, sizeof(buf), CTS_CT_NEW, 0, 1, &e);
	buf[at] = value;
	return cts_entry_decode(buf + CTS_HDR_LEN, n - CTS_HDR_LEN, &got);
}

static void malformed_attributes(void)
{
	/* First attribute (IPV4) at offset 8: its type byte is at 11, its length at 9. */
	CHECK_EQ(decode_with(11, 33), CTS_E_ATTR);   /* unknown type (conntrackd refuses too) */
	CHECK_EQ(decode_with(9, 11), CTS_E_ATTR);    /* fixed size attribute of another size */
	CHECK_EQ(decode_with(9, 0xff), CTS_E_ATTR);  /* runs past the message */
	CHECK_EQ(decode_with(9, 2), CTS_E_ATTR);     /* shorter than its own header */
	uint8_t only_ports[] = { 0x00, 0x08, 0x00, 0x03, 0, 1, 0, 2 };
	struct cts_entry got;
	CHECK_EQ(cts_entry_decode(only_ports, sizeof(only_ports), &got), CTS_E_INCOMPLETE);
	uint8_t helper_no_nul[] = { 0x00, 0x08, 0x00, 27, 'f', 't', 'p', 'x' };
	CHECK_EQ(cts_entry_decode(helper_no_nul, sizeof(helper_no_nul), &got), CTS_E_ATTR);
	/* Found by the fuzzer: a NUL inside the name would not survive a re-encode. */
	uint8_t helper_inner_nul[] = { 0x00, 0x08, 0x00, 27, 'f', 0, 'p', 0 };
	CHECK_EQ(cts_entry_decode(helper_inner_nul, sizeof(helper_inner_nul), &got), CTS_E_ATTR);
	uint8_t tail[] = { 0x00, 0x0c, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x05 };
	CHECK_EQ(cts_entry_decode(tail, sizeof(tail), &got), CTS_E_ATTR);
}

struct seen {
	int n;
	uint8_t types[8];
};

static void note(const struct cts_hdr *h, const uint8_t *payload, size_t plen, void *ctx)
{
	(void)payload;
	(void)plen;
	struct seen *s = ctx;
	if (s->n < 8)
		s->types[s->n] = h->type;
	s->n++;
}

static void datagram_walk_counts_and_stops_at_garbage(void)
{
	struct cts_entry e = tcp_snat();
	uint8_t dg[1024];
	size_t off = cts_build_entry(dg, sizeof(dg), CTS_CT_NEW, 0, 1, &e);
	off += cts_build_ctl(dg + off, sizeof(dg) - off, CTS_F_ACK, 2, 0, 1);
	off += cts_build_entry(dg + off, sizeof(dg) - off, CTS_CT_DEL, 0, 3, &e);
	struct seen s = { 0 };
	struct cts_rx_stats st = { 0 };
	CHECK_EQ(cts_datagram_walk(dg, off, note, &s, &st), 3);
	CHECK(s.types[0] == CTS_CT_NEW && s.types[1] == CTS_CTL && s.types[2] == CTS_CT_DEL);
	CHECK_EQ(st.messages, 3);
	CHECK_EQ(st.malformed, 0);
	/* Three stray bytes after the messages: counted, the good ones still delivered. */
	memset(dg + off, 0xee, 3);
	s.n = 0;
	CHECK_EQ(cts_datagram_walk(dg, off + 3, note, &s, &st), 3);
	CHECK_EQ(st.malformed, 1);
}

#define XBIT(a) (1ull << (a))

/* A passive FTP data connection announced on a control connection: any source port. */
static struct cts_exp ftp_expectation(void)
{
	struct cts_exp x = { .timeout = 300, .flags = 0 };
	x.master = (struct cts_tuple){ .family = 4, .l4proto = 6, .sport = 40000, .dport = 21 };
	inet_pton(AF_INET, "192.0.2.100", x.master.src);
	inet_pton(AF_INET, "203.0.113.100", x.master.dst);
	x.expect = (struct cts_tuple){ .family = 4, .l4proto = 6, .sport = 0, .dport = 50000 };
	memcpy(x.expect.src, x.master.src, 4);
	memcpy(x.expect.dst, x.master.dst, 4);
	x.mask = (struct cts_tuple){ .family = 4, .l4proto = 6, .sport = 0, .dport = 0xffff };
	memset(x.mask.src, 0xff, 4);
	memset(x.mask.dst, 0xff, 4);
	strcpy(x.helper, "ftp");
	x.present = XBIT(CTS_X_MASTER_IPV4) | XBIT(CTS_X_MASTER_L4PROTO) | XBIT(CTS_X_MASTER_PORT) |
		    XBIT(CTS_X_EXPECT_IPV4) | XBIT(CTS_X_EXPECT_L4PROTO) | XBIT(CTS_X_EXPECT_PORT) |
		    XBIT(CTS_X_MASK_IPV4) | XBIT(CTS_X_MASK_L4PROTO) | XBIT(CTS_X_MASK_PORT) | XBIT(CTS_X_TIMEOUT) |
		    XBIT(CTS_X_FLAGS) | XBIT(CTS_X_HELPER_NAME);
	return x;
}

static void exp_message_golden_bytes(void)
{
	struct cts_exp x = ftp_expectation();
	uint8_t buf[256];
	size_t n = cts_build_exp(buf, sizeof(buf), CTS_EXP_NEW, 0, 9, &x);
	static const uint8_t want[] = {
		0x13, 0x00, 0x00, 0x74, 0, 0, 0, 9,					    /* v1 EXP_NEW, len 116 */
		0x00, 0x0c, 0x00, 0x00, 192, 0, 2, 100, 203, 0, 113, 100,		    /* MASTER_IPV4 */
		0x00, 0x05, 0x00, 0x02, 6, 0, 0, 0,					    /* MASTER_L4PROTO */
		0x00, 0x08, 0x00, 0x03, 0x9c, 0x40, 0x00, 0x15,				    /* MASTER_PORT */
		0x00, 0x0c, 0x00, 0x04, 192, 0, 2, 100, 203, 0, 113, 100,		    /* EXPECT_IPV4 */
		0x00, 0x05, 0x00, 0x06, 6, 0, 0, 0,					    /* EXPECT_L4PROTO */
		0x00, 0x08, 0x00, 0x07, 0x00, 0x00, 0xc3, 0x50,				    /* EXPECT_PORT */
		0x00, 0x0c, 0x00, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* MASK_IPV4 */
		0x00, 0x05, 0x00, 0x0a, 6, 0, 0, 0,					    /* MASK_L4PROTO */
		0x00, 0x08, 0x00, 0x0b, 0x00, 0x00, 0xff, 0xff,				    /* MASK_PORT */
		0x00, 0x08, 0x00, 0x0c, 0x00, 0x00, 0x01, 0x2c,				    /* TIMEOUT 300 */
		0x00, 0x08, 0x00, 0x0d, 0, 0, 0, 0,					    /* FLAGS */
		0x00, 0x08, 0x00, 0x13, 'f', 't', 'p', 0,				    /* HELPER_NAME */
	};
	CHECK_EQ(n, sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	struct cts_exp got;
	CHECK_EQ(cts_exp_decode(buf + CTS_HDR_LEN, n - CTS_HDR_LEN, &got), CTS_OK);
	CHECK(memcmp(&x, &got, sizeof(x)) == 0);
}

static void exp_with_nat_round_trip(void)
{
	struct cts_exp x = ftp_expectation(), got;
	x.nat = (struct cts_tuple){ .family = 4, .l4proto = 6, .sport = 0, .dport = 50000 };
	inet_pton(AF_INET, "203.0.113.100", x.nat.dst);
	x.nat_dir = 1;
	x.klass = 0;
	strcpy(x.fn, "nat-follow-master");
	x.present |= XBIT(CTS_X_NAT_IPV4) | XBIT(CTS_X_NAT_L4PROTO) | XBIT(CTS_X_NAT_PORT) | XBIT(CTS_X_NAT_DIR) |
		     XBIT(CTS_X_CLASS) | XBIT(CTS_X_FN);
	uint8_t buf[512];
	size_t n = cts_build_exp(buf, sizeof(buf), CTS_EXP_DEL, 0, 1, &x);
	CHECK(n > CTS_HDR_LEN);
	CHECK_EQ(cts_exp_decode(buf + CTS_HDR_LEN, n - CTS_HDR_LEN, &got), CTS_OK);
	CHECK(memcmp(&x, &got, sizeof(x)) == 0);
	CHECK_EQ(cts_build_exp(buf, n - 1, CTS_EXP_DEL, 0, 1, &x), 0); /* no room: nothing */
}

static void malformed_expectations(void)
{
	struct cts_exp x = ftp_expectation(), got;
	uint8_t buf[512];
	size_t n = cts_build_exp(buf, sizeof(buf), CTS_EXP_NEW, 0, 1, &x);
	uint8_t *p = buf + CTS_HDR_LEN;
	size_t len = n - CTS_HDR_LEN;
	uint8_t bad[512];
	/* An unknown attribute type (the first after FN). */
	memcpy(bad, p, len);
	bad[3] = CTS_X_MAX;
	CHECK_EQ(cts_exp_decode(bad, len, &got), CTS_E_ATTR);
	/* A helper name without its NUL. */
	memcpy(bad, p, len);
	bad[len - 1] = 'x';
	CHECK_EQ(cts_exp_decode(bad, len, &got), CTS_E_ATTR);
	/* No master tuple: the first 28 bytes are the master's three attributes. */
	CHECK_EQ(cts_exp_decode(p + 28, len - 28, &got), CTS_E_INCOMPLETE);
	/* IPv4 and IPv6 for the same tuple. */
	uint8_t two[12 + 36];
	memcpy(two, p, 12);
	memset(two + 12, 0, 36);
	two[13] = 36;
	two[15] = CTS_X_MASTER_IPV6;
	CHECK_EQ(cts_exp_decode(two, sizeof(two), &got), CTS_E_ATTR);
	/* A helper name longer than the kernel's 16 bytes. */
	memcpy(bad, p, len - 8);
	const uint8_t name[] = { 0x00, 0x15, 0x00, 0x13, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i',
				 'j',  'k',  'l',  'm',	 'n', 'o', 'p', 0,   0,	  0,   0 };
	memcpy(bad + len - 8, name, sizeof(name));
	CHECK_EQ(cts_exp_decode(bad, len - 8 + sizeof(name), &got), CTS_E_ATTR);
}

static const struct check_case cases[] = {
	{ "udp_message_golden_bytes", udp_message_golden_bytes },
	{ "entry_round_trip", entry_round_trip },
	{ "ipv6_helper_and_labels_round_trip", ipv6_helper_and_labels_round_trip },
	{ "control_messages", control_messages },
	{ "malformed_headers", malformed_headers },
	{ "malformed_attributes", malformed_attributes },
	{ "datagram_walk_counts_and_stops_at_garbage", datagram_walk_counts_and_stops_at_garbage },
	{ "exp_message_golden_bytes", exp_message_golden_bytes },
	{ "exp_with_nat_round_trip", exp_with_nat_round_trip },
	{ "malformed_expectations", malformed_expectations },
};

CHECK_MAIN(cases)
