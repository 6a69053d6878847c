/* The VRRP state machine (vrrp_fsm), its timer arithmetic (vrrp_timers) and sync groups
 * (vrrp_sync_group), driven with a fake monotonic clock: every case asserts states, action lists
 * and deadlines against spec §1.9-1.14 and §4. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "vrrp_fsm.h"
#include "vrrp_sync_group.h"
#include "vrrp_timers.h"

/* ---- fixture ---- */

#define SEC 1000000ull
#define MS 1000ull
#define T0 (1000 * SEC) /* fake monotonic clock start */

static inline void ip4(uint8_t out[16], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	memset(out, 0, 16);
	out[0] = a;
	out[1] = b;
	out[2] = c;
	out[3] = d;
}

/* v2, VRID 10, priority 100, 1 s, preempt on, primary 192.0.2.11. */
static inline struct vrrp_fsm_config cfg_v2(uint8_t priority)
{
	struct vrrp_fsm_config c;

	memset(&c, 0, sizeof(c));
	c.vrid = 10;
	c.version = 2;
	c.family = 4;
	c.priority = priority;
	c.interval = 1;
	c.preempt = true;
	ip4(c.primary, 192, 0, 2, 11);
	return c;
}

/* v3 IPv4 at `cs` centiseconds. */
static inline struct vrrp_fsm_config cfg_v3(uint8_t priority, uint16_t cs)
{
	struct vrrp_fsm_config c = cfg_v2(priority);

	c.version = 3;
	c.interval = cs;
	return c;
}

/* An accepted advert from 192.0.2.<host> matching fsm's version and family. */
static inline struct vrrp_fsm_advert adv_from(const struct vrrp_fsm *f, uint8_t priority, uint8_t host)
{
	struct vrrp_fsm_advert a;

	memset(&a, 0, sizeof(a));
	a.version = f->cfg.version;
	a.family = f->cfg.family;
	a.priority = priority;
	a.interval = f->cfg.interval;
	ip4(a.src, 192, 0, 2, host);
	a.src_mac[5] = host;
	return a;
}

static inline size_t count_type(const struct vrrp_actions *o, enum vrrp_action_type t)
{
	size_t n = 0;

	for (uint32_t i = 0; i < o->n; i++)
		n += o->a[i].type == t;
	return n;
}

static inline const struct vrrp_action *find_type(const struct vrrp_actions *o, enum vrrp_action_type t)
{
	for (uint32_t i = 0; i < o->n; i++)
		if (o->a[i].type == t)
			return &o->a[i];
	return NULL;
}

/* The action list has exactly these types, in this order (terminated by -1). */
#define CHECK_TYPES(o, ...)                                                                     \
	do {                                                                                    \
		const int types_[] = { __VA_ARGS__, -1 };                                           \
		uint32_t i_ = 0;                                                                \
		CHECK_EQ((o)->dropped, 0);                                                      \
		for (; types_[i_] >= 0; i_++) {                                                     \
			CHECK(i_ < (o)->n);                                                     \
			CHECK_EQ((o)->a[i_].type, types_[i_]);                                      \
		}                                                                               \
		CHECK_EQ((o)->n, i_);                                                           \
	} while (0)

#define CHECK_NONE(o)                                                                           \
	do {                                                                                    \
		CHECK_EQ((o)->n, 0);                                                            \
		CHECK_EQ((o)->dropped, 0);                                                      \
	} while (0)

/* The first STATE_CHANGED of o goes from → to for reason. */
#define CHECK_CHANGE(o, f_, t_, r_)                                                             \
	do {                                                                                    \
		const struct vrrp_action *ch_ = find_type((o), VRRP_ACT_STATE_CHANGED);          \
		CHECK(ch_ != NULL);                                                              \
		CHECK_EQ(ch_->change.from, (f_));                                                \
		CHECK_EQ(ch_->change.to, (t_));                                                  \
		CHECK_EQ(ch_->change.reason, (r_));                                              \
	} while (0)

#define CHECK_SEND(o, prio)                                                                     \
	do {                                                                                    \
		const struct vrrp_action *send_ = find_type((o), VRRP_ACT_SEND_ADVERT);            \
		CHECK(send_ != NULL);                                                              \
		CHECK_EQ(send_->priority, (prio));                                                 \
	} while (0)

/* A started group: INIT → BACKUP (or MASTER for the owner) at T0. */
static inline void start_at(struct vrrp_fsm *f, const struct vrrp_fsm_config *c, uint64_t now,
			    struct vrrp_actions *o)
{
	vrrp_fsm_init(f, c);
	vrrp_fsm_start(f, now, 0, o);
}

/* A group that became MASTER through its Master_Down_Timer; returns the time it did. */
static inline uint64_t make_master(struct vrrp_fsm *f, const struct vrrp_fsm_config *c, struct vrrp_actions *o)
{
	uint64_t t;

	start_at(f, c, T0, o);
	t = o->next_deadline_us;
	vrrp_fsm_tick(f, t, o);
	CHECK_EQ(f->state, VRRP_STATE_MASTER);
	return t;
}


/* ---- timers (§1.9) ---- */

/* The worked table of §1.9 at a 1 s interval: exact µs and the spec's millisecond rounding. */
static void timer_table_1s(void)
{
	static const struct {
		uint8_t prio;
		uint64_t skew_us;
		unsigned spec_ms; /* Skew_Time column */
	} rows[] = {
		{ 254, 7812, 8 },    { 250, 23437, 23 },  { 201, 214843, 215 }, { 200, 218750, 219 },
		{ 150, 414062, 414 }, { 120, 531250, 531 }, { 100, 609375, 609 }, { 70, 726562, 727 },
		{ 20, 921875, 922 }, { 10, 960937, 961 }, { 1, 996093, 996 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t skew = vrrp_skew_us(rows[i].prio, SEC);

		CHECK_EQ(skew, rows[i].skew_us);
		CHECK_EQ((skew + 500) / 1000, rows[i].spec_ms);
		CHECK_EQ(vrrp_master_down_us(rows[i].prio, SEC), 3 * SEC + rows[i].skew_us);
	}
	/* The spec's headline numbers. */
	CHECK_EQ(vrrp_skew_us(100, SEC), 609375);
	CHECK_EQ(vrrp_master_down_us(100, SEC), 3609375);
}

static void timer_v3_centiseconds(void)
{
	uint64_t iv = vrrp_interval_us(3, 10);

	CHECK_EQ(iv, 100000);
	CHECK_EQ(vrrp_skew_us(100, iv), 60937); /* 60.9 ms */
	CHECK_EQ(vrrp_master_down_us(100, iv), 360937); /* 360.9 ms */
	CHECK_EQ(vrrp_interval_us(3, 100), SEC);
	CHECK_EQ(vrrp_interval_us(3, 1), 10000);
	CHECK_EQ(vrrp_interval_us(3, 4095), 40950000);
	CHECK_EQ(vrrp_interval_us(2, 1), SEC);
	CHECK_EQ(vrrp_interval_us(2, 255), 255 * SEC);
	/* No overflow at the largest values. */
	CHECK_EQ(vrrp_master_down_us(1, 255 * SEC), 3 * 255 * SEC + 255 * SEC * 255 / 256);
}

static void effective_priority_clamps(void)
{
	static const struct {
		uint8_t configured;
		int32_t delta;
		uint8_t effective;
	} rows[] = {
		{ 100, 0, 100 }, { 100, 20, 120 }, { 100, -20, 80 }, { 100, 200, 254 }, { 100, -150, 1 },
		{ 254, 1, 254 }, { 1, -1, 1 },     { 255, -50, 255 }, { 255, 10, 255 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK_EQ(vrrp_effective_priority(rows[i].configured, rows[i].delta), rows[i].effective);
}

static void names_for_log_and_events(void)
{
	CHECK(strcmp(vrrp_state_name(VRRP_STATE_MASTER), "MASTER") == 0);
	CHECK(strcmp(vrrp_state_name(VRRP_STATE_DISABLED), "DISABLED") == 0);
	CHECK(strcmp(vrrp_reason_name(VRRP_REASON_MASTER_DOWN), "master-down-timer") == 0);
	CHECK(strcmp(vrrp_reason_name(VRRP_REASON_HIGHER_PRIORITY), "higher-priority-advert") == 0);
	CHECK(strcmp(vrrp_reason_name(VRRP_REASON_FAULT_LINK), "fault:link-down") == 0);
	CHECK(strcmp(vrrp_reason_name(VRRP_REASON_OPERATOR_RESET), "operator-reset") == 0);
	CHECK(strcmp(vrrp_reason_text(VRRP_REASON_MASTER_DOWN), "master down timer expired") == 0);
	CHECK(strcmp(vrrp_reason_text(VRRP_REASON_PREEMPTION), "preempted lower priority master") == 0);
	CHECK(strcmp(vrrp_reason_text(VRRP_REASON_PRIORITY_ZERO), "priority 0 received") == 0);
	for (int r = VRRP_REASON_NONE; r <= VRRP_REASON_RESUME; r++) {
		CHECK(strcmp(vrrp_reason_name(r), "unknown") != 0);
		CHECK(vrrp_reason_text(r) != NULL);
	}
	CHECK(strcmp(vrrp_reason_name(99), "unknown") == 0);
}

/* ---- INIT rows of §1.10 ---- */

static void init_owner_goes_master_at_once(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(255);

	vrrp_fsm_init(&f, &c);
	CHECK_EQ(f.state, VRRP_STATE_INIT);
	CHECK_EQ(vrrp_fsm_next_deadline(&f), 0);
	vrrp_fsm_start(&f, T0, 0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS, VRRP_ACT_ANNOUNCE);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_MASTER, VRRP_REASON_OWNER_STARTUP);
	CHECK_SEND(&o, 255);
	CHECK_EQ(o.a[3].announce, VRRP_ANNOUNCE_FIRST);
	CHECK_EQ(o.next_deadline_us, T0 + SEC);
	CHECK_EQ(f.counters.became_master, 1);
	CHECK_EQ(f.counters.adverts_sent, 1);
	CHECK_EQ(f.last_transition_us, T0);
}

static void init_backup_arms_master_down(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);

	start_at(&f, &c, T0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_BACKUP, VRRP_REASON_STARTUP);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	CHECK_EQ(f.master_adver_interval_us, SEC);
	CHECK_EQ(o.next_deadline_us, T0 + 3609375);
	CHECK_EQ(vrrp_fsm_skew_us(&f), 609375);
	CHECK_EQ(vrrp_fsm_master_down_us(&f), 3609375);
	CHECK_EQ(f.counters.adverts_sent, 0);
	/* A second start is a no-op. */
	vrrp_fsm_start(&f, T0 + SEC, 0, &o);
	CHECK_NONE(&o);
	CHECK_EQ(o.next_deadline_us, T0 + 3609375);
}

static void init_with_fault_goes_fault(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	const struct vrrp_action *a;

	vrrp_fsm_init(&f, &c);
	vrrp_fsm_set_fault(&f, T0, VRRP_FAULT_LINK, true, 7, &o);
	CHECK_NONE(&o); /* recorded only: not started */
	CHECK_EQ(f.state, VRRP_STATE_INIT);
	vrrp_fsm_start(&f, T0, 0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_FAULT, VRRP_REASON_FAULT_LINK);
	a = find_type(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_EQ(a->change.fault_detail, 7);
	CHECK_EQ(o.next_deadline_us, 0);
}

static void init_owner_with_fault_goes_fault(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(255);

	vrrp_fsm_init(&f, &c);
	vrrp_fsm_set_fault(&f, T0, VRRP_FAULT_NO_SOURCE, true, 0, &o);
	vrrp_fsm_start(&f, T0, 0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_FAULT, VRRP_REASON_FAULT_NO_SOURCE);
	CHECK_EQ(f.counters.adverts_sent, 0);
}

/* ---- BACKUP rows ---- */

static void backup_master_down_fires(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);

	start_at(&f, &c, T0, &o);
	vrrp_fsm_tick(&f, T0 + 3609374, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	vrrp_fsm_tick(&f, T0 + 3609375, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS, VRRP_ACT_ANNOUNCE);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_MASTER_DOWN);
	CHECK_SEND(&o, 100);
	CHECK_EQ(o.next_deadline_us, T0 + 3609375 + SEC);
	CHECK_EQ(f.counters.became_master, 1);
}

static void backup_accepts_higher_and_equal(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;
	uint64_t t = T0;

	start_at(&f, &c, T0, &o);
	/* Higher, equal from a lower address, equal from a higher address (V-14): all re-arm. */
	for (int i = 0; i < 30; i++) {
		static const uint8_t prio[3] = { 150, 100, 100 };
		static const uint8_t host[3] = { 12, 5, 200 };

		t += SEC;
		a = adv_from(&f, prio[i % 3], host[i % 3]);
		vrrp_fsm_advert(&f, t, &a, &o);
		CHECK_NONE(&o);
		CHECK_EQ(o.next_deadline_us, t + 3609375);
		CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	}
	vrrp_fsm_tick(&f, t + 3609374, &o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	/* The master as show prints it (V-102): the last accepted advert. */
	CHECK(f.master.known);
	CHECK_EQ(f.master.priority, 100);
	CHECK_EQ(f.master.addr[3], 200);
	CHECK_EQ(f.master.mac[5], 200);
	CHECK_EQ(f.master.last_seen_us, t);
	CHECK_EQ(f.counters.adverts_received, 30);
}

static void backup_priority_zero_arms_skew(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;
	const struct vrrp_action *ch;

	start_at(&f, &c, T0, &o);
	a = adv_from(&f, 150, 12);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	a = adv_from(&f, 0, 12);
	vrrp_fsm_advert(&f, T0 + SEC + 500 * MS, &a, &o);
	CHECK_NONE(&o);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 500 * MS + 609375);
	CHECK_EQ(f.counters.prio0_received, 1);
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PRIORITY_ZERO);
	ch = find_type(&o, VRRP_ACT_STATE_CHANGED);
	CHECK(ch->change.has_peer);
	CHECK_EQ(ch->change.peer[3], 12);
	CHECK_EQ(ch->change.peer_priority, 150);
}

static void backup_lower_advert_preempts(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(150);
	struct vrrp_fsm_advert a;
	const struct vrrp_action *ch;
	uint64_t down = T0 + 3414062;

	start_at(&f, &c, T0, &o);
	CHECK_EQ(o.next_deadline_us, down);
	for (uint64_t t = T0 + SEC; t < down; t += SEC) {
		a = adv_from(&f, 20, 12);
		vrrp_fsm_advert(&f, t, &a, &o);
		CHECK_NONE(&o);
		CHECK_EQ(o.next_deadline_us, down); /* discarded: the timer keeps running */
	}
	CHECK(!f.master.known);
	vrrp_fsm_tick(&f, down, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PREEMPTION);
	ch = find_type(&o, VRRP_ACT_STATE_CHANGED);
	CHECK(ch->change.has_peer);
	CHECK_EQ(ch->change.peer_priority, 20);
	CHECK_EQ(ch->change.peer[3], 12);
}

static void backup_preempt_off_keeps_lower_master(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(150);
	struct vrrp_fsm_advert a;
	uint64_t t = T0;

	c.preempt = false;
	start_at(&f, &c, T0, &o);
	for (int i = 0; i < 30; i++) {
		t += SEC;
		a = adv_from(&f, 20, 12);
		vrrp_fsm_advert(&f, t, &a, &o);
		CHECK_EQ(o.next_deadline_us, t + 3414062);
		vrrp_fsm_tick(&f, t + 999 * MS, &o);
		CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	}
	/* V-13: only the master's silence moves the role. */
	vrrp_fsm_tick(&f, t + 3414062, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_MASTER_DOWN);
}

static void backup_fault_cancels_timers(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	const struct vrrp_action *ch;

	start_at(&f, &c, T0, &o);
	vrrp_fsm_set_fault(&f, T0 + SEC, VRRP_FAULT_TRACK, true, 42, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_FAULT, VRRP_REASON_FAULT_TRACK);
	ch = find_type(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_EQ(ch->change.fault_detail, 42);
	CHECK_EQ(o.next_deadline_us, 0);
	vrrp_fsm_tick(&f, T0 + 100 * SEC, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_FAULT);
}

static void backup_stop_and_disable_send_nothing(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);

	start_at(&f, &c, T0, &o);
	vrrp_fsm_stop(&f, T0 + SEC, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_INIT, VRRP_REASON_SHUTDOWN);
	CHECK_EQ(o.next_deadline_us, 0);
	CHECK(!f.started);

	start_at(&f, &c, T0, &o);
	vrrp_fsm_disable(&f, T0 + SEC, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE);
	CHECK_EQ(o.next_deadline_us, 0);
	CHECK_EQ(f.counters.adverts_sent, 0);
}

/* ---- MASTER rows ---- */

/* §1.12: next = previous + interval, whatever the lateness of each tick. */
static void master_schedule_is_drift_free(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	for (uint64_t k = 1; k <= 3600; k++) {
		uint64_t due = t0 + k * SEC;
		uint64_t late = (k * 7919) % (300 * MS); /* up to 0.3 s of scheduling jitter */

		CHECK_EQ(vrrp_fsm_next_deadline(&f), due); /* the second announce (+5 s) is on the grid */
		vrrp_fsm_tick(&f, due + late, &o);
		CHECK_EQ(count_type(&o, VRRP_ACT_SEND_ADVERT), 1);
		CHECK_SEND(&o, 100);
		CHECK_EQ(o.next_deadline_us, due + SEC);
	}
	CHECK_EQ(f.counters.adverts_sent, 3601);
}

static void master_v3_fast_schedule(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v3(100, 10);
	uint64_t t0 = make_master(&f, &c, &o);

	CHECK_EQ(t0, T0 + 360937);
	CHECK_EQ(o.next_deadline_us, t0 + 100 * MS);
	for (uint64_t k = 1; k <= 1000; k++) {
		vrrp_fsm_tick(&f, t0 + k * 100 * MS + 3 * MS, &o);
		CHECK_EQ(count_type(&o, VRRP_ACT_SEND_ADVERT), 1);
		CHECK_EQ(o.next_deadline_us, t0 + (k + 1) * 100 * MS);
	}
}

static void master_late_tick_keeps_phase(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	/* 3.5 intervals late: one advert, then back on the grid. */
	vrrp_fsm_tick(&f, t0 + 3500 * MS, &o);
	CHECK_EQ(count_type(&o, VRRP_ACT_SEND_ADVERT), 1);
	CHECK_EQ(o.next_deadline_us, t0 + 4 * SEC);
	/* A spurious early tick does nothing. */
	vrrp_fsm_tick(&f, t0 + 3900 * MS, &o);
	CHECK_NONE(&o);
}

static void master_second_announce_after_5s(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	int seconds = 0;

	CHECK_EQ(count_type(&o, VRRP_ACT_ANNOUNCE), 1);
	CHECK_EQ(find_type(&o, VRRP_ACT_ANNOUNCE)->announce, VRRP_ANNOUNCE_FIRST);
	for (uint64_t k = 1; k <= 10; k++) {
		vrrp_fsm_tick(&f, t0 + k * SEC, &o);
		if (count_type(&o, VRRP_ACT_ANNOUNCE)) {
			CHECK_EQ(k, 5);
			CHECK_EQ(find_type(&o, VRRP_ACT_ANNOUNCE)->announce, VRRP_ANNOUNCE_SECOND);
			seconds++;
		}
	}
	CHECK_EQ(seconds, 1);

	/* Leaving MASTER before the second burst cancels it. */
	t0 = make_master(&f, &c, &o);
	vrrp_fsm_set_fault(&f, t0 + SEC, VRRP_FAULT_LINK, true, 0, &o);
	CHECK_EQ(o.next_deadline_us, 0);
}

static void master_priority_zero_sends_extra_advert(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 0, 12);

	vrrp_fsm_advert(&f, t0 + 300 * MS, &a, &o);
	CHECK_TYPES(&o, VRRP_ACT_SEND_ADVERT);
	CHECK_SEND(&o, 100);
	CHECK_EQ(o.next_deadline_us, t0 + 1300 * MS); /* Adver_Timer re-armed from now */
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	CHECK_EQ(f.counters.prio0_received, 1);
	CHECK_EQ(f.counters.adverts_sent, 2);
}

static void master_yields_to_higher_priority(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 150, 5);
	const struct vrrp_action *ch;

	vrrp_fsm_advert(&f, t0 + 200 * MS, &a, &o);
	/* No priority-0 advert: the winner is already master (§1.10). */
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_HIGHER_PRIORITY);
	ch = find_type(&o, VRRP_ACT_STATE_CHANGED);
	CHECK(ch->change.has_peer);
	CHECK_EQ(ch->change.peer_priority, 150);
	CHECK_EQ(ch->change.peer[3], 5);
	CHECK_EQ(o.next_deadline_us, t0 + 200 * MS + 3609375);
	CHECK_EQ(f.counters.released_master, 1);
	CHECK_EQ(f.counters.prio0_sent, 0);
	CHECK(f.master.known);
	CHECK_EQ(f.master.priority, 150);
}

/* Equal priority: the higher primary address (unsigned big-endian) wins, both ways. */
static void master_tie_break_both_ways(void)
{
	static const struct {
		uint8_t a, b, c, d;
		bool yields;
	} rows[] = {
		{ 192, 0, 2, 12, true }, /* .12 > .11 */
		{ 192, 0, 2, 10, false },
		{ 192, 0, 3, 1, true }, /* higher in the third byte */
		{ 192, 0, 1, 255, false },
		{ 200, 0, 0, 0, true }, /* first byte beyond 127: unsigned */
		{ 10, 255, 255, 255, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vrrp_fsm f;
		struct vrrp_actions o;
		struct vrrp_fsm_config c = cfg_v2(100);
		uint64_t t0 = make_master(&f, &c, &o);
		struct vrrp_fsm_advert a = adv_from(&f, 100, 0);

		ip4(a.src, rows[i].a, rows[i].b, rows[i].c, rows[i].d);
		vrrp_fsm_advert(&f, t0 + 10 * MS, &a, &o);
		CHECK_EQ(f.state, rows[i].yields ? VRRP_STATE_BACKUP : VRRP_STATE_MASTER);
	}
}

static void master_tie_break_ipv6(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	struct vrrp_fsm_advert a;
	uint64_t t0;

	c.family = 6;
	memset(c.primary, 0, 16);
	c.primary[0] = 0xfe;
	c.primary[1] = 0x80;
	c.primary[15] = 0x10;
	t0 = make_master(&f, &c, &o);
	a = adv_from(&f, 100, 0);
	memcpy(a.src, c.primary, 16);
	a.src[15] = 0x0f; /* lower in the last byte */
	vrrp_fsm_advert(&f, t0 + 10 * MS, &a, &o);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	a.src[8] = 0x01; /* higher in byte 8, beyond an IPv4 compare */
	vrrp_fsm_advert(&f, t0 + 20 * MS, &a, &o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
}

/* V-15: a competing lower master makes us re-announce, at most once per Master_Down_Interval. */
static void master_reannounces_on_lower_advert(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 50, 12);

	vrrp_fsm_advert(&f, t0 + 100 * MS, &a, &o);
	CHECK_TYPES(&o, VRRP_ACT_ANNOUNCE);
	CHECK_EQ(o.a[0].announce, VRRP_ANNOUNCE_SPLIT_BRAIN);
	vrrp_fsm_advert(&f, t0 + 1100 * MS, &a, &o);
	CHECK_NONE(&o);
	vrrp_fsm_advert(&f, t0 + 100 * MS + 3609374, &a, &o);
	CHECK_NONE(&o);
	vrrp_fsm_advert(&f, t0 + 100 * MS + 3609375, &a, &o);
	CHECK_TYPES(&o, VRRP_ACT_ANNOUNCE);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
}

static void master_disable_releases(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 0, 12);

	vrrp_fsm_disable(&f, t0 + 10 * MS, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE);
	CHECK_SEND(&o, 0);
	CHECK_EQ(o.next_deadline_us, 0);
	CHECK_EQ(f.counters.prio0_sent, 1);
	CHECK_EQ(f.counters.released_master, 1);
	/* V-8: sends nothing, reacts to nothing; still counts. */
	vrrp_fsm_advert(&f, t0 + SEC, &a, &o);
	CHECK_NONE(&o);
	vrrp_fsm_tick(&f, t0 + 100 * SEC, &o);
	CHECK_NONE(&o);
	vrrp_fsm_disable(&f, t0 + 101 * SEC, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.counters.adverts_received, 1);
}

static void master_stop_releases(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	vrrp_fsm_stop(&f, t0 + 10 * MS, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_INIT, VRRP_REASON_SHUTDOWN);
	CHECK_SEND(&o, 0);
	CHECK_EQ(o.next_deadline_us, 0);
}

/* V-61: release only when the link can still transmit. */
static void master_fault_release_depends_on_link(void)
{
	static const struct {
		uint32_t fault;
		bool release;
		uint8_t reason;
	} rows[] = {
		{ VRRP_FAULT_LINK, false, VRRP_REASON_FAULT_LINK },
		{ VRRP_FAULT_NO_SOURCE, false, VRRP_REASON_FAULT_NO_SOURCE },
		{ VRRP_FAULT_TRACK, true, VRRP_REASON_FAULT_TRACK },
		{ VRRP_FAULT_SYNC, true, VRRP_REASON_FAULT_SYNC },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vrrp_fsm f;
		struct vrrp_actions o;
		struct vrrp_fsm_config c = cfg_v2(100);
		uint64_t t0 = make_master(&f, &c, &o);

		vrrp_fsm_set_fault(&f, t0 + 10 * MS, rows[i].fault, true, 3, &o);
		if (rows[i].release)
			CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
		else
			CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_REMOVE_VIPS);
		CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_FAULT, rows[i].reason);
		CHECK_EQ(o.next_deadline_us, 0);
		CHECK_EQ(f.counters.released_master, 1);
	}
}

static void owner_ignores_every_advert(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(255);
	struct vrrp_fsm_advert a;

	start_at(&f, &c, T0, &o);
	a = adv_from(&f, 255, 250); /* another owner with a higher address */
	vrrp_fsm_advert(&f, T0 + 10 * MS, &a, &o);
	CHECK_NONE(&o);
	a = adv_from(&f, 0, 250);
	vrrp_fsm_advert(&f, T0 + 20 * MS, &a, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	CHECK_EQ(o.next_deadline_us, T0 + SEC);
	CHECK_EQ(f.counters.adverts_received, 2);
	/* Adverts of another version or family never reach the machine. */
	a = adv_from(&f, 150, 12);
	a.version = 3;
	vrrp_fsm_advert(&f, T0 + 30 * MS, &a, &o);
	CHECK_EQ(f.counters.adverts_received, 2);
}

/* ---- FAULT ---- */

static void fault_clear_restarts_backup(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;

	start_at(&f, &c, T0, &o);
	vrrp_fsm_set_fault(&f, T0 + SEC, VRRP_FAULT_LINK, true, 2, &o);
	vrrp_fsm_set_fault(&f, T0 + 2 * SEC, VRRP_FAULT_TRACK, true, 9, &o);
	CHECK_NONE(&o);
	/* V-61: adverts counted, not acted on. */
	a = adv_from(&f, 0, 12);
	vrrp_fsm_advert(&f, T0 + 3 * SEC, &a, &o);
	CHECK_NONE(&o);
	CHECK_EQ(o.next_deadline_us, 0);
	vrrp_fsm_set_fault(&f, T0 + 4 * SEC, VRRP_FAULT_LINK, false, 0, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_FAULT);
	vrrp_fsm_set_fault(&f, T0 + 5 * SEC, VRRP_FAULT_TRACK, false, 0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_FAULT, VRRP_STATE_BACKUP, VRRP_REASON_FAULT_CLEARED);
	CHECK_EQ(o.next_deadline_us, T0 + 5 * SEC + 3609375); /* V-62: a full Master_Down_Interval */
	/* Unknown fault bits are ignored. */
	vrrp_fsm_set_fault(&f, T0 + 6 * SEC, 3, true, 0, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
}

static void fault_clear_owner_goes_master(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(255);

	start_at(&f, &c, T0, &o);
	vrrp_fsm_set_fault(&f, T0 + SEC, VRRP_FAULT_LINK, true, 0, &o);
	CHECK_EQ(f.state, VRRP_STATE_FAULT);
	vrrp_fsm_set_fault(&f, T0 + 2 * SEC, VRRP_FAULT_LINK, false, 0, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS, VRRP_ACT_ANNOUNCE);
	CHECK_CHANGE(&o, VRRP_STATE_FAULT, VRRP_STATE_MASTER, VRRP_REASON_OWNER_STARTUP);
	CHECK_EQ(f.counters.became_master, 2);
	CHECK_EQ(f.counters.released_master, 1);
}

/* ---- v3 interval adoption ---- */

static void v3_backup_adopts_master_interval(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	struct vrrp_fsm_advert a;

	start_at(&f, &c, T0, &o);
	CHECK_EQ(o.next_deadline_us, T0 + 3609375);
	a = adv_from(&f, 200, 12);
	a.interval = 50;
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	CHECK_EQ(f.master_adver_interval_us, 500000);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 3 * 500000 + 304687);
	CHECK_EQ(vrrp_fsm_skew_us(&f), 304687);
	CHECK_EQ(f.master.interval_us, 500000);
	/* As MASTER it sends at its own interval, never the learnt one. */
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 1804687 + SEC);
}

static void v3_master_yielding_adopts_interval(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 200, 12);

	a.interval = 10;
	vrrp_fsm_advert(&f, t0 + 10 * MS, &a, &o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	CHECK_EQ(o.next_deadline_us, t0 + 10 * MS + 360937);
}

static void v2_keeps_local_interval(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;

	start_at(&f, &c, T0, &o);
	a = adv_from(&f, 200, 12);
	a.interval = 3; /* the pipeline drops these (step 15); the FSM never adopts v2 intervals */
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	CHECK_EQ(f.master_adver_interval_us, SEC);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 3609375);
}

/* ---- preemption delay (V-24, S-10) ---- */

static void preempt_delay_window(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(200);
	struct vrrp_fsm_advert a;
	uint64_t first = T0 + 700 * MS, t;

	c.preempt_delay_s = 30;
	start_at(&f, &c, T0, &o);
	for (t = first;; t += SEC) {
		if (o.next_deadline_us <= t) {
			vrrp_fsm_tick(&f, o.next_deadline_us, &o);
			CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PREEMPTION);
			break;
		}
		a = adv_from(&f, 100, 12);
		vrrp_fsm_advert(&f, t, &a, &o);
		if (t < first + 30 * SEC)
			CHECK_EQ(o.next_deadline_us, t + 3218750); /* inside the window: accepted */
		else
			CHECK(o.next_deadline_us < t + 3218750); /* outside: discarded */
	}
	/* MASTER between D and D + Master_Down_Interval after the first lower advert. */
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	CHECK(f.last_transition_us >= first + 30 * SEC);
	CHECK(f.last_transition_us <= first + 30 * SEC + 3218750);
	CHECK_EQ(f.last_transition_us, first + 29 * SEC + 3218750);
	CHECK_EQ(f.counters.became_master, 1);
}

static void preempt_delay_never_delays_takeover(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(200);
	struct vrrp_fsm_advert a;

	c.preempt_delay_s = 30;
	/* Silence: plain Master_Down_Interval. */
	start_at(&f, &c, T0, &o);
	CHECK_EQ(o.next_deadline_us, T0 + 3218750);
	/* A lower master opens the window, then releases: Skew_Time, not the window. */
	a = adv_from(&f, 100, 12);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	a.priority = 0;
	vrrp_fsm_advert(&f, T0 + 2 * SEC, &a, &o);
	CHECK_EQ(o.next_deadline_us, T0 + 2 * SEC + 218750);
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PRIORITY_ZERO);
}

static void preempt_delay_window_resets_on_leaving_backup(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(200);
	struct vrrp_fsm_advert a;
	uint64_t t;

	c.preempt_delay_s = 5;
	start_at(&f, &c, T0, &o);
	a = adv_from(&f, 100, 12);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o); /* window opens */
	CHECK(f.window_opened);
	vrrp_fsm_set_fault(&f, T0 + 2 * SEC, VRRP_FAULT_LINK, true, 0, &o);
	vrrp_fsm_set_fault(&f, T0 + 20 * SEC, VRRP_FAULT_LINK, false, 0, &o);
	CHECK(!f.window_opened);
	/* A fresh window: the lower advert 20 s after the first one is accepted again. */
	t = T0 + 21 * SEC;
	vrrp_fsm_advert(&f, t, &a, &o);
	CHECK_EQ(o.next_deadline_us, t + 3218750);
	/* preempt false: the delay does nothing (never opens). */
	c.preempt = false;
	start_at(&f, &c, T0, &o);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	CHECK(!f.window_opened);
}

/* ---- reset vrrp master (V-103, S-6) ---- */

static void reset_master_holds_preemption(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(201);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 200, 128);
	uint64_t t = t0 + 500 * MS;

	CHECK_EQ(vrrp_fsm_reset_master(&f, t, &o), 0);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_OPERATOR_RESET);
	CHECK_SEND(&o, 0);
	CHECK_EQ(o.next_deadline_us, t + 3214843);
	CHECK_EQ(vrrp_fsm_reset_master(&f, t, &o), -EINVAL); /* not in MASTER state */
	CHECK_NONE(&o);
	/* The peer (200 < 201) takes over; we accept it for as long as it lives. */
	for (int i = 1; i <= 60; i++) {
		vrrp_fsm_advert(&f, t + i * SEC, &a, &o);
		CHECK_EQ(o.next_deadline_us, t + i * SEC + 3214843);
		vrrp_fsm_tick(&f, t + i * SEC + 999 * MS, &o);
		CHECK_EQ(f.state, VRRP_STATE_BACKUP);
	}
	/* A commit lifts the hold: the next lower advert is discarded and we preempt. */
	c.preempt_delay_s = 0;
	c.accept = true;
	vrrp_fsm_reconfigure(&f, t + 61 * SEC, &c, &o);
	CHECK(!f.preempt_hold);
	vrrp_fsm_advert(&f, t + 62 * SEC, &a, &o);
	CHECK_EQ(o.next_deadline_us, t + 60 * SEC + 3214843);
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PREEMPTION);
}

static void reset_master_hold_yields_to_release(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(201);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 0, 128);

	CHECK_EQ(vrrp_fsm_reset_master(&f, t0 + SEC, &o), 0);
	vrrp_fsm_advert(&f, t0 + 2 * SEC, &a, &o);
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PRIORITY_ZERO);
	CHECK(!f.preempt_hold); /* leaving BACKUP ends the hold */
}

static void reset_master_refuses_owner(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(255);

	start_at(&f, &c, T0, &o);
	CHECK_EQ(vrrp_fsm_reset_master(&f, T0 + SEC, &o), -EPERM);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
}

/* ---- start delay (V-4) and resume (V-5) ---- */

static void start_delay_holds_init(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;

	c.start_delay_s = 60;
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_start(&f, T0, VRRP_START_DELAY, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_INIT);
	CHECK_EQ(o.next_deadline_us, T0 + 60 * SEC);
	a = adv_from(&f, 0, 12);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o); /* neither reacts nor sends */
	CHECK_NONE(&o);
	CHECK_EQ(o.next_deadline_us, T0 + 60 * SEC);
	vrrp_fsm_tick(&f, T0 + 60 * SEC - 1, &o);
	CHECK_NONE(&o);
	vrrp_fsm_tick(&f, T0 + 60 * SEC, &o);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_BACKUP, VRRP_REASON_STARTUP);
	CHECK_EQ(o.next_deadline_us, T0 + 60 * SEC + 3609375);

	/* Without the flag (restart, group added by a commit) the delay does not apply. */
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_start(&f, T0, 0, &o);
	CHECK_EQ(f.state, VRRP_STATE_BACKUP);

	/* An owner waits too, then goes MASTER; a fault at expiry gives FAULT. */
	c.priority = 255;
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_start(&f, T0, VRRP_START_DELAY, &o);
	CHECK_EQ(f.state, VRRP_STATE_INIT);
	vrrp_fsm_set_fault(&f, T0 + SEC, VRRP_FAULT_LINK, true, 0, &o);
	CHECK_NONE(&o);
	vrrp_fsm_tick(&f, T0 + 60 * SEC, &o);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_FAULT, VRRP_REASON_FAULT_LINK);
}

static void resume_master_without_announce(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);

	vrrp_fsm_init(&f, &c);
	f.last_transition_us = T0 - 138 * SEC; /* restored by the engine from its record */
	vrrp_fsm_start(&f, T0, VRRP_START_RESUME | VRRP_START_DELAY, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_MASTER, VRRP_REASON_RESUME);
	CHECK_EQ(o.next_deadline_us, T0 + SEC);
	CHECK_EQ(f.counters.became_master, 0);
	CHECK_EQ(f.last_transition_us, T0 - 138 * SEC);

	/* With a fault the record's VIPs are removed and the group starts in FAULT. */
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_set_fault(&f, T0, VRRP_FAULT_LINK, true, 0, &o);
	vrrp_fsm_start(&f, T0, VRRP_START_RESUME, &o);
	CHECK_TYPES(&o, VRRP_ACT_REMOVE_VIPS, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_INIT, VRRP_STATE_FAULT, VRRP_REASON_FAULT_LINK);

	/* Disabled meanwhile: remove, stay DISABLED. */
	c.disabled = true;
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_start(&f, T0, VRRP_START_RESUME, &o);
	CHECK_TYPES(&o, VRRP_ACT_REMOVE_VIPS);
	CHECK_EQ(f.state, VRRP_STATE_DISABLED);
}

/* ---- disable / enable (V-8) ---- */

static void enable_restarts_as_backup(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);

	c.disabled = true;
	vrrp_fsm_init(&f, &c);
	CHECK_EQ(f.state, VRRP_STATE_DISABLED);
	vrrp_fsm_start(&f, T0, 0, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_DISABLED);
	vrrp_fsm_enable(&f, T0 + SEC, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_BACKUP, VRRP_REASON_ENABLE);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 3609375);
	vrrp_fsm_enable(&f, T0 + 2 * SEC, &o);
	CHECK_NONE(&o);

	/* Enabling an owner makes it MASTER at once; a held fault gives FAULT. */
	c.priority = 255;
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_start(&f, T0, 0, &o);
	vrrp_fsm_enable(&f, T0 + SEC, &o);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_MASTER, VRRP_REASON_OWNER_STARTUP);
	vrrp_fsm_disable(&f, T0 + 2 * SEC, &o);
	vrrp_fsm_set_fault(&f, T0 + 3 * SEC, VRRP_FAULT_LINK, true, 0, &o);
	CHECK_NONE(&o);
	vrrp_fsm_enable(&f, T0 + 4 * SEC, &o);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_FAULT, VRRP_REASON_FAULT_LINK);

	/* Enabled before being started: back to INIT, waiting for start. */
	c.priority = 100;
	vrrp_fsm_init(&f, &c);
	vrrp_fsm_enable(&f, T0, &o);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_INIT, VRRP_REASON_ENABLE);
}

/* ---- tracking weights (V-65, V-16) ---- */

static void track_weights_change_advertised_priority(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	vrrp_fsm_set_priority_delta(&f, t0 + 10 * MS, 20, &o);
	CHECK_NONE(&o); /* takes effect with the next advert */
	CHECK_EQ(f.effective_priority, 120);
	vrrp_fsm_tick(&f, t0 + SEC, &o);
	CHECK_SEND(&o, 120);
	vrrp_fsm_set_priority_delta(&f, t0 + 1010 * MS, -500, &o);
	vrrp_fsm_tick(&f, t0 + 2 * SEC, &o);
	CHECK_SEND(&o, 1);
	vrrp_fsm_set_priority_delta(&f, t0 + 2010 * MS, 500, &o);
	vrrp_fsm_tick(&f, t0 + 3 * SEC, &o);
	CHECK_SEND(&o, 254);
	/* The owner stays 255. */
	c.priority = 255;
	start_at(&f, &c, T0, &o);
	vrrp_fsm_set_priority_delta(&f, T0 + 10 * MS, -30, &o);
	vrrp_fsm_tick(&f, T0 + SEC, &o);
	CHECK_SEND(&o, 255);
}

static void track_raise_makes_backup_preempt(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	struct vrrp_fsm_advert a;
	uint64_t t;

	start_at(&f, &c, T0, &o);
	a = adv_from(&f, 110, 12);
	vrrp_fsm_advert(&f, T0 + SEC, &a, &o);
	vrrp_fsm_set_priority_delta(&f, T0 + 1500 * MS, 20, &o); /* 120 > 110 */
	/* The skew shrinks with the new priority from the next arming on. */
	for (t = T0 + 2 * SEC; t < T0 + 10 * SEC; t += SEC)
		vrrp_fsm_advert(&f, t, &a, &o);
	CHECK_EQ(o.next_deadline_us, T0 + SEC + 3609375); /* armed by the last accepted advert */
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PREEMPTION);
	CHECK_SEND(&o, 120);
}

static void track_lower_master_yields(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 90, 12);

	vrrp_fsm_set_priority_delta(&f, t0 + 10 * MS, -20, &o); /* 80 < 90 */
	vrrp_fsm_advert(&f, t0 + 20 * MS, &a, &o);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_HIGHER_PRIORITY);
	CHECK_EQ(o.next_deadline_us, t0 + 20 * MS + vrrp_master_down_us(80, SEC));
}

/* ---- configuration changes (§4.11) ---- */

static void reconfigure_identical_is_noop(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	vrrp_fsm_reconfigure(&f, t0 + 10 * MS, &c, &o);
	CHECK_NONE(&o);
	CHECK_EQ(o.next_deadline_us, t0 + SEC);
	CHECK_EQ(f.last_transition_us, t0);
}

static void reconfigure_in_place(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	c.priority = 150;
	c.preempt = false;
	c.preempt_delay_s = 10;
	c.sync_member = true;
	c.start_delay_s = 30;
	vrrp_fsm_reconfigure(&f, t0 + 10 * MS, &c, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	CHECK_EQ(o.next_deadline_us, t0 + SEC);
	vrrp_fsm_tick(&f, t0 + SEC, &o);
	CHECK_SEND(&o, 150);
	CHECK_EQ(f.counters.became_master, 1);
}

static void reconfigure_interval_next_advert(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0;

	c.interval = 10;
	t0 = make_master(&f, &c, &o);
	CHECK_EQ(f.adver_at_us, t0 + 10 * SEC);
	c.interval = 1;
	vrrp_fsm_reconfigure(&f, t0 + 500 * MS, &c, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.adver_at_us, t0 + SEC); /* the new interval from the last advert */
	CHECK_EQ(o.next_deadline_us, t0 + SEC);
	vrrp_fsm_tick(&f, t0 + SEC, &o);
	CHECK_SEND(&o, 100);
	CHECK_EQ(f.adver_at_us, t0 + 2 * SEC);
	/* Longer: the advert already scheduled still goes, then the new spacing. */
	c.interval = 5;
	vrrp_fsm_reconfigure(&f, t0 + 1500 * MS, &c, &o);
	CHECK_EQ(f.adver_at_us, t0 + 2 * SEC);
	vrrp_fsm_tick(&f, t0 + 2 * SEC, &o);
	CHECK_EQ(f.adver_at_us, t0 + 7 * SEC);
	/* A v2 BACKUP recomputes its Master_Down_Interval with the new interval. */
	start_at(&f, &c, T0, &o);
	c.interval = 2;
	vrrp_fsm_reconfigure(&f, T0 + SEC, &c, &o);
	CHECK_EQ(f.master_adver_interval_us, 2 * SEC);
}

static void reconfigure_restarts_group(void)
{
	static const int changes[] = { 0, 1, 2, 3 }; /* version, vrid, primary, priority to 255 */

	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		struct vrrp_fsm f;
		struct vrrp_actions o;
		struct vrrp_fsm_config c = cfg_v2(100);
		uint64_t t0 = make_master(&f, &c, &o);

		if (changes[i] == 0) {
			c.version = 3;
			c.interval = 100;
		} else if (changes[i] == 1) {
			c.vrid = 11;
		} else if (changes[i] == 2) {
			ip4(c.primary, 192, 0, 2, 99);
		} else {
			c.priority = 255;
		}
		vrrp_fsm_reconfigure(&f, t0 + 10 * MS, &c, &o);
		if (changes[i] == 3) {
			CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS,
				    VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS,
				    VRRP_ACT_ANNOUNCE);
			CHECK_EQ(o.a[4].priority, 255);
			CHECK_EQ(f.state, VRRP_STATE_MASTER);
		} else {
			CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS,
				    VRRP_ACT_STATE_CHANGED);
			CHECK_EQ(o.a[3].change.from, VRRP_STATE_INIT);
			CHECK_EQ(o.a[3].change.to, VRRP_STATE_BACKUP);
			CHECK_EQ(o.a[3].change.reason, VRRP_REASON_RECONFIGURE);
			CHECK_EQ(o.next_deadline_us, t0 + 10 * MS + vrrp_fsm_master_down_us(&f));
		}
		CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_INIT, VRRP_REASON_RECONFIGURE);
		CHECK_EQ(o.a[1].priority, 0);
		CHECK_EQ(f.counters.released_master, 1); /* counters survive (§3.6) */
	}
}

static void reconfigure_disable_flag(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);

	c.disabled = true;
	vrrp_fsm_reconfigure(&f, t0 + 10 * MS, &c, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_DISABLED, VRRP_REASON_DISABLE);
	c.disabled = false;
	vrrp_fsm_reconfigure(&f, t0 + SEC, &c, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_BACKUP, VRRP_REASON_ENABLE);
	/* A restart-worthy change while disabled stays disabled. */
	c.disabled = true;
	vrrp_fsm_reconfigure(&f, t0 + 2 * SEC, &c, &o);
	c.vrid = 12;
	vrrp_fsm_reconfigure(&f, t0 + 3 * SEC, &c, &o);
	CHECK_NONE(&o);
	CHECK_EQ(f.state, VRRP_STATE_DISABLED);
	c.vrid = 13;
	c.disabled = false;
	vrrp_fsm_reconfigure(&f, t0 + 4 * SEC, &c, &o);
	CHECK_CHANGE(&o, VRRP_STATE_DISABLED, VRRP_STATE_BACKUP, VRRP_REASON_ENABLE);
}

static void primary_address_follows_kernel(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(100);
	uint64_t t0 = make_master(&f, &c, &o);
	uint8_t addr[16];
	struct vrrp_fsm_advert a = adv_from(&f, 100, 50);

	ip4(addr, 192, 0, 2, 60); /* DHCP gave us a higher address: no restart */
	vrrp_fsm_set_primary(&f, addr);
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
	vrrp_fsm_advert(&f, t0 + 10 * MS, &a, &o); /* .50 < .60 now */
	CHECK_EQ(f.state, VRRP_STATE_MASTER);
}

/* §3.6 counters across S-2's sequence on R1: MASTER, FAULT, BACKUP, MASTER. */
static void counters_follow_transitions(void)
{
	struct vrrp_fsm f;
	struct vrrp_actions o;
	struct vrrp_fsm_config c = cfg_v2(150);
	uint64_t t0 = make_master(&f, &c, &o);
	struct vrrp_fsm_advert a = adv_from(&f, 20, 12);

	vrrp_fsm_set_fault(&f, t0 + SEC, VRRP_FAULT_LINK, true, 0, &o);
	vrrp_fsm_set_fault(&f, t0 + 10 * SEC, VRRP_FAULT_LINK, false, 0, &o);
	vrrp_fsm_advert(&f, t0 + 11 * SEC, &a, &o);
	vrrp_fsm_tick(&f, o.next_deadline_us, &o);
	CHECK_CHANGE(&o, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_PREEMPTION);
	CHECK_EQ(f.counters.became_master, 2);
	CHECK_EQ(f.counters.released_master, 1);
	CHECK_EQ(f.counters.adverts_received, 1);
	CHECK_EQ(f.counters.adverts_sent, 2); /* one per MASTER entry; the fault was a dead link */
	CHECK_EQ(f.counters.prio0_sent, 0);
}

/* ---- a tiny lab: routers on one segment, adverts delivered at once ---- */

#define SIM_MAX 3

struct sim {
	size_t n;
	uint64_t now;
	struct vrrp_fsm r[SIM_MAX];
	bool alive[SIM_MAX];
	uint64_t master_at[SIM_MAX]; /* last entry into MASTER */
	unsigned sent[SIM_MAX];
};

static void sim_exec(struct sim *s, size_t i, const struct vrrp_actions *o);

static void sim_deliver(struct sim *s, size_t from, uint8_t priority)
{
	const struct vrrp_fsm *src = &s->r[from];

	for (size_t j = 0; j < s->n; j++) {
		struct vrrp_fsm_advert a;
		struct vrrp_actions o;

		if (j == from || !s->alive[j])
			continue;
		memset(&a, 0, sizeof(a));
		a.version = src->cfg.version;
		a.family = src->cfg.family;
		a.priority = priority;
		a.interval = src->cfg.interval;
		memcpy(a.src, src->cfg.primary, 16);
		vrrp_fsm_advert(&s->r[j], s->now, &a, &o);
		sim_exec(s, j, &o);
	}
}

static void sim_exec(struct sim *s, size_t i, const struct vrrp_actions *o)
{
	CHECK_EQ(o->dropped, 0);
	for (uint32_t k = 0; k < o->n; k++) {
		const struct vrrp_action *a = &o->a[k];

		if (a->type == VRRP_ACT_STATE_CHANGED && a->change.to == VRRP_STATE_MASTER)
			s->master_at[i] = s->now;
		if (a->type == VRRP_ACT_SEND_ADVERT && s->alive[i]) {
			s->sent[i]++;
			sim_deliver(s, i, a->priority);
		}
	}
}

/* Router i: priority p, primary 192.0.2.<host>, on a fresh config from cfg. */
static void sim_add(struct sim *s, struct vrrp_fsm_config c, uint8_t priority, uint8_t host)
{
	size_t i = s->n++;

	c.priority = priority;
	ip4(c.primary, 192, 0, 2, host);
	vrrp_fsm_init(&s->r[i], &c);
	s->alive[i] = true;
}

static void sim_start(struct sim *s, size_t i)
{
	struct vrrp_actions o;

	s->alive[i] = true;
	vrrp_fsm_start(&s->r[i], s->now, 0, &o);
	sim_exec(s, i, &o);
}

static void sim_run(struct sim *s, uint64_t until)
{
	for (;;) {
		uint64_t best = 0;
		size_t who = 0;
		struct vrrp_actions outs[SIM_MAX];

		for (size_t i = 0; i < s->n; i++) {
			uint64_t d = vrrp_fsm_next_deadline(&s->r[i]);

			if (s->alive[i] && d && d <= until && (!best || d < best)) {
				best = d;
				who = i;
			}
		}
		if (!best)
			break;
		/* Routers due at the same instant act before hearing each other (simultaneous
		 * masters resolve by tie-break, as on a real segment). */
		s->now = best;
		for (size_t i = who; i < s->n; i++)
			if (s->alive[i] && vrrp_fsm_next_deadline(&s->r[i]) == best)
				vrrp_fsm_tick(&s->r[i], s->now, &outs[i]);
			else
				vrrp_actions_reset(&outs[i]);
		for (size_t i = who; i < s->n; i++)
			sim_exec(s, i, &outs[i]);
	}
	s->now = until;
}

static void sim_fault(struct sim *s, size_t i, bool on)
{
	struct vrrp_actions o;

	vrrp_fsm_set_fault(&s->r[i], s->now, VRRP_FAULT_LINK, on, 0, &o);
	s->alive[i] = !on; /* no carrier: sends and hears nothing */
	sim_exec(s, i, &o);
	s->alive[i] = true;
	if (on)
		s->alive[i] = false;
}

/* S-1, S-2: election at 3.414 s, failover window 2.922-3.922 s, preemption on return. */
static void lab_s1_s2_election_failover_preemption(void)
{
	struct sim s = { .now = T0 };
	uint64_t tf, tr;

	sim_add(&s, cfg_v2(0), 150, 1);
	sim_add(&s, cfg_v2(0), 20, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.master_at[0], T0 + 3414062);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
	CHECK_EQ(s.r[1].counters.became_master, 0);
	CHECK_EQ(s.r[1].master.priority, 150);
	CHECK_EQ(s.r[1].master.addr[3], 1);
	CHECK_EQ(s.sent[0], 7); /* 3.414, 4.414 … 9.414 */
	CHECK_EQ(s.sent[1], 0);

	tf = s.now;
	sim_fault(&s, 0, true);
	CHECK_EQ(s.r[0].state, VRRP_STATE_FAULT);
	sim_run(&s, tf + 10 * SEC);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	CHECK(s.master_at[1] >= tf + 2922 * MS - 100 * MS);
	CHECK(s.master_at[1] <= tf + 3922 * MS);

	tr = s.now;
	sim_fault(&s, 0, false);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP);
	sim_run(&s, tr + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.master_at[0], tr + 3414062);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
	CHECK_EQ(s.r[0].counters.became_master, 2);
	CHECK_EQ(s.r[0].counters.released_master, 1);
	CHECK_EQ(s.r[1].counters.became_master, 1);
	CHECK_EQ(s.r[1].counters.released_master, 1);
}

/* S-3 / S-21: a release hands over within the backup's Skew_Time. */
static void lab_s3_s21_release_hands_over_at_skew(void)
{
	struct sim s = { .now = T0 };
	struct vrrp_actions o;
	uint64_t ts;

	sim_add(&s, cfg_v2(0), 150, 1);
	sim_add(&s, cfg_v2(0), 20, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 10 * SEC + 123 * MS);
	ts = s.now;
	vrrp_fsm_stop(&s.r[0], s.now, &o);
	sim_exec(&s, 0, &o);
	s.alive[0] = false;
	sim_run(&s, ts + 5 * SEC);
	CHECK_EQ(s.master_at[1], ts + 921875);
	CHECK_EQ(s.r[1].counters.prio0_received, 1);

	/* S-21: disable, then re-enable and preempt within 3.414 s. */
	memset(&s, 0, sizeof(s));
	s.now = T0;
	sim_add(&s, cfg_v2(0), 150, 1);
	sim_add(&s, cfg_v2(0), 20, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 10 * SEC);
	ts = s.now;
	vrrp_fsm_disable(&s.r[0], s.now, &o);
	sim_exec(&s, 0, &o);
	sim_run(&s, ts + 5 * SEC);
	CHECK_EQ(s.master_at[1], ts + 921875);
	CHECK_EQ(s.r[0].state, VRRP_STATE_DISABLED);
	ts = s.now;
	vrrp_fsm_enable(&s.r[0], s.now, &o);
	sim_exec(&s, 0, &o);
	sim_run(&s, ts + 10 * SEC);
	CHECK_EQ(s.master_at[0], ts + 3414062);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
}

/* S-6: reset hands over within 0.219 s; with preempt on the hold keeps R1 BACKUP. */
static void lab_s6_forced_backup(void)
{
	struct sim s = { .now = T0 };
	struct vrrp_fsm_config c = cfg_v2(0);
	struct vrrp_actions o;
	uint64_t tr;

	c.preempt = true; /* the variant: without the hold R1 would preempt again */
	sim_add(&s, c, 201, 160);
	c.preempt = false;
	sim_add(&s, c, 200, 128);
	sim_start(&s, 0);
	sim_run(&s, T0 + 5 * SEC);
	sim_start(&s, 1);
	sim_run(&s, T0 + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	tr = s.now;
	CHECK_EQ(vrrp_fsm_reset_master(&s.r[0], s.now, &o), 0);
	sim_exec(&s, 0, &o);
	sim_run(&s, tr + 20 * SEC);
	CHECK_EQ(s.master_at[1], tr + 218750);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP); /* ≥ 15 s despite 201 > 200 */
	CHECK_EQ(s.r[0].master.priority, 200);
	CHECK_EQ(s.r[0].master.addr[3], 128);
	CHECK_EQ(vrrp_fsm_reset_master(&s.r[0], s.now, &o), -EINVAL);

	/* restart vrrp on R1 (engine re-created): preempts within 3.215 s. */
	tr = s.now;
	vrrp_fsm_stop(&s.r[0], s.now, &o);
	sim_exec(&s, 0, &o);
	c = s.r[0].cfg;
	vrrp_fsm_init(&s.r[0], &c);
	sim_start(&s, 0);
	sim_run(&s, tr + 10 * SEC);
	CHECK_EQ(s.master_at[0], tr + 3214843);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
}

/* S-9, S-23, V-10, V-14: equal priorities elect the higher address, and never preempt later. */
static void lab_equal_priorities(void)
{
	struct sim s = { .now = T0 };

	sim_add(&s, cfg_v2(0), 100, 1);
	sim_add(&s, cfg_v2(0), 100, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 4 * SEC);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.master_at[1], T0 + 3609375);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP);

	memset(&s, 0, sizeof(s));
	s.now = T0;
	sim_add(&s, cfg_v2(0), 100, 1);
	sim_add(&s, cfg_v2(0), 100, 2);
	sim_start(&s, 0);
	sim_run(&s, T0 + 10 * SEC);
	sim_start(&s, 1);
	sim_run(&s, T0 + 40 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
	CHECK_EQ(s.r[1].counters.became_master, 0);
}

/* S-10: priority 200 with preempt-delay 30 on the backup moves the role 32.2-34.3 s later. */
static void lab_s10_preempt_delay(void)
{
	struct sim s = { .now = T0 };
	struct vrrp_fsm_config c;
	struct vrrp_actions o;
	uint64_t tc;

	sim_add(&s, cfg_v2(0), 100, 1);
	sim_add(&s, cfg_v2(0), 100, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 20 * SEC + 456 * MS);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	tc = s.now;
	c = s.r[0].cfg;
	c.priority = 200;
	c.preempt_delay_s = 30;
	vrrp_fsm_reconfigure(&s.r[0], s.now, &c, &o);
	CHECK_NONE(&o);
	sim_run(&s, tc + 30 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP);
	sim_run(&s, tc + 40 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	CHECK(s.master_at[0] >= tc + 32200 * MS);
	CHECK(s.master_at[0] <= tc + 34300 * MS);
	CHECK_EQ(s.r[1].state, VRRP_STATE_BACKUP);
}

/* S-11: owners take their group back at once; a survivor holds both within 3.609 s. */
static void lab_s11_owner(void)
{
	struct sim s = { .now = T0 };
	uint64_t tk;

	sim_add(&s, cfg_v2(0), 100, 2); /* rtr2's group 1 */
	sim_start(&s, 0);
	sim_run(&s, T0 + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	sim_add(&s, cfg_v2(0), 255, 1); /* rtr1 owns group 1 */
	sim_start(&s, 1);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.master_at[1], T0 + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP); /* on the owner's first advert */
	sim_run(&s, T0 + 20 * SEC);
	tk = s.now;
	s.alive[1] = false; /* rtr1 dies */
	sim_run(&s, tk + 10 * SEC);
	CHECK_EQ(s.r[0].state, VRRP_STATE_MASTER);
	CHECK(s.master_at[0] - tk <= 3609375);
	/* It returns and takes group 1 back at once. */
	s.alive[1] = true;
	vrrp_fsm_init(&s.r[1], &s.r[1].cfg);
	sim_start(&s, 1);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	CHECK_EQ(s.r[0].state, VRRP_STATE_BACKUP);
}

/* S-13: VRRPv3 at 10 cs: the backup (100) takes over 0.261-0.361 s after the master dies. */
static void lab_s13_v3_fast_failover(void)
{
	struct sim s = { .now = T0 };
	uint64_t tk;

	sim_add(&s, cfg_v3(0, 10), 200, 1);
	sim_add(&s, cfg_v3(0, 10), 100, 2);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, T0 + 5 * SEC + 37 * MS);
	CHECK_EQ(s.master_at[0], T0 + vrrp_master_down_us(200, 100 * MS));
	tk = s.now;
	s.alive[0] = false;
	sim_run(&s, tk + SEC);
	CHECK_EQ(s.r[1].state, VRRP_STATE_MASTER);
	CHECK(s.master_at[1] >= tk + 260 * MS);
	CHECK(s.master_at[1] <= tk + 361 * MS);
}

/* ---- sync groups (§4.8) ---- */

struct pair {
	struct vrrp_fsm m[2];
	struct vrrp_fsm *p[2];
	struct vrrp_actions outs[2];
	struct vrrp_sync_group sg;
	struct vrrp_sync_result res;
};

static void pair_start(struct pair *g, uint8_t prio0, uint8_t prio1)
{
	struct vrrp_fsm_config c = cfg_v2(prio0);
	struct vrrp_actions o;

	c.sync_member = true;
	vrrp_fsm_init(&g->m[0], &c);
	c.priority = prio1;
	c.vrid = 11;
	vrrp_fsm_init(&g->m[1], &c);
	g->p[0] = &g->m[0];
	g->p[1] = &g->m[1];
	vrrp_sync_group_init(&g->sg);
	CHECK_EQ(g->sg.state, VRRP_STATE_DISABLED);
	vrrp_fsm_start(&g->m[0], T0, 0, &o);
	vrrp_fsm_start(&g->m[1], T0, 0, &o);
}

static void pair_update(struct pair *g, uint64_t now)
{
	vrrp_sync_group_update(&g->sg, g->p, 2, now, g->outs, &g->res);
}

/* Both members MASTER by their timers, synced together. */
static void pair_make_master(struct pair *g)
{
	struct vrrp_actions o;

	pair_start(g, 100, 100);
	vrrp_fsm_tick(&g->m[0], T0 + 3609375, &o);
	vrrp_fsm_tick(&g->m[1], T0 + 3609375, &o);
	pair_update(g, T0 + 3609375);
	CHECK_EQ(g->m[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(g->m[1].state, VRRP_STATE_MASTER);
	CHECK_EQ(g->sg.state, VRRP_STATE_MASTER);
}

/* V-71: a member whose timer fired waits for the others, then all enter MASTER together. */
static void sync_gates_master_until_all_want(void)
{
	struct pair g;
	struct vrrp_actions o;
	uint64_t t1 = T0 + 3414062, t2 = T0 + 3609375;

	pair_start(&g, 150, 100);
	pair_update(&g, T0);
	CHECK_EQ(g.sg.state, VRRP_STATE_BACKUP);
	CHECK(g.res.changed);
	CHECK_EQ(g.res.from, VRRP_STATE_DISABLED);

	vrrp_fsm_tick(&g.m[0], t1, &o);
	CHECK_TYPES(&o, VRRP_ACT_SYNC_WAIT);
	CHECK_EQ(g.m[0].state, VRRP_STATE_BACKUP);
	CHECK(g.m[0].want_master);
	CHECK_EQ(o.next_deadline_us, t1 + 3414062); /* re-armed: backup is preferred */
	pair_update(&g, t1);
	CHECK_NONE(&g.outs[0]);
	CHECK_NONE(&g.outs[1]);
	CHECK_EQ(g.res.synced, 0);
	CHECK(!g.res.changed);

	vrrp_fsm_tick(&g.m[1], t2, &o);
	CHECK_TYPES(&o, VRRP_ACT_SYNC_WAIT);
	pair_update(&g, t2);
	for (int i = 0; i < 2; i++) {
		const struct vrrp_action *ch;

		CHECK_TYPES(&g.outs[i], VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_INSTALL_VIPS,
			    VRRP_ACT_ANNOUNCE);
		CHECK_CHANGE(&g.outs[i], VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_REASON_SYNC_GROUP);
		ch = find_type(&g.outs[i], VRRP_ACT_STATE_CHANGED);
		CHECK_EQ(ch->change.cause, VRRP_REASON_MASTER_DOWN);
		CHECK_EQ(g.outs[i].next_deadline_us, t2 + SEC);
		CHECK(!g.m[i].want_master);
	}
	CHECK_EQ(g.res.synced, VRRP_SYNCED_MASTER);
	CHECK(g.res.changed);
	CHECK_EQ(g.res.from, VRRP_STATE_BACKUP);
	CHECK_EQ(g.res.to, VRRP_STATE_MASTER);
}

/* V-74: a member that still hears the peer keeps the whole group BACKUP. */
static void sync_live_peer_blocks_master(void)
{
	struct pair g;
	struct vrrp_actions o;
	struct vrrp_fsm_advert a;
	uint64_t t;

	pair_start(&g, 200, 100); /* only member 0 outranks the peer (150) */
	for (t = T0 + SEC; t < T0 + 60 * SEC; t += SEC) {
		a = adv_from(&g.m[0], 150, 12);
		vrrp_fsm_advert(&g.m[0], t, &a, &o);
		vrrp_fsm_advert(&g.m[1], t, &a, &o);
		for (int i = 0; i < 2; i++) {
			vrrp_fsm_tick(&g.m[i], t + 999 * MS, &o);
			pair_update(&g, t + 999 * MS);
		}
		CHECK_EQ(g.m[0].state, VRRP_STATE_BACKUP);
		CHECK_EQ(g.m[1].state, VRRP_STATE_BACKUP);
	}
	CHECK(g.m[0].want_master);
	CHECK(!g.m[1].want_master);
	CHECK_EQ(g.sg.state, VRRP_STATE_BACKUP);
}

/* S-4 on R2: member 0 hears a release (Skew_Time), member 1 only silence; together at ≤ 3.922 s. */
static void sync_release_and_silence_converge(void)
{
	struct pair g;
	struct vrrp_actions o;
	struct vrrp_fsm_advert a;
	uint64_t tl = T0 + 20 * SEC + 300 * MS, last = T0 + 20 * SEC;

	pair_start(&g, 20, 20);
	for (uint64_t t = T0 + SEC; t <= last; t += SEC) {
		a = adv_from(&g.m[0], 150, 1);
		vrrp_fsm_advert(&g.m[0], t, &a, &o);
		vrrp_fsm_advert(&g.m[1], t, &a, &o);
	}
	a = adv_from(&g.m[0], 0, 1); /* R1's eth0-99 follows eth1-101 into FAULT */
	vrrp_fsm_advert(&g.m[0], tl, &a, &o);
	vrrp_fsm_tick(&g.m[0], tl + 921875, &o);
	CHECK_TYPES(&o, VRRP_ACT_SYNC_WAIT);
	CHECK_EQ(g.m[0].want_reason, VRRP_REASON_PRIORITY_ZERO);
	pair_update(&g, tl + 921875);
	CHECK_EQ(g.m[0].state, VRRP_STATE_BACKUP);
	vrrp_fsm_tick(&g.m[1], last + 3921875, &o);
	pair_update(&g, last + 3921875);
	CHECK_EQ(g.m[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(g.m[1].state, VRRP_STATE_MASTER);
	CHECK(last + 3921875 <= tl + 3922 * MS);
	CHECK_EQ(find_type(&g.outs[0], VRRP_ACT_STATE_CHANGED)->change.cause, VRRP_REASON_PRIORITY_ZERO);
	CHECK_EQ(g.res.synced, VRRP_SYNCED_MASTER);
}

/* V-72: one member yielding to a better advert pulls the others down with a release. */
static void sync_backup_pulls_others(void)
{
	struct pair g;
	struct vrrp_actions o;
	struct vrrp_fsm_advert a;
	uint64_t t = T0 + 10 * SEC;

	pair_make_master(&g);
	a = adv_from(&g.m[0], 200, 12);
	vrrp_fsm_advert(&g.m[0], t, &a, &o);
	CHECK_CHANGE(&o, VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_HIGHER_PRIORITY);
	CHECK(g.m[0].sync_left_master);
	pair_update(&g, t);
	CHECK_NONE(&g.outs[0]);
	CHECK_TYPES(&g.outs[1], VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&g.outs[1], VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_SYNC_GROUP);
	CHECK_SEND(&g.outs[1], 0);
	CHECK_EQ(g.outs[1].next_deadline_us, t + 3609375);
	CHECK_EQ(g.res.synced, VRRP_SYNCED_BACKUP);
	CHECK_EQ(g.sg.state, VRRP_STATE_BACKUP);
	CHECK(!g.m[0].sync_left_master);
	/* Consumed: the next update does nothing. */
	pair_update(&g, t + 1);
	CHECK_NONE(&g.outs[1]);
}

static void sync_reset_master_pulls_others(void)
{
	struct pair g;
	struct vrrp_actions o;
	uint64_t t = T0 + 10 * SEC;

	pair_make_master(&g);
	CHECK_EQ(vrrp_fsm_reset_master(&g.m[1], t, &o), 0);
	pair_update(&g, t);
	CHECK_CHANGE(&g.outs[0], VRRP_STATE_MASTER, VRRP_STATE_BACKUP, VRRP_REASON_SYNC_GROUP);
	CHECK_SEND(&g.outs[0], 0);
	CHECK(g.m[1].preempt_hold);
	CHECK(!g.m[0].preempt_hold); /* the hold is the operator's group only */
}

/* V-73: FAULT spreads (masters release), and members leave it together. */
static void sync_fault_together(void)
{
	struct pair g;
	struct vrrp_actions o;
	uint64_t t = T0 + 10 * SEC;

	pair_make_master(&g);
	vrrp_fsm_set_fault(&g.m[1], t, VRRP_FAULT_LINK, true, 5, &o);
	CHECK_TYPES(&o, VRRP_ACT_STATE_CHANGED, VRRP_ACT_REMOVE_VIPS); /* dead link: no release */
	pair_update(&g, t);
	CHECK_TYPES(&g.outs[0], VRRP_ACT_STATE_CHANGED, VRRP_ACT_SEND_ADVERT, VRRP_ACT_REMOVE_VIPS);
	CHECK_CHANGE(&g.outs[0], VRRP_STATE_MASTER, VRRP_STATE_FAULT, VRRP_REASON_FAULT_SYNC);
	CHECK_SEND(&g.outs[0], 0);
	CHECK_NONE(&g.outs[1]);
	CHECK_EQ(g.res.synced, VRRP_SYNCED_FAULT);
	CHECK_EQ(g.sg.state, VRRP_STATE_FAULT);
	CHECK(g.res.changed);

	/* The faulty member's own condition clears: still FAULT until the sync group lets go. */
	vrrp_fsm_set_fault(&g.m[1], t + SEC, VRRP_FAULT_LINK, false, 0, &o);
	CHECK_NONE(&o);
	CHECK_EQ(g.m[1].state, VRRP_STATE_FAULT);
	pair_update(&g, t + SEC);
	for (int i = 0; i < 2; i++) {
		CHECK_TYPES(&g.outs[i], VRRP_ACT_STATE_CHANGED);
		CHECK_CHANGE(&g.outs[i], VRRP_STATE_FAULT, VRRP_STATE_BACKUP, VRRP_REASON_FAULT_CLEARED);
		CHECK_EQ(g.outs[i].next_deadline_us, t + SEC + 3609375);
	}
	CHECK_EQ(g.sg.state, VRRP_STATE_BACKUP);
	CHECK_EQ(g.m[0].faults, 0);
	CHECK_EQ(g.m[1].faults, 0);
}

/* An owner member is never gated nor pulled to BACKUP; the others join it by their timers. */
static void sync_owner_not_gated(void)
{
	struct pair g;
	struct vrrp_actions o;
	struct vrrp_fsm_advert a;

	pair_start(&g, 255, 100);
	CHECK_EQ(g.m[0].state, VRRP_STATE_MASTER);
	pair_update(&g, T0);
	CHECK_NONE(&g.outs[0]);
	CHECK_EQ(g.sg.state, VRRP_STATE_BACKUP); /* mixed, not all MASTER yet */
	vrrp_fsm_tick(&g.m[1], T0 + 3609375, &o);
	pair_update(&g, T0 + 3609375);
	CHECK_EQ(g.m[1].state, VRRP_STATE_MASTER);
	CHECK_EQ(g.sg.state, VRRP_STATE_MASTER);
	/* Member 1 yields to a better peer: the owner stays. */
	a = adv_from(&g.m[1], 200, 12);
	vrrp_fsm_advert(&g.m[1], T0 + 5 * SEC, &a, &o);
	pair_update(&g, T0 + 5 * SEC);
	CHECK_NONE(&g.outs[0]);
	CHECK_EQ(g.m[0].state, VRRP_STATE_MASTER);
	CHECK_EQ(vrrp_fsm_sync_backup(&g.m[0], T0 + 5 * SEC, &o), -EINVAL);
	CHECK_EQ(vrrp_fsm_sync_master(&g.m[1], T0 + 5 * SEC, &o), -EINVAL); /* does not want it */
}

/* V-70, V-76: disabled members do not count; INIT and FAULT dominate the group state. */
static void sync_state_and_disabled_members(void)
{
	struct pair g;
	struct vrrp_actions o;

	pair_start(&g, 100, 100);
	vrrp_fsm_disable(&g.m[1], T0, &o);
	vrrp_fsm_tick(&g.m[0], T0 + 3609375, &o);
	CHECK_TYPES(&o, VRRP_ACT_SYNC_WAIT);
	pair_update(&g, T0 + 3609375);
	CHECK_EQ(g.m[0].state, VRRP_STATE_MASTER); /* alone in the set */
	CHECK_EQ(g.sg.state, VRRP_STATE_MASTER);
	CHECK_EQ(vrrp_sync_group_state(g.p, 2), VRRP_STATE_MASTER);

	vrrp_fsm_stop(&g.m[0], T0 + 4 * SEC, &o);
	CHECK_EQ(vrrp_sync_group_state(g.p, 2), VRRP_STATE_INIT);
	vrrp_fsm_disable(&g.m[0], T0 + 4 * SEC, &o);
	CHECK_EQ(vrrp_sync_group_state(g.p, 2), VRRP_STATE_DISABLED);

	pair_start(&g, 100, 100);
	vrrp_fsm_set_fault(&g.m[0], T0, VRRP_FAULT_NO_SOURCE, true, 0, &o);
	CHECK_EQ(vrrp_sync_group_state(g.p, 2), VRRP_STATE_FAULT);
	/* A member still in its start delay holds the others back (it does not want MASTER). */
	pair_start(&g, 100, 100);
	vrrp_fsm_stop(&g.m[1], T0, &o);
	g.m[1].cfg.start_delay_s = 60;
	vrrp_fsm_start(&g.m[1], T0, VRRP_START_DELAY, &o);
	vrrp_fsm_tick(&g.m[0], T0 + 3609375, &o);
	pair_update(&g, T0 + 3609375);
	CHECK_EQ(g.m[0].state, VRRP_STATE_BACKUP);
	CHECK_EQ(g.sg.state, VRRP_STATE_INIT);
}

static const struct check_case cases[] = {
	{ "timer_table_1s", timer_table_1s },
	{ "timer_v3_centiseconds", timer_v3_centiseconds },
	{ "effective_priority_clamps", effective_priority_clamps },
	{ "names_for_log_and_events", names_for_log_and_events },
	{ "init_owner_goes_master_at_once", init_owner_goes_master_at_once },
	{ "init_backup_arms_master_down", init_backup_arms_master_down },
	{ "init_with_fault_goes_fault", init_with_fault_goes_fault },
	{ "init_owner_with_fault_goes_fault", init_owner_with_fault_goes_fault },
	{ "backup_master_down_fires", backup_master_down_fires },
	{ "backup_accepts_higher_and_equal", backup_accepts_higher_and_equal },
	{ "backup_priority_zero_arms_skew", backup_priority_zero_arms_skew },
	{ "backup_lower_advert_preempts", backup_lower_advert_preempts },
	{ "backup_preempt_off_keeps_lower_master", backup_preempt_off_keeps_lower_master },
	{ "backup_fault_cancels_timers", backup_fault_cancels_timers },
	{ "backup_stop_and_disable_send_nothing", backup_stop_and_disable_send_nothing },
	{ "master_schedule_is_drift_free", master_schedule_is_drift_free },
	{ "master_v3_fast_schedule", master_v3_fast_schedule },
	{ "master_late_tick_keeps_phase", master_late_tick_keeps_phase },
	{ "master_second_announce_after_5s", master_second_announce_after_5s },
	{ "master_priority_zero_sends_extra_advert", master_priority_zero_sends_extra_advert },
	{ "master_yields_to_higher_priority", master_yields_to_higher_priority },
	{ "master_tie_break_both_ways", master_tie_break_both_ways },
	{ "master_tie_break_ipv6", master_tie_break_ipv6 },
	{ "master_reannounces_on_lower_advert", master_reannounces_on_lower_advert },
	{ "master_disable_releases", master_disable_releases },
	{ "master_stop_releases", master_stop_releases },
	{ "master_fault_release_depends_on_link", master_fault_release_depends_on_link },
	{ "owner_ignores_every_advert", owner_ignores_every_advert },
	{ "fault_clear_restarts_backup", fault_clear_restarts_backup },
	{ "fault_clear_owner_goes_master", fault_clear_owner_goes_master },
	{ "v3_backup_adopts_master_interval", v3_backup_adopts_master_interval },
	{ "v3_master_yielding_adopts_interval", v3_master_yielding_adopts_interval },
	{ "v2_keeps_local_interval", v2_keeps_local_interval },
	{ "preempt_delay_window", preempt_delay_window },
	{ "preempt_delay_never_delays_takeover", preempt_delay_never_delays_takeover },
	{ "preempt_delay_window_resets_on_leaving_backup", preempt_delay_window_resets_on_leaving_backup },
	{ "reset_master_holds_preemption", reset_master_holds_preemption },
	{ "reset_master_hold_yields_to_release", reset_master_hold_yields_to_release },
	{ "reset_master_refuses_owner", reset_master_refuses_owner },
	{ "start_delay_holds_init", start_delay_holds_init },
	{ "resume_master_without_announce", resume_master_without_announce },
	{ "enable_restarts_as_backup", enable_restarts_as_backup },
	{ "track_weights_change_advertised_priority", track_weights_change_advertised_priority },
	{ "track_raise_makes_backup_preempt", track_raise_makes_backup_preempt },
	{ "track_lower_master_yields", track_lower_master_yields },
	{ "reconfigure_identical_is_noop", reconfigure_identical_is_noop },
	{ "reconfigure_in_place", reconfigure_in_place },
	{ "reconfigure_interval_next_advert", reconfigure_interval_next_advert },
	{ "reconfigure_restarts_group", reconfigure_restarts_group },
	{ "reconfigure_disable_flag", reconfigure_disable_flag },
	{ "primary_address_follows_kernel", primary_address_follows_kernel },
	{ "counters_follow_transitions", counters_follow_transitions },
	{ "lab_s1_s2_election_failover_preemption", lab_s1_s2_election_failover_preemption },
	{ "lab_s3_s21_release_hands_over_at_skew", lab_s3_s21_release_hands_over_at_skew },
	{ "lab_s6_forced_backup", lab_s6_forced_backup },
	{ "lab_equal_priorities", lab_equal_priorities },
	{ "lab_s10_preempt_delay", lab_s10_preempt_delay },
	{ "lab_s11_owner", lab_s11_owner },
	{ "lab_s13_v3_fast_failover", lab_s13_v3_fast_failover },
	{ "sync_gates_master_until_all_want", sync_gates_master_until_all_want },
	{ "sync_live_peer_blocks_master", sync_live_peer_blocks_master },
	{ "sync_release_and_silence_converge", sync_release_and_silence_converge },
	{ "sync_backup_pulls_others", sync_backup_pulls_others },
	{ "sync_reset_master_pulls_others", sync_reset_master_pulls_others },
	{ "sync_fault_together", sync_fault_together },
	{ "sync_owner_not_gated", sync_owner_not_gated },
	{ "sync_state_and_disabled_members", sync_state_and_disabled_members },
};

CHECK_MAIN(cases)
