/* The WAN load-balancing classifier (bpf/wlb.bpf.c) run by BPF_PROG_TEST_RUN on crafted frames:
 * the real program, its real maps, in a private network namespace. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "netns_fixture.h"
#include "wlb_dataplane.h"

#define OBJ TANDEM_BPF_OUT "/wlb.bpf.o"
#define UNSPEC (-1)
#define LAN_IF "a0"

static struct wlb_dp *dp;
static int lan_ifindex, other_ifindex;

static void setup(void)
{
	struct tdm_err err = { 0 };

	fixture_veth_pair();
	CHECK(system("mount -t bpf bpf /sys/fs/bpf") == 0);
	lan_ifindex = (int)if_nametoindex("a0");
	other_ifindex = (int)if_nametoindex("b0");
	dp = wlb_dp_open(OBJ, "/sys/fs/bpf", &err);
	if (!dp)
		fprintf(stderr, "%s\n", err.msg);
	CHECK(dp != NULL);
}

struct frame {
	unsigned char b[128];
	uint32_t len;
};

/* Ethernet + IPv4 (+ 8 bytes of L4: ports, or ICMP type/code/id/seq). */
static struct frame ipv4(uint8_t proto, const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	struct frame f = { .len = 14 + 20 + 8 + 18 };
	unsigned char *ip = f.b + 14;

	f.b[12] = 0x08;
	ip[0] = 0x45;
	uint16_t tot = htons(20 + 8 + 18);
	memcpy(ip + 2, &tot, 2);
	ip[8] = 64;
	ip[9] = proto;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	uint16_t s = htons(sport), d = htons(dport);
	memcpy(ip + 20, &s, 2);
	memcpy(ip + 22, &d, 2);
	return f;
}

static uint32_t host(const char *a)
{
	struct in_addr in;

	CHECK(inet_pton(AF_INET, a, &in) == 1);
	return ntohl(in.s_addr);
}

/* A rule matching everything from a0 over the given pool. */
static struct wlb_rule_spec rule(uint32_t number, const uint8_t *slots, const uint8_t *weights, int n)
{
	static int inbound;
	struct wlb_rule_spec r = { .number = number, .inbound = &inbound, .n_inbound = 1 };

	inbound = lan_ifindex;
	for (int i = 0; i < n; i++) {
		r.pool[i].slot = slots[i];
		r.pool[i].weight = weights[i];
	}
	r.pool_len = (uint8_t)n;
	return r;
}

static void commit(const struct wlb_rule_spec *rules, uint32_t n)
{
	struct tdm_err err = { 0 };

	if (wlb_dp_commit(dp, rules, n, &err))
		fprintf(stderr, "%s\n", err.msg);
	CHECK(wlb_dp_set_active(dp, ~0ull, &err) == 0);
}

/* The mark the program gave the frame (0: untouched), checking it passed the packet on. */
static uint32_t run_on(struct frame f, int ifindex)
{
	struct tdm_err err = { 0 };
	struct wlb_test_result r;

	CHECK(wlb_dp_test_run(dp, f.b, f.len, ifindex, 1, &r, &err) == 0);
	CHECK_EQ(r.retval, UNSPEC);
	return r.mark;
}

static uint32_t run(struct frame f)
{
	return run_on(f, lan_ifindex);
}

static int flow_n;

/* A fresh UDP flow each call (the program pins flows it has seen). */
static struct frame new_udp(void)
{
	flow_n++;
	return ipv4(17, "198.51.100.130", "203.0.113.80", (uint16_t)(1024 + flow_n % 60000),
		    (uint16_t)(9 + flow_n / 60000));
}

static void weights_two_to_one_over_new_flows(void)
{
	setup();
	uint8_t slots[] = { 0, 1 }, weights[] = { 2, 1 };
	struct wlb_rule_spec r = rule(10, slots, weights, 2);
	commit(&r, 1);
	int n = 30000, first = 0;
	for (int i = 0; i < n; i++) {
		uint32_t m = run(new_udp());
		CHECK(m == 0xc9 || m == 0xca);
		first += m == 0xc9;
	}
	/* 2/3 within two percentage points over 30,000 independent draws (sd ≈ 0.27 pp). */
	CHECK(first * 100 > n * 6466 / 100 && first * 100 < n * 6866 / 100);
}

static void flow_stays_on_its_uplink(void)
{
	setup();
	uint8_t slots[] = { 0, 1 }, weights[] = { 1, 1 };
	struct wlb_rule_spec r = rule(10, slots, weights, 2);
	commit(&r, 1);
	for (int i = 0; i < 200; i++) {
		struct frame f = ipv4(1, "198.51.100.130", "203.0.113.80", 0, 0);
		f.b[34] = 8; /* echo request, identifier below */
		f.b[38] = (unsigned char)i;
		uint32_t first = run(f);
		for (int j = 0; j < 5; j++)
			CHECK_EQ(run(f), first);
	}
}

static void per_packet_rule_spreads_one_flow(void)
{
	setup();
	uint8_t slots[] = { 0, 1 }, weights[] = { 1, 1 };
	struct wlb_rule_spec r = rule(10, slots, weights, 2);
	r.flags |= WLB_R_PER_PACKET;
	commit(&r, 1);
	struct frame f = ipv4(47, "198.51.100.130", "203.0.113.80", 0, 0);
	int first = 0;
	for (int i = 0; i < 2000; i++)
		first += run(f) == 0xc9;
	CHECK(first > 900 && first < 1100);
}

static void failover_takes_first_active_member(void)
{
	setup();
	/* User space orders failover pools by weight: slot 1 (weight 10) first. */
	uint8_t slots[] = { 1, 0 }, weights[] = { 10, 1 };
	struct wlb_rule_spec r = rule(10, slots, weights, 2);
	r.flags |= WLB_R_FAILOVER;
	commit(&r, 1);
	for (int i = 0; i < 50; i++)
		CHECK_EQ(run(new_udp()), 0xca);
	struct tdm_err err = { 0 };
	CHECK(wlb_dp_set_active(dp, 1ull << 0, &err) == 0); /* slot 1 FAILED */
	for (int i = 0; i < 50; i++)
		CHECK_EQ(run(new_udp()), 0xc9);
	CHECK(wlb_dp_set_active(dp, 0, &err) == 0); /* none ACTIVE: the rule does not apply (W-7) */
	CHECK_EQ(run(new_udp()), 0);
}

static void failed_pool_falls_through_to_next_rule(void)
{
	setup();
	uint8_t s0[] = { 0 }, s1[] = { 1 }, w[] = { 1 };
	struct wlb_rule_spec rules[] = { rule(10, s0, w, 1), rule(20, s1, w, 1) };
	commit(rules, 2);
	CHECK_EQ(run(new_udp()), 0xc9);
	struct tdm_err err = { 0 };
	CHECK(wlb_dp_set_active(dp, 1ull << 1, &err) == 0);
	CHECK_EQ(run(new_udp()), 0xca);
}

static void criteria_protocol_addresses_ports_and_negation(void)
{
	setup();
	uint8_t s0[] = { 0 }, s1[] = { 1 }, w[] = { 1 };
	struct wlb_port_range sip[] = { { 5060, 5060 }, { 8000, 8010 } };
	struct wlb_rule_spec tcp_sip = rule(10, s0, w, 1);
	tcp_sip.flags |= WLB_R_PROTO | WLB_R_DPORT;
	tcp_sip.proto = 6;
	tcp_sip.dports = sip;
	tcp_sip.n_dports = 2;
	struct wlb_rule_spec not_net = rule(20, s1, w, 1);
	not_net.flags |= WLB_R_DADDR | WLB_R_DADDR_NEG | WLB_R_PROTO | WLB_R_PROTO_NEG;
	not_net.proto = 1; /* !icmp */
	not_net.daddr_lo = host("203.0.113.0");
	not_net.daddr_hi = host("203.0.113.63");
	struct wlb_rule_spec rules[] = { tcp_sip, not_net };
	commit(rules, 2);

	CHECK_EQ(run(ipv4(6, "198.51.100.130", "203.0.113.80", 40000, 5060)), 0xc9);
	CHECK_EQ(run(ipv4(6, "198.51.100.130", "203.0.113.80", 40001, 8005)), 0xc9);
	/* Port outside the list, destination outside 203.0.113.0/26, not ICMP → rule 20. */
	CHECK_EQ(run(ipv4(6, "198.51.100.130", "203.0.113.80", 40002, 80)), 0xca);
	/* Inside the negated prefix → no rule. */
	CHECK_EQ(run(ipv4(6, "198.51.100.130", "203.0.113.10", 40003, 80)), 0);
	/* ICMP is excluded from rule 20 by !icmp. */
	CHECK_EQ(run(ipv4(1, "198.51.100.130", "203.0.113.80", 0, 0)), 0);
	/* A later fragment has no ports: the port rule cannot match it. */
	struct frame frag = ipv4(6, "198.51.100.130", "203.0.113.80", 40004, 5060);
	frag.b[14 + 6] = 0x00;
	frag.b[14 + 7] = 0x10;
	CHECK_EQ(run(frag), 0xca);
}

static void negated_port_list_and_source_range(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_port_range ssh[] = { { 22, 22 } };
	struct wlb_rule_spec r = rule(10, s0, w, 1);
	r.flags |= WLB_R_PROTO | WLB_R_DPORT | WLB_R_DPORT_NEG | WLB_R_SADDR;
	r.proto = 6;
	r.dports = ssh;
	r.n_dports = 1;
	r.saddr_lo = host("198.51.100.130");
	r.saddr_hi = host("198.51.100.140");
	commit(&r, 1);
	CHECK_EQ(run(ipv4(6, "198.51.100.135", "203.0.113.80", 40000, 80)), 0xc9);
	CHECK_EQ(run(ipv4(6, "198.51.100.135", "203.0.113.80", 40001, 22)), 0);
	CHECK_EQ(run(ipv4(6, "198.51.100.141", "203.0.113.80", 40002, 80)), 0);
}

static void exclude_stops_evaluation(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_rule_spec ex = rule(5, s0, w, 0);
	ex.flags |= WLB_R_EXCLUDE | WLB_R_DADDR;
	ex.daddr_lo = host("198.51.100.128");
	ex.daddr_hi = host("198.51.100.255");
	struct wlb_rule_spec rules[] = { ex, rule(10, s0, w, 1) };
	commit(rules, 2);
	CHECK_EQ(run(ipv4(17, "198.51.100.130", "198.51.100.194", 1000, 53)), 0);
	CHECK_EQ(run(ipv4(17, "198.51.100.130", "203.0.113.80", 1000, 53)), 0xc9);
	/* Even with no ACTIVE interface anywhere, exclude still applies (W-9). */
	struct tdm_err err = { 0 };
	CHECK(wlb_dp_set_active(dp, 0, &err) == 0);
	CHECK_EQ(run(ipv4(17, "198.51.100.130", "198.51.100.194", 1001, 53)), 0);
}

static void other_inbound_interface_is_not_classified(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_rule_spec r = rule(10, s0, w, 1);
	commit(&r, 1);
	CHECK_EQ(run_on(new_udp(), other_ifindex), 0);
	CHECK_EQ(run_on(new_udp(), lan_ifindex), 0xc9);
}

static void limit_below_admits_burst_then_next_rule(void)
{
	setup();
	uint8_t s0[] = { 0 }, s1[] = { 1 }, w[] = { 1 };
	struct wlb_rule_spec limited = rule(10, s0, w, 1);
	/* 1 packet per hour, burst 5: five conform, the rest within the test are excess. */
	limited.flags |= WLB_R_LIMIT;
	limited.ns_per_token = 3600ull * 1000000000ull;
	limited.cap_ns = 5 * limited.ns_per_token;
	struct wlb_rule_spec rules[] = { limited, rule(20, s1, w, 1) };
	commit(rules, 2);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(run(new_udp()), 0xc9);
	for (int i = 0; i < 20; i++)
		CHECK_EQ(run(new_udp()), 0xca);

	/* threshold above: the same bucket now empty, so new flows take rule 10 … */
	rules[0].flags |= WLB_R_LIMIT_ABOVE;
	commit(rules, 2);
	CHECK_EQ(run(new_udp()), 0xc9);
	/* … and a reset bucket is full again: conforming packets go to rule 20. */
	struct tdm_err err = { 0 };
	CHECK(wlb_dp_reset_limit(dp, 10, &err) == 0);
	CHECK_EQ(run(new_udp()), 0xca);
}

static void generation_swap_changes_decisions(void)
{
	setup();
	uint8_t s0[] = { 0 }, s1[] = { 1 }, w[] = { 1 };
	struct wlb_rule_spec a = rule(10, s0, w, 1);
	commit(&a, 1);
	CHECK_EQ(run(new_udp()), 0xc9);
	struct wlb_rule_spec b = rule(10, s1, w, 1);
	commit(&b, 1);
	CHECK_EQ(run(new_udp()), 0xca);
	commit(NULL, 0);
	CHECK_EQ(run(new_udp()), 0);
}

static void malformed_and_ipv6_frames_pass_untouched(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_rule_spec r = rule(10, s0, w, 1);
	commit(&r, 1);
	struct frame f = new_udp();
	f.len = 14 + 20 + 2; /* UDP header cut short (test runs refuse a short IPv4 header) */
	CHECK_EQ(run(f), 0);
	f = new_udp();
	f.b[14] = 0x44; /* IHL 4 */
	CHECK_EQ(run(f), 0);
	f = new_udp();
	f.b[12] = 0x86;
	f.b[13] = 0xdd;
	CHECK_EQ(run(f), 0);
}

static int find_row(const struct wlb_counter_key *k, const struct wlb_counter *c, void *ctx)
{
	struct wlb_counter *want = ctx;

	if (k->rule == 10 && k->entry == 0)
		*want = *c;
	return 0;
}

static void counters_count_rows_and_totals(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_rule_spec r = rule(10, s0, w, 1);
	commit(&r, 1);
	for (int i = 0; i < 7; i++)
		run(new_udp());
	struct tdm_err err = { 0 };
	struct wlb_counter t, row = { 0 };
	CHECK(wlb_dp_totals(dp, &t, &err) == 0);
	CHECK_EQ(t.packets, 7);
	CHECK(wlb_dp_each_counter(dp, find_row, &row, &err) == 0);
	CHECK_EQ(row.packets, 7);
	CHECK_EQ(row.bytes, 7 * (14 + 20 + 8 + 18));
	CHECK(wlb_dp_clear_counters(dp, &err) == 0);
	CHECK(wlb_dp_totals(dp, &t, &err) == 0);
	CHECK_EQ(t.packets, 0);
}

/* A conntrack entry marked for slot 1 brings its later packets to slot 1; its replies stay
 * untouched (W-19, W-20). */
static void established_connection_restores_its_mark(void)
{
	setup();
	uint8_t s0[] = { 0 }, w[] = { 1 };
	struct wlb_rule_spec r = rule(10, s0, w, 1);
	commit(&r, 1);
	CHECK(system("conntrack -I -p udp -s 198.51.100.130 -d 203.0.113.80 --sport 5000 --dport 9 "
		     "--timeout 60 --mark 0xca >/dev/null 2>&1") == 0);
	CHECK_EQ(run(ipv4(17, "198.51.100.130", "203.0.113.80", 5000, 9)), 0xca);
	CHECK_EQ(run(ipv4(17, "203.0.113.80", "198.51.100.130", 9, 5000)), 0);
	/* A connection that started unassigned stays unassigned. */
	CHECK(system("conntrack -I -p tcp -s 198.51.100.130 -d 203.0.113.80 --sport 5001 --dport 80 "
		     "--state ESTABLISHED --timeout 60 >/dev/null 2>&1") == 0);
	CHECK_EQ(run(ipv4(6, "198.51.100.130", "203.0.113.80", 5001, 80)), 0);
}

static const struct check_case cases[] = {
	{ "weights_two_to_one_over_new_flows", weights_two_to_one_over_new_flows },
	{ "flow_stays_on_its_uplink", flow_stays_on_its_uplink },
	{ "per_packet_rule_spreads_one_flow", per_packet_rule_spreads_one_flow },
	{ "failover_takes_first_active_member", failover_takes_first_active_member },
	{ "failed_pool_falls_through_to_next_rule", failed_pool_falls_through_to_next_rule },
	{ "criteria_protocol_addresses_ports_and_negation", criteria_protocol_addresses_ports_and_negation },
	{ "negated_port_list_and_source_range", negated_port_list_and_source_range },
	{ "exclude_stops_evaluation", exclude_stops_evaluation },
	{ "other_inbound_interface_is_not_classified", other_inbound_interface_is_not_classified },
	{ "limit_below_admits_burst_then_next_rule", limit_below_admits_burst_then_next_rule },
	{ "generation_swap_changes_decisions", generation_swap_changes_decisions },
	{ "malformed_and_ipv6_frames_pass_untouched", malformed_and_ipv6_frames_pass_untouched },
	{ "counters_count_rows_and_totals", counters_count_rows_and_totals },
	{ "established_connection_restores_its_mark", established_connection_restores_its_mark },
};

CHECK_MAIN(cases)
