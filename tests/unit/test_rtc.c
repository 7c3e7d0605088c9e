/* The MC146818A against its datasheet: the start-up registers, seconds
 * counted on the virtual clock with carries through minutes, days,
 * months, leap years and the year, BCD/binary and 12/24-hour formats,
 * UIP's 244 us + 1984 us window, the periodic rates of table 4, update-
 * ended and alarm interrupts (with don't-care codes), register C's
 * read-to-clear, the SET bit and the divider reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/rtc.h"

#define MS 1000000ull
#define US 1000ull

static struct iomap *io;
static struct clock *clk;
static struct irq_bus irqs;
static struct rtc *rtc;
static unsigned rises;
static bool line8;
static bool ack_on_irq;   /* read register C at each rising edge */

static void out8(uint16_t port, uint8_t v)
{
	iomap_write(io, IOMAP_PORT, port, 1, v);
}

static uint8_t in8(uint16_t port)
{
	return (uint8_t)iomap_read(io, IOMAP_PORT, port, 1);
}

static uint8_t reg(uint8_t i)
{
	out8(0x70, i);
	return in8(0x71);
}

static void set_reg(uint8_t i, uint8_t v)
{
	out8(0x70, i);
	out8(0x71, v);
}

static void sink(void *opaque, unsigned line, bool level)
{
	(void)opaque;
	if (line != 8)
		return;
	if (level && !line8)
		rises++;
	line8 = level;
	if (level && ack_on_irq)
		reg(0x0c);
}

/* Moves virtual time to ns, firing timers on the way. */
static void at(uint64_t ns)
{
	for (;;) {
		uint64_t d = clock_next_deadline(clk);

		if (d > ns)
			break;
		clock_advance_to(clk, d);
		clock_run_due(clk);
	}
	clock_advance_to(clk, ns);
	clock_run_due(clk);
}

static uint64_t now(void)
{
	return clock_now_ns(clk);
}

static int setup(void **state)
{
	char err[128];

	(void)state;
	io = iomap_create();
	clk = clock_create(1000000000u);
	irqs = (struct irq_bus){ 0 };
	irq_bus_attach(&irqs, (struct irq_sink){ .set_line = sink });
	rises = 0;
	line8 = false;
	ack_on_irq = false;
	rtc = rtc_create(io, clk, &irqs, 8, NULL, err, sizeof(err));
	assert_non_null(rtc);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rtc_destroy(rtc);
	clock_destroy(clk);
	iomap_destroy(io);
	return 0;
}

/* The ns at which update cycle k (from the divider start at t0) ends:
 * 0.5 s + k s + 65 / 32768 s. */
static uint64_t update_end_ns(uint64_t t0, uint64_t k)
{
	return t0 + 500 * MS + k * 1000 * MS + (65 * 1000000000ull + 32767) / 32768;
}

static void test_start_state(void **state)
{
	(void)state;
	static const uint8_t expect[][2] = {
		{ 0x00, 0x00 }, { 0x02, 0x00 }, { 0x04, 0x00 },
		{ 0x06, 0x05 },   /* 1 January 2026 is a Thursday */
		{ 0x07, 0x01 }, { 0x08, 0x01 }, { 0x09, 0x26 },
		{ 0x0a, 0x26 }, { 0x0b, 0x02 }, { 0x0c, 0x00 },
		{ 0x0d, 0x80 }, { 0x32, 0x20 },
	};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		assert_int_equal(reg(expect[i][0]), expect[i][1]);
	/* Register D and C do not take writes. */
	set_reg(0x0d, 0x00);
	set_reg(0x0c, 0xff);
	assert_int_equal(reg(0x0d), 0x80);
	assert_int_equal(reg(0x0c), 0x00);
	/* Port 0x70 is write-only; bit 7 masks NMI. */
	assert_int_equal(in8(0x70), 0xff);
	out8(0x70, 0x8f);
	assert_true(rtc_nmi_masked(rtc));
	out8(0x70, 0x0f);
	assert_false(rtc_nmi_masked(rtc));
	/* RAM. */
	set_reg(0x40, 0x5a);
	assert_int_equal(reg(0x40), 0x5a);
	set_reg(0x7f, 0xa5);
	assert_int_equal(reg(0x7f), 0xa5);
}

static void test_seconds_and_uip(void **state)
{
	(void)state;
	uint64_t end0 = update_end_ns(0, 0);

	at(500 * MS - 245 * US);
	assert_int_equal(reg(0x0a) & 0x80, 0);
	at(500 * MS - 243 * US);
	assert_int_equal(reg(0x0a) & 0x80, 0x80);   /* 244 us before */
	at(end0 - 1);
	assert_int_equal(reg(0x0a) & 0x80, 0x80);
	assert_int_equal(reg(0x00), 0x00);
	at(end0);
	assert_int_equal(reg(0x0a) & 0x80, 0);
	assert_int_equal(reg(0x00), 0x01);
	at(update_end_ns(0, 59));
	assert_int_equal(reg(0x00), 0x00);
	assert_int_equal(reg(0x02), 0x01);
	at(update_end_ns(0, 3599));
	assert_int_equal(reg(0x04), 0x01);
	assert_int_equal(reg(0x02), 0x00);
	assert_int_equal(reg(0x00), 0x00);
}

/* Carries: one row per starting time, what one update makes of it. */
struct carry_case {
	const char *name;
	uint8_t b;              /* register B format bits */
	uint8_t from[7];        /* sec, min, hour, dow, date, month, year */
	uint8_t to[7];
};

static const struct carry_case carries[] = {
	{ "new year (BCD)", 0x02,
	  { 0x59, 0x59, 0x23, 0x07, 0x31, 0x12, 0x99 },
	  { 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 } },
	{ "leap day", 0x02,
	  { 0x59, 0x59, 0x23, 0x05, 0x28, 0x02, 0x24 },
	  { 0x00, 0x00, 0x00, 0x06, 0x29, 0x02, 0x24 } },
	{ "no leap day", 0x02,
	  { 0x59, 0x59, 0x23, 0x06, 0x28, 0x02, 0x25 },
	  { 0x00, 0x00, 0x00, 0x07, 0x01, 0x03, 0x25 } },
	{ "30-day month", 0x02,
	  { 0x59, 0x59, 0x23, 0x02, 0x30, 0x04, 0x26 },
	  { 0x00, 0x00, 0x00, 0x03, 0x01, 0x05, 0x26 } },
	{ "binary", 0x06,
	  { 59, 59, 23, 7, 31, 12, 99 },
	  { 0, 0, 0, 1, 1, 1, 0 } },
	{ "12-hour BCD: 11:59:59 PM", 0x00,
	  { 0x59, 0x59, 0x91, 0x03, 0x10, 0x06, 0x26 },
	  { 0x00, 0x00, 0x12, 0x04, 0x11, 0x06, 0x26 } },
	{ "12-hour BCD: 11:59:59 AM", 0x00,
	  { 0x59, 0x59, 0x11, 0x03, 0x10, 0x06, 0x26 },
	  { 0x00, 0x00, 0x92, 0x03, 0x10, 0x06, 0x26 } },
	{ "12-hour binary: 12:59:59 PM", 0x04,
	  { 59, 59, 0x8c, 3, 10, 6, 26 },
	  { 0, 0, 0x81, 3, 10, 6, 26 } },
};

static const uint8_t time_regs[7] = { 0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09 };

static void test_carry_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(carries) / sizeof(carries[0]); i++) {
		const struct carry_case *c = &carries[i];
		uint64_t t0;

		set_reg(0x0b, 0x80 | c->b);          /* SET while writing */
		for (int j = 0; j < 7; j++)
			set_reg(time_regs[j], c->from[j]);
		set_reg(0x0b, c->b);
		/* The next update from here. */
		t0 = now();
		at(t0 + 1000 * MS);
		for (int j = 0; j < 7; j++) {
			if (reg(time_regs[j]) != c->to[j])
				fail_msg("%s: register 0x%02x is 0x%02x, not 0x%02x",
					 c->name, time_regs[j],
					 reg(time_regs[j]), c->to[j]);
		}
	}
}

/* Table 4 (32.768 kHz time base): the period of each rate select. */
static const struct { uint8_t rs; uint64_t period_ns; } rates[] = {
	{ 1, 3906250 }, { 2, 7812500 }, { 3, 122070 }, { 4, 244141 },
	{ 5, 488281 }, { 6, 976562 }, { 7, 1953125 }, { 8, 3906250 },
	{ 9, 7812500 }, { 10, 15625000 }, { 11, 31250000 },
	{ 12, 62500000 }, { 13, 125000000 }, { 14, 250000000 },
	{ 15, 500000000 },
};

static void test_periodic_rates(void **state)
{
	(void)state;
	ack_on_irq = true;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint64_t span = rates[i].period_ns * 64;
		uint64_t t0;

		set_reg(0x0b, 0x02);
		reg(0x0c);
		set_reg(0x0a, (uint8_t)(0x20 | rates[i].rs));
		/* Start on an edge of the slowest rate so every rate has a
		 * whole number of periods from here. */
		t0 = (now() / 500000000u + 1) * 500000000u;
		at(t0);
		reg(0x0c);
		rises = 0;
		set_reg(0x0b, 0x42);         /* PIE */
		at(t0 + span + span / 128);
		if (rises != 64)
			fail_msg("rate select %u: %u interrupts in 64 periods",
				 rates[i].rs, rises);
	}
	/* Rate select 0: none. */
	set_reg(0x0a, 0x20);
	rises = 0;
	at(now() + 1000 * MS);
	assert_int_equal(rises, 0);
}

/* PF is set whether or not PIE is; IRQF needs both; enabling PIE with
 * PF set interrupts at once; reading C clears it all. */
static void test_flags_and_irqf(void **state)
{
	(void)state;
	set_reg(0x0a, 0x2f);             /* 500 ms */
	at(600 * MS);
	assert_false(line8);
	uint8_t c = reg(0x0c);
	assert_int_equal(c, 0x50);       /* PF and UF, no IRQF */
	assert_int_equal(reg(0x0c), 0x00);
	at(1100 * MS);
	set_reg(0x0b, 0x42);
	assert_true(line8);              /* PF was already set */
	assert_int_equal(reg(0x0c), 0xc0 | 0x00);
	assert_false(line8);
}

static void test_update_ended_interrupt(void **state)
{
	(void)state;
	ack_on_irq = true;
	set_reg(0x0b, 0x12);             /* UIE */
	at(update_end_ns(0, 0) - 1);
	assert_int_equal(rises, 0);
	at(update_end_ns(0, 0));
	assert_int_equal(rises, 1);
	at(update_end_ns(0, 9));
	assert_int_equal(rises, 10);
	/* SET clears UIE and stops the clock. */
	set_reg(0x0b, 0x92);
	assert_int_equal(reg(0x0b), 0x82);
	uint8_t s = reg(0x00);
	at(update_end_ns(0, 15));
	assert_int_equal(reg(0x00), s);
	assert_int_equal(reg(0x0a) & 0x80, 0);   /* no UIP while SET */
	assert_int_equal(rises, 10);
}

static void test_alarm(void **state)
{
	(void)state;
	ack_on_irq = true;
	set_reg(0x01, 0x05);
	set_reg(0x03, 0x00);
	set_reg(0x05, 0x00);
	set_reg(0x0b, 0x22);             /* AIE */
	at(update_end_ns(0, 3));
	assert_int_equal(rises, 0);
	at(update_end_ns(0, 4));         /* 00:00:05 */
	assert_int_equal(rises, 1);
	at(update_end_ns(0, 70));
	assert_int_equal(rises, 1);
	/* Don't-care seconds: every second of minute 1 (00:01:xx) from
	 * 00:01:12 on. */
	set_reg(0x01, 0xc0);
	set_reg(0x03, 0x01);
	rises = 0;
	at(update_end_ns(0, 130));
	assert_int_equal(rises, 48);
	/* AF without AIE sets no IRQF; reading C shows it. */
	set_reg(0x0b, 0x02);
	set_reg(0x03, 0xff);
	set_reg(0x05, 0xff);
	reg(0x0c);
	at(update_end_ns(0, 131));
	assert_int_equal(reg(0x0c), 0x70);   /* PF too: 1024 Hz runs */
}

/* DV2-0 = 11x holds the divider in reset; the first update comes
 * 500 ms after it is released. */
static void test_divider_reset(void **state)
{
	(void)state;
	set_reg(0x0a, 0x66);
	at(5000 * MS);
	assert_int_equal(reg(0x00), 0x00);
	assert_int_equal(reg(0x0c), 0x00);   /* no periodic flag either */
	uint64_t t0 = now();
	set_reg(0x0a, 0x26);
	at(update_end_ns(t0, 0) - 1);
	assert_int_equal(reg(0x00), 0x00);
	at(update_end_ns(t0, 0));
	assert_int_equal(reg(0x00), 0x01);
}

/* A long stretch without accesses is caught up at once, alarm
 * included. */
static void test_catch_up(void **state)
{
	(void)state;
	set_reg(0x01, 0x30);
	set_reg(0x03, 0x30);
	set_reg(0x05, 0x12);
	at(update_end_ns(0, 86400 * 40 - 1));  /* 40 days later */
	assert_int_equal(reg(0x00), 0x00);
	assert_int_equal(reg(0x04), 0x00);
	assert_int_equal(reg(0x07), 0x10);   /* 10 February */
	assert_int_equal(reg(0x08), 0x02);
	assert_int_equal(reg(0x06), 0x03);   /* a Tuesday */
	assert_int_equal(reg(0x0c) & 0x20, 0x20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seconds_and_uip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_carry_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_periodic_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_and_irqf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_ended_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_divider_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catch_up, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
