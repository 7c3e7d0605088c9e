/* The 8254 against the Intel 8254 datasheet (231164): OUT and the count
 * clock by clock in every mode (the waveforms of figures 15-20), gates,
 * the counter latch and read-back commands, BCD counting, interleaved
 * LSB/MSB access, and port 0x61. Time is the virtual clock; tick k of
 * the 1.193182 MHz input is at k / 1193182 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/pit.h"

#define CTR0 0x40
#define CTR2 0x42
#define CTRL 0x43
#define PORT61 0x61

static struct iomap *io;
static struct clock *clk;
static struct irq_bus irqs;
static struct pit *pit;

/* Edges seen on line 0, with the tick they came at. */
static struct { bool level; uint64_t tick; } edges[64];
static unsigned nedges;

static uint64_t tick_now(void)
{
	return (uint64_t)((unsigned __int128)clock_now_ns(clk) * PIT_HZ /
			  1000000000u);
}

static void sink(void *opaque, unsigned line, bool level)
{
	(void)opaque;
	if (line == 0 && nedges < 64) {
		edges[nedges].level = level;
		edges[nedges].tick = tick_now();
		nedges++;
	}
}

/* Moves the clock to the start of tick t, firing timers on the way. */
static void at_tick(uint64_t t)
{
	uint64_t ns = (uint64_t)(((unsigned __int128)t * 1000000000u +
				  PIT_HZ - 1) / PIT_HZ);

	for (;;) {
		uint64_t d = clock_next_deadline(clk);

		if (d > ns)
			break;
		clock_advance_to(clk, d);
		clock_run_due(clk);
	}
	clock_advance_to(clk, ns);
	clock_run_due(clk);
	assert_int_equal(tick_now(), t);
}

static void out8(uint16_t port, uint8_t v)
{
	iomap_write(io, IOMAP_PORT, port, 1, v);
}

static uint8_t in8(uint16_t port)
{
	return (uint8_t)iomap_read(io, IOMAP_PORT, port, 1);
}

/* Latched count of a counter programmed LSB then MSB. */
static uint16_t latch16(unsigned ctr)
{
	out8(CTRL, (uint8_t)(ctr << 6));
	uint8_t lo = in8((uint16_t)(CTR0 + ctr));
	return (uint16_t)(lo | in8((uint16_t)(CTR0 + ctr)) << 8);
}

static uint8_t status(unsigned ctr)
{
	out8(CTRL, (uint8_t)(0xe0 | 2u << ctr));
	return in8((uint16_t)(CTR0 + ctr));
}

static bool out2(void)
{
	return in8(PORT61) & 0x20;
}

static int setup(void **state)
{
	char err[128];

	(void)state;
	io = iomap_create();
	clk = clock_create(1000000000u);
	irqs = (struct irq_bus){ 0 };
	irq_bus_attach(&irqs, (struct irq_sink){ .set_line = sink });
	nedges = 0;
	pit = pit_create(io, clk, &irqs, 0, err, sizeof(err));
	assert_non_null(pit);
	/* Power-on: no count, OUT high on line 0. */
	assert_int_equal(nedges, 1);
	assert_true(edges[0].level);
	nedges = 0;
	at_tick(1000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pit_destroy(pit);
	clock_destroy(clk);
	iomap_destroy(io);
	return 0;
}

/* Figure 15: "OUT ... goes high N + 1 CLK pulses after the initial
 * count is written", the count then goes on from 0 to FFFF. */
static void test_mode0(void **state)
{
	(void)state;
	out8(CTRL, 0x30);            /* counter 0, LSB then MSB, mode 0 */
	assert_int_equal(nedges, 1);
	assert_false(edges[0].level);  /* OUT low at once */
	out8(CTR0, 4);
	out8(CTR0, 0);
	assert_int_equal(status(0) & 0xc0, 0x40);  /* null count */
	/* Undefined until loaded: reads as the new count meanwhile. */
	assert_int_equal(latch16(0), 4);
	at_tick(1001);
	assert_int_equal(latch16(0), 4);
	assert_int_equal(status(0), 0x30);  /* OUT low, loaded, rw 3 mode 0 */
	at_tick(1004);
	assert_int_equal(latch16(0), 1);
	assert_false(pit_out(pit, 0));
	at_tick(1005);
	assert_int_equal(latch16(0), 0);
	assert_true(pit_out(pit, 0));
	assert_int_equal(nedges, 2);
	assert_true(edges[1].level);
	assert_int_equal(edges[1].tick, 1005);
	at_tick(1006);
	assert_int_equal(latch16(0), 0xffff);
	/* A new count starts again with OUT low. */
	out8(CTR0, 2);
	/* "Writing the first byte disables counting. OUT is set low
	 * immediately." */
	assert_false(pit_out(pit, 0));
	at_tick(1007);
	assert_int_equal(latch16(0), 0xffff);
	out8(CTR0, 0);
	assert_false(pit_out(pit, 0));
	at_tick(1009);
	assert_false(pit_out(pit, 0));
	assert_int_equal(latch16(0), 1);
	at_tick(1010);
	assert_true(pit_out(pit, 0));
}

/* Mode 0 with GATE low: counting stops, OUT stays (counter 2). */
static void test_mode0_gate(void **state)
{
	(void)state;
	out8(PORT61, 0x00);          /* gate 2 low */
	out8(CTRL, 0xb0);            /* counter 2, LSB/MSB, mode 0 */
	out8(CTR2, 3);
	out8(CTR2, 0);
	at_tick(1005);
	assert_int_equal(latch16(2), 3);   /* loaded, not counting */
	out8(PORT61, 0x01);
	at_tick(1007);
	assert_int_equal(latch16(2), 1);
	out8(PORT61, 0x00);
	at_tick(1020);
	assert_int_equal(latch16(2), 1);
	assert_false(out2());
	out8(PORT61, 0x01);
	at_tick(1021);
	assert_true(out2());
	assert_int_equal(latch16(2), 0);
}

/* Figure 17: a rate generator of N: OUT low for one clock when the
 * count reaches 1, period N. */
static void test_mode2(void **state)
{
	(void)state;
	out8(CTRL, 0x34);
	out8(CTR0, 4);
	out8(CTR0, 0);
	assert_int_equal(nedges, 0);       /* OUT stays high */
	at_tick(1100);
	/* Loaded at 1001: 4 3 2 1(low) 4 ... */
	assert_int_equal(nedges, 2 * 24 + 1);
	for (unsigned i = 0; i < 24; i++) {
		assert_false(edges[2 * i].level);
		assert_int_equal(edges[2 * i].tick, 1004 + 4 * i);
		assert_true(edges[2 * i + 1].level);
		assert_int_equal(edges[2 * i + 1].tick, 1005 + 4 * i);
	}
	at_tick(1102);
	assert_int_equal(latch16(0), 4 - (1102 - 1001) % 4);
	/* A new count waits for the end of the period. */
	nedges = 0;
	out8(CTR0, 10);
	out8(CTR0, 0);
	at_tick(1200);
	assert_int_equal(edges[0].tick, 1104);  /* old period: low at 1104 */
	assert_int_equal(edges[1].tick, 1105);  /* reload with 10 */
	assert_int_equal(edges[2].tick, 1114);
	assert_int_equal(edges[3].tick, 1115);
}

/* Figure 18: a square wave; odd counts are high (N + 1) / 2 and low
 * (N - 1) / 2 clocks. */
static void test_mode3(void **state)
{
	(void)state;
	out8(CTRL, 0x36);
	out8(CTR0, 6);
	out8(CTR0, 0);
	at_tick(1001);
	assert_int_equal(latch16(0), 6);
	at_tick(1002);
	assert_int_equal(latch16(0), 4);   /* counts down by two */
	at_tick(1030);
	/* Loaded at 1001, halves of 3: low at 1004, high at 1007 ... */
	assert_int_equal(edges[0].tick, 1004);
	assert_false(edges[0].level);
	assert_int_equal(edges[1].tick, 1007);
	assert_int_equal(edges[2].tick, 1010);

	out8(CTRL, 0x36);
	out8(CTR0, 5);
	nedges = 0;
	out8(CTR0, 0);
	at_tick(1060);
	/* Loaded at 1031: high 3 clocks, low 2. */
	assert_false(edges[0].level);
	assert_int_equal(edges[0].tick, 1034);
	assert_int_equal(edges[1].tick, 1036);
	assert_int_equal(edges[2].tick, 1039);
	assert_int_equal(edges[3].tick, 1041);
}

/* Figures 16 and 20: modes 1 and 5 start on a rising GATE. */
static void test_modes_1_and_5(void **state)
{
	(void)state;
	out8(PORT61, 0x00);
	out8(CTRL, 0xb2);            /* counter 2, mode 1 */
	out8(CTR2, 3);
	out8(CTR2, 0);
	at_tick(1010);
	assert_true(out2());         /* waits for a trigger */
	out8(PORT61, 0x01);
	at_tick(1011);
	assert_false(out2());        /* low with the next clock */
	assert_int_equal(latch16(2), 3);
	at_tick(1013);
	assert_false(out2());
	at_tick(1014);
	assert_true(out2());
	/* Retriggered: N more clocks low. */
	out8(PORT61, 0x00);
	out8(PORT61, 0x01);
	at_tick(1017);
	assert_false(out2());
	at_tick(1018);
	assert_true(out2());

	out8(PORT61, 0x00);
	out8(CTRL, 0xba);            /* mode 5 */
	out8(CTR2, 2);
	out8(CTR2, 0);
	out8(PORT61, 0x01);
	at_tick(1020);
	assert_true(out2());
	at_tick(1021);
	assert_false(out2());        /* one clock low at the terminal count */
	at_tick(1022);
	assert_true(out2());
}

/* Figure 19: mode 4 strobes low once, N + 1 clocks after the write. */
static void test_mode4(void **state)
{
	(void)state;
	out8(CTRL, 0x38);
	out8(CTR0, 3);
	out8(CTR0, 0);
	at_tick(1010);
	assert_int_equal(nedges, 2);
	assert_false(edges[0].level);
	assert_int_equal(edges[0].tick, 1004);
	assert_true(edges[1].level);
	assert_int_equal(edges[1].tick, 1005);
	at_tick(1005 + 65536 + 10);
	assert_int_equal(nedges, 2);  /* no second strobe after wrapping */
}

/* Counter latch and read-back: a latched value stays until read, a
 * second latch is ignored, status comes before the count. */
static void test_latch_and_read_back(void **state)
{
	(void)state;
	out8(CTRL, 0x34);
	out8(CTR0, 0x00);
	out8(CTR0, 0x10);            /* 0x1000 */
	at_tick(1011);
	out8(CTRL, 0x00);            /* latch */
	at_tick(1020);
	out8(CTRL, 0x00);            /* ignored: the first is unread */
	assert_int_equal(in8(CTR0), 0xf6);
	assert_int_equal(in8(CTR0), 0x0f);  /* 0x1000 - 10 */
	/* Read-back of count and status of counter 0: status first. */
	out8(CTRL, 0xc2);
	assert_int_equal(in8(CTR0), 0xb4);  /* OUT 1, loaded, rw 3, mode 2 */
	assert_int_equal(in8(CTR0), 0xed);  /* 0x1000 - 19 */
	assert_int_equal(in8(CTR0), 0x0f);
	/* Live reads without a latch follow the count. */
	assert_int_equal(in8(CTR0), 0xed);
	at_tick(1021);
	assert_int_equal(in8(CTR0), 0x0f);
	/* Mode bits are reported as written (6 = mode 2). */
	out8(CTRL, 0x1c);            /* counter 0, LSB only, mode 6 */
	assert_int_equal(status(0), 0xdc);  /* OUT high, null count */
}

/* "Reads and writes of the same Counter may be interleaved": read LSB,
 * write new LSB, read MSB, write new MSB. */
static void test_interleaved_access(void **state)
{
	(void)state;
	out8(PORT61, 0x00);
	out8(CTRL, 0xb0);
	out8(CTR2, 0x34);
	out8(CTR2, 0x12);
	at_tick(1002);
	assert_int_equal(in8(CTR2), 0x34);
	out8(CTR2, 0x78);
	assert_int_equal(in8(CTR2), 0x12);
	out8(CTR2, 0x56);
	at_tick(1003);
	assert_int_equal(latch16(2), 0x5678);
}

static void test_lsb_msb_only_and_bcd(void **state)
{
	(void)state;
	out8(PORT61, 0x01);
	out8(CTRL, 0x90);            /* counter 2, LSB only, mode 0 */
	out8(CTR2, 0x05);
	at_tick(1003);
	assert_int_equal(in8(CTR2), 0x03);
	out8(CTRL, 0xa0);            /* MSB only */
	out8(CTR2, 0x01);            /* 0x0100 */
	at_tick(1005);
	assert_int_equal(in8(CTR2), 0x00);  /* 0x00ff: MSB 0 */

	out8(CTRL, 0xb1);            /* LSB/MSB, mode 0, BCD */
	out8(CTR2, 0x12);
	out8(CTR2, 0x00);            /* 12 */
	at_tick(1009);
	assert_int_equal(latch16(2), 0x0009);
	at_tick(1018);
	assert_int_equal(latch16(2), 0x0000);
	assert_true(out2());
	at_tick(1019);
	assert_int_equal(latch16(2), 0x9999);  /* wraps in BCD */
	out8(CTRL, 0xb1);
	out8(CTR2, 0x00);
	out8(CTR2, 0x00);            /* 0 is 10000 in BCD */
	at_tick(1020);
	assert_int_equal(latch16(2), 0x0000);
	at_tick(1021);
	assert_int_equal(latch16(2), 0x9999);
	at_tick(1020 + 10000);
	assert_true(out2());
}

/* Port 0x61: bits 3:0 read back, bit 4 toggles with refresh (every 18
 * clocks), bit 5 is counter 2's OUT. */
static void test_port61(void **state)
{
	(void)state;
	out8(PORT61, 0xff);
	uint8_t a = in8(PORT61);
	assert_int_equal(a & 0xcf, 0x0f);
	at_tick(1018);
	uint8_t b = in8(PORT61);
	assert_int_equal((a ^ b) & 0x10, 0x10);
	/* A control word sets OUT low for mode 0, high for the others. */
	out8(CTRL, 0xb0);
	assert_false(out2());
	out8(CTRL, 0xb4);
	assert_true(out2());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mode0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode0_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes_1_and_5, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latch_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsb_msb_only_and_bcd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port61, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
