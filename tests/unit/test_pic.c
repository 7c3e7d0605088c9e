/* The 8259A pair against the Intel 8259A datasheet (231468): every ICW
 * and OCW path, priorities and rotation, special mask and special fully
 * nested modes, polling, the default IR7, cascading through IR2 and the
 * PIIX ELCR. The chips are driven through their ports, as a guest does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/iomap.h"
#include "platform/pic.h"

#define M 0x20
#define S 0xa0
#define MBASE 0x20
#define SBASE 0x28

static struct iomap *io;
static struct pic *pic;
static bool intr;
static unsigned intr_changes;

static void on_output(void *opaque, bool level)
{
	(void)opaque;
	intr = level;
	intr_changes++;
}

static void out8(uint16_t port, uint8_t v)
{
	iomap_write(io, IOMAP_PORT, port, 1, v);
}

static uint8_t in8(uint16_t port)
{
	return (uint8_t)iomap_read(io, IOMAP_PORT, port, 1);
}

static void irq(unsigned line, bool level)
{
	pic_set_irq(pic, line, level);
}

static void pulse(unsigned line)
{
	irq(line, true);
	irq(line, false);
}

/* ICW1-ICW4 as a PC programs the pair, with icw4 for both. */
static void init_pair(uint8_t icw1, uint8_t mbase, uint8_t sbase,
		      uint8_t icw4)
{
	out8(M, icw1);
	out8(M + 1, mbase);
	out8(M + 1, 0x04);   /* slave on IR2 */
	out8(M + 1, icw4);
	out8(S, icw1);
	out8(S + 1, sbase);
	out8(S + 1, 0x02);   /* slave ID 2 */
	out8(S + 1, icw4);
}

static int setup(void **state)
{
	char err[128];

	(void)state;
	io = iomap_create();
	pic = pic_create(io, err, sizeof(err));
	assert_non_null(pic);
	intr = false;
	intr_changes = 0;
	pic_set_output(pic, on_output, NULL);
	init_pair(0x11, MBASE, SBASE, 0x01);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pic_destroy(pic);
	iomap_destroy(io);
	return 0;
}

static uint8_t read_isr(uint16_t base)
{
	out8(base, 0x0b);
	return in8(base);
}

static uint8_t read_irr(uint16_t base)
{
	out8(base, 0x0a);
	return in8(base);
}

static void eoi(uint16_t base)
{
	out8(base, 0x20);
}

/* ICW1 keeps the ISR: specific EOIs clear it between cases. */
static void clear_isr(void)
{
	for (uint8_t ir = 0; ir < 8; ir++) {
		out8(M, 0x60 | ir);
		out8(S, 0x60 | ir);
	}
}

static void test_acknowledge_and_eoi(void **state)
{
	(void)state;
	assert_false(intr);
	irq(3, true);
	assert_true(intr);
	assert_int_equal(read_irr(M), 0x08);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	assert_false(intr);
	assert_int_equal(read_isr(M), 0x08);
	/* Edge mode: the IRR bit is reset by the acknowledge. */
	assert_int_equal(read_irr(M), 0x00);
	eoi(M);
	assert_int_equal(read_isr(M), 0x00);
	/* The line is still high: no new edge, no new interrupt. */
	assert_false(intr);
	irq(3, false);
	irq(3, true);
	assert_true(intr);
}

/* Fully nested mode: IR0 highest; a level in service blocks itself and
 * lower levels, not higher ones. */
static void test_fully_nested_priority(void **state)
{
	(void)state;
	irq(5, true);
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	assert_false(intr);          /* IR5 is lower than IR3 in service */
	irq(1, true);
	assert_true(intr);           /* IR1 is higher */
	assert_int_equal(pic_acknowledge(pic), MBASE + 1);
	assert_int_equal(read_isr(M), 0x0a);
	eoi(M);                      /* non-specific: the highest, IR1 */
	assert_int_equal(read_isr(M), 0x08);
	assert_false(intr);
	eoi(M);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), MBASE + 5);
}

static void test_mask(void **state)
{
	(void)state;
	out8(M + 1, 0x10);
	assert_int_equal(in8(M + 1), 0x10);
	irq(4, true);
	assert_false(intr);
	assert_int_equal(read_irr(M), 0x10); /* IRR shows masked requests */
	out8(M + 1, 0x00);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), MBASE + 4);
}

/* Level-triggered inputs (ELCR or ICW1.LTIM) request again after EOI
 * while the line stays high. */
static void test_level_mode(void **state)
{
	(void)state;
	out8(0x4d0, 0xff);
	out8(0x4d1, 0xff);
	assert_int_equal(in8(0x4d0), 0xf8);  /* IRQ0-2 are edge only */
	assert_int_equal(in8(0x4d1), 0xde);  /* so are IRQ8 and IRQ13 */
	irq(5, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 5);
	assert_int_equal(read_irr(M), 0x20);  /* IRR follows the level */
	eoi(M);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), MBASE + 5);
	irq(5, false);
	eoi(M);
	assert_false(intr);

	out8(0x4d0, 0x00);
	init_pair(0x19, MBASE, SBASE, 0x01);  /* LTIM */
	irq(6, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 6);
	eoi(M);
	assert_true(intr);
}

/* "If the IR input goes low before this time a DEFAULT IR7 will occur
 * when the CPU acknowledges the interrupt ... a default IR7 won't [set
 * the ISR bit]." */
static void test_spurious_ir7(void **state)
{
	(void)state;
	pulse(4);
	assert_true(intr);            /* INT stays latched */
	assert_int_equal(pic_acknowledge(pic), MBASE + 7);
	assert_int_equal(read_isr(M), 0x00);
	assert_false(intr);

	/* On the slave: the master's IR2 is acknowledged normally, the
	 * slave gives its own default IR7. */
	pulse(10);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), SBASE + 7);
	assert_int_equal(read_isr(S), 0x00);
	assert_int_equal(read_isr(M), 0x04);
	eoi(M);

	/* Masking a request after INT rose gives the same. */
	irq(6, true);
	out8(M + 1, 0x40);
	assert_int_equal(pic_acknowledge(pic), MBASE + 7);
}

static void test_cascade(void **state)
{
	(void)state;
	irq(12, true);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), SBASE + 4);
	assert_int_equal(read_isr(M), 0x04);
	assert_int_equal(read_isr(S), 0x10);
	/* Slave requests are blocked by the master's IR2 in service. */
	irq(9, true);
	assert_false(intr);
	eoi(S);
	eoi(M);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), SBASE + 1);
	/* A master request above IR2 still nests. */
	irq(0, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 0);
	/* Line 2 is not wired to the master: its IR2 is the cascade. */
	eoi(M);
	eoi(S);
	eoi(M);
	irq(2, true);
	assert_false(intr);
}

static void test_auto_eoi(void **state)
{
	(void)state;
	init_pair(0x11, MBASE, SBASE, 0x03);
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	assert_int_equal(read_isr(M), 0x00);
	irq(5, true);
	assert_true(intr);  /* nothing in service blocks IR5 */
	irq(11, true);
	assert_int_equal(pic_acknowledge(pic), SBASE + 3);
	assert_int_equal(read_isr(M), 0x00);
	assert_int_equal(read_isr(S), 0x00);
}

/* One OCW2 command per row: the ISR and priority order it leaves. The
 * priority order is checked by raising IR0-IR7 together and reading
 * which level the poll command picks. */
struct ocw2_case {
	const char *name;
	uint8_t isr_before;      /* levels acknowledged first, in order */
	uint8_t ocw2;
	uint8_t isr_after;
	int first;               /* level granted next with all requesting */
};

static const struct ocw2_case ocw2_cases[] = {
	{ "non-specific EOI", 0x28, 0x20, 0x20, 0 },
	{ "specific EOI IR5", 0x28, 0x65, 0x08, 0 },
	{ "no operation", 0x08, 0x40, 0x08, 0 },
	{ "rotate on non-specific EOI", 0x08, 0xa0, 0x00, 4 },
	{ "rotate on specific EOI IR6", 0x40, 0xe6, 0x00, 7 },
	{ "set priority: IR2 lowest", 0x00, 0xc2, 0x00, 3 },
	{ "set priority: IR7 lowest", 0x00, 0xc7, 0x00, 0 },
};

static void test_ocw2_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ocw2_cases) / sizeof(ocw2_cases[0]);
	     i++) {
		const struct ocw2_case *t = &ocw2_cases[i];

		/* Acknowledged from the lowest priority up, so that each
		 * one nests in the previous. */
		init_pair(0x11, MBASE, SBASE, 0x01);
		clear_isr();
		for (int ir = 7; ir >= 0; ir--) {
			if (!(t->isr_before & (1u << ir)))
				continue;
			irq((unsigned)ir, true);
			assert_int_equal(pic_acknowledge(pic), MBASE + ir);
		}
		assert_int_equal(read_isr(M), t->isr_before);
		out8(M, t->ocw2);
		assert_int_equal(read_isr(M), t->isr_after);
		for (int ir = 0; ir < 8; ir++)
			irq((unsigned)ir, false);
		out8(M, 0x0c);      /* poll */
		for (int ir = 0; ir < 8; ir++)
			if (ir != 2)
				irq((unsigned)ir, true);
		irq(10, true);      /* IR2 through the slave */
		/* The poll read acts as INTA: I = 1 and the level. */
		if (in8(M) != (0x80 | t->first))
			fail_msg("%s: level %d should be granted first",
				 t->name, t->first);
		for (int ir = 0; ir < 16; ir++)
			irq((unsigned)ir, false);
	}
}

static void test_rotate_in_aeoi(void **state)
{
	(void)state;
	init_pair(0x11, MBASE, SBASE, 0x03);
	out8(M, 0x80);               /* rotate in AEOI mode (set) */
	irq(1, true);
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 1);
	/* IR1 is now the lowest: IR3 beats a new IR0 request. */
	irq(0, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	out8(M, 0x00);               /* rotate in AEOI mode (clear) */
	irq(4, true);
	/* IR3 is the lowest: IR4 outranks the waiting IR0. */
	assert_int_equal(pic_acknowledge(pic), MBASE + 4);
	/* No rotation this time: IR3 stays the lowest, IR0 outranks IR1. */
	irq(1, false);
	irq(1, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 0);
}

/* "In the special Mask Mode, when a mask bit is set in OCW1, it
 * inhibits further interrupts at that level and enables interrupts from
 * all other levels (lower as well as higher) that are not masked." */
static void test_special_mask_mode(void **state)
{
	(void)state;
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	irq(5, true);
	assert_false(intr);
	out8(M, 0x68);               /* OCW3: set special mask */
	assert_false(intr);          /* IR3 is not masked: it still blocks */
	out8(M + 1, 0x08);           /* mask IR3 */
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), MBASE + 5);
	assert_int_equal(read_isr(M), 0x28);
	out8(M, 0x48);               /* OCW3: reset special mask */
	out8(M, 0x65);               /* specific EOI IR5 */
	out8(M + 1, 0x00);
	out8(M, 0x63);               /* specific EOI IR3 */
	assert_int_equal(read_isr(M), 0x00);
}

static void test_poll_without_request(void **state)
{
	(void)state;
	out8(M, 0x0c);
	assert_int_equal(in8(M), 0x00);
	/* The poll lasts one read; OCW3's register choice stays. */
	out8(M, 0x0b);
	out8(M, 0x0c);
	irq(6, true);
	assert_int_equal(in8(M), 0x86);
	assert_int_equal(in8(M), 0x40);  /* ISR, as selected before */
	assert_false(intr);
}

/* ICW1 resets the edge sense, clears the IMR and special mask, makes
 * IR7 the lowest and selects the IRR for reading; it leaves the ISR. */
static void test_reinit_keeps_isr(void **state)
{
	(void)state;
	out8(M, 0xc4);               /* IR4 lowest */
	out8(M, 0x68);               /* special mask mode */
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 3);
	out8(M + 1, 0xf0);
	out8(M, 0x0b);               /* read ISR */
	init_pair(0x11, 0x40, 0x48, 0x01);
	assert_int_equal(in8(M + 1), 0x00);
	assert_int_equal(in8(M), 0x00);   /* IRR is read again */
	assert_int_equal(read_isr(M), 0x08);
	/* IR3 is still in service and blocks IR5 (special mask is off). */
	irq(5, true);
	assert_false(intr);
	/* IR3's line was high through ICW1: no request until a new edge. */
	eoi(M);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), 0x40 + 5);
	eoi(M);
	assert_false(intr);
	irq(3, false);
	irq(3, true);
	assert_int_equal(pic_acknowledge(pic), 0x40 + 3);
	/* Priority is back to IR0 highest. */
	eoi(M);
	irq(7, true);
	irq(0, true);
	assert_int_equal(pic_acknowledge(pic), 0x40 + 0);
}

/* "When an interrupt request from a certain slave is in service this
 * slave is not locked out from the master's priority logic and further
 * interrupt requests from higher priority IR's within the slave will be
 * recognized." */
static void test_special_fully_nested(void **state)
{
	(void)state;
	irq(12, true);
	assert_int_equal(pic_acknowledge(pic), SBASE + 4);
	irq(9, true);
	assert_false(intr);          /* normal nesting: the slave is locked */
	irq(9, false);

	init_pair(0x11, MBASE, SBASE, 0x01);
	out8(M, 0x11);
	out8(M + 1, MBASE);
	out8(M + 1, 0x04);
	out8(M + 1, 0x11);           /* master: 8086, SFNM */
	out8(S, 0x20);
	out8(S, 0x20);
	out8(M, 0x20);
	irq(12, false);
	irq(12, true);
	assert_int_equal(pic_acknowledge(pic), SBASE + 4);
	irq(9, true);
	assert_true(intr);
	assert_int_equal(pic_acknowledge(pic), SBASE + 1);
	assert_int_equal(read_isr(S), 0x12);
	assert_int_equal(read_isr(M), 0x04);
	/* IR2 in service still blocks lower master levels. */
	irq(5, true);
	assert_false(intr);
}

static void test_single_mode_and_buffered(void **state)
{
	(void)state;
	/* SNGL: no ICW3; the next byte is ICW4. */
	out8(M, 0x13);
	out8(M + 1, 0x50);
	out8(M + 1, 0x01);
	out8(M + 1, 0xfe);           /* OCW1 now */
	assert_int_equal(in8(M + 1), 0xfe);
	/* Without a cascade, IR2 is the master's own level. */
	out8(M + 1, 0x00);
	irq(10, true);
	assert_int_equal(pic_acknowledge(pic), 0x50 + 2);

	/* Buffered mode, master chip told it is a slave (M/S = 0): it no
	 * longer passes IR2 to the slave. */
	init_pair(0x11, MBASE, SBASE, 0x01);
	clear_isr();
	out8(M, 0x11);
	out8(M + 1, MBASE);
	out8(M + 1, 0x04);
	out8(M + 1, 0x09);           /* BUF, slave */
	irq(10, false);
	irq(10, true);
	assert_int_equal(pic_acknowledge(pic), MBASE + 2);
	/* ICW1 without IC4 clears ICW4: buffered mode goes, and the
	 * master cascades again. */
	init_pair(0x11, MBASE, SBASE, 0x01);
	clear_isr();
	out8(M, 0x10);
	out8(M + 1, MBASE);
	out8(M + 1, 0x04);
	irq(11, true);
	assert_int_equal(pic_acknowledge(pic), SBASE + 3);
}

static void test_output_callback(void **state)
{
	(void)state;
	unsigned before = intr_changes;

	irq(1, true);
	irq(4, true);
	assert_int_equal(intr_changes, before + 1);
	assert_true(pic_has_interrupt(pic));
	pic_acknowledge(pic);
	assert_int_equal(intr_changes, before + 2);
	assert_false(pic_has_interrupt(pic));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acknowledge_and_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fully_nested_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spurious_ir7, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cascade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ocw2_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_in_aeoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_mask_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll_without_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinit_keeps_isr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_fully_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_mode_and_buffered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_callback, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
