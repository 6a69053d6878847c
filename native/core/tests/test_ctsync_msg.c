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

static const struct check_case cases[] = {
	{ "udp_message_golden_bytes", udp_message_golden_bytes },
	{ "entry_round_trip", entry_round_trip },
	{ "ipv6_helper_and_labels_round_trip", ipv6_helper_and_labels_round_trip },
	{ "control_messages", control_messages },
	{ "malformed_headers", malformed_headers },
	{ "malformed_attributes", malformed_attributes },
	{ "datagram_walk_counts_and_stops_at_garbage", datagram_walk_counts_and_stops_at_garbage },
};

CHECK_MAIN(cases)
