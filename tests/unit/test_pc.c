/* The PC's wiring (platform/pc.h) and its smaller devices, through the
 * ports a guest uses: the A20 gate (keyboard controller output port ORed
 * with port 0x92 bit 1, PIIX4 "Port 92h"), every reset path (0xFE and the
 * output port's reset line, port 0x92 bit 0, 0xcf9 RST_CPU), power-off
 * ("Shutdown" on 0x8900, ACPI SLP_TYP S5 with SLP_EN), the 8042's
 * commands and its keyboard and mouse, the 8259's output on the CPU's
 * INTR, FERR#/IGNNE#, the CMOS bytes firmware fills, the ACPI PM timer
 * and its SCI, and COM2's interrupt line. */
#include "env.h"

#include "platform/acpi_pm.h"
#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/pc.h"
#include "platform/pc_layout.h"
#include "platform/pic.h"
#include "platform/ram.h"

static struct iomap *io;
static struct clock *clk;
static struct irq_bus irqs;
static struct ram *ram;
static struct pc *pc;
static unsigned resets, power_offs;
static char last_why[256];

static void on_reset(void *ctx, const char *why)
{
	(void)ctx;
	resets++;
	snprintf(last_why, sizeof(last_why), "%s", why);
}

static void on_power_off(void *ctx, const char *why)
{
	(void)ctx;
	power_offs++;
	snprintf(last_why, sizeof(last_why), "%s", why);
}

static void out8(uint16_t port, uint8_t v)
{
	iomap_write(io, IOMAP_PORT, port, 1, v);
}

static uint8_t in8(uint16_t port)
{
	return (uint8_t)iomap_read(io, IOMAP_PORT, port, 1);
}

static int setup(void **state)
{
	char err[256];
	static struct cpu *cpus[1];

	(void)state;
	env_open(ENV_RAM, NULL, ENV_PT);
	cpus[0] = env_cpu(ENV_FLAT32);
	io = iomap_create();
	clk = clock_create(1000000000u);
	irqs = (struct irq_bus){ 0 };
	ram = ram_create(128ull << 20, err, sizeof(err));
	assert_non_null(ram);
	resets = power_offs = 0;
	last_why[0] = 0;
	struct pc_config cfg = {
		.io = io, .clock = clk, .irqs = &irqs, .ram = ram,
		.cpus = cpus, .ncpus = 1, .com1_out = NULL,
		.power_off = on_power_off, .reset = on_reset,
	};
	pc = pc_create(&cfg, err, sizeof(err));
	if (!pc)
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pc_destroy(pc);
	ram_destroy(ram);
	clock_destroy(clk);
	iomap_destroy(io);
	env_close(env_cur);
	return 0;
}

static bool a20_on(void)
{
	return env_cur->c->a20_mask & (1ull << 20);
}

/* Waits for the 8042's output buffer and reads it. */
static int kbc_byte(void)
{
	if (!(in8(0x64) & 0x01))
		return -1;
	return in8(0x60);
}

static void test_a20_gate(void **state)
{
	(void)state;
	assert_true(a20_on());
	out8(0x64, 0xd0);                   /* read output port */
	assert_int_equal(kbc_byte() & 0x03, 0x03);
	out8(0x64, 0xd1);
	out8(0x60, 0xdd);                   /* A20 off, reset line high */
	assert_false(a20_on());
	out8(0x92, 0x02);                   /* alternate gate: ORed */
	assert_true(a20_on());
	assert_int_equal(in8(0x92), 0x02);
	out8(0x92, 0x00);
	assert_false(a20_on());
	out8(0x64, 0xdf);                   /* HP/QEMU A20 on command */
	assert_true(a20_on());
	out8(0x64, 0xdd);
	assert_false(a20_on());
	out8(0x64, 0xd1);
	out8(0x60, 0xdf);
	assert_true(a20_on());
	assert_int_equal(resets, 0);
}

static void test_resets(void **state)
{
	(void)state;
	out8(0x64, 0xfe);
	assert_int_equal(resets, 1);
	out8(0x64, 0xff);                   /* pulses nothing */
	assert_int_equal(resets, 1);
	out8(0x64, 0xd1);
	out8(0x60, 0x02);                   /* reset line low */
	assert_int_equal(resets, 2);
	out8(0x92, 0x01);                   /* 0 -> 1 */
	assert_int_equal(resets, 3);
	out8(0x92, 0x01);                   /* stays 1: no transition */
	assert_int_equal(resets, 3);
	out8(0xcf9, 0x02);                  /* SYS_RST alone: nothing yet */
	assert_int_equal(resets, 3);
	assert_int_equal(in8(0xcf9), 0x02);
	out8(0xcf9, 0x06);                  /* RST_CPU: hard reset */
	assert_int_equal(resets, 4);
	assert_non_null(strstr(last_why, "0xcf9"));
	out8(0xcf9, 0x04);                  /* soft reset */
	assert_int_equal(resets, 5);
	assert_int_equal(power_offs, 0);
}

static void out_string(uint16_t port, const char *s)
{
	while (*s)
		out8(port, (uint8_t)*s++);
}

static void test_power_off(void **state)
{
	(void)state;
	out_string(0x8900, "Shutdow");
	out_string(0x8900, "x");
	out_string(0x8900, "n");
	assert_int_equal(power_offs, 0);
	out_string(0x8900, "SShutdown");
	assert_int_equal(power_offs, 1);
	/* ACPI: SLP_TYP = S1 is not supported; S5 turns the machine off. */
	iomap_write(io, IOMAP_PORT, PC_PORT_PM1A_CNT, 2, 1u << 10 | 1u << 13 | 1);
	assert_int_equal(power_offs, 1);
	iomap_write(io, IOMAP_PORT, PC_PORT_PM1A_CNT, 2,
		    (uint32_t)PC_SLP_TYP_S5 << 10 | 1u << 13 | 1);
	assert_int_equal(power_offs, 2);
	assert_non_null(strstr(last_why, "S5"));
	/* SLP_EN reads 0; SCI_EN and SLP_TYP read back. */
	assert_int_equal(iomap_read(io, IOMAP_PORT, PC_PORT_PM1A_CNT, 2),
			 (uint32_t)PC_SLP_TYP_S5 << 10 | 1);
}

/* The 8042's own commands and its devices' answers. */
static void test_i8042(void **state)
{
	(void)state;
	assert_int_equal(in8(0x64) & 0x15, 0x14);   /* SYS, unlocked, empty */
	out8(0x64, 0xaa);
	assert_int_equal(in8(0x64) & 0x09, 0x09);   /* OBF, last write a command */
	assert_int_equal(kbc_byte(), 0x55);
	out8(0x64, 0xab);
	assert_int_equal(kbc_byte(), 0x00);
	out8(0x64, 0x20);
	assert_int_equal(kbc_byte(), 0x45);         /* INT, SYS, XLAT */
	/* Keyboard: reset and identify (translated, then not). */
	out8(0x60, 0xff);
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0xaa);
	assert_int_equal(kbc_byte(), -1);
	out8(0x60, 0xf2);
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0xab);
	assert_int_equal(kbc_byte(), 0x41);
	out8(0x64, 0x60);
	out8(0x60, 0x07);                           /* no translation */
	out8(0x60, 0xf2);
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0xab);
	assert_int_equal(kbc_byte(), 0x83);
	out8(0x60, 0xee);
	assert_int_equal(kbc_byte(), 0xee);
	out8(0x60, 0xed);                           /* LEDs: two ACKs */
	assert_int_equal(kbc_byte(), 0xfa);
	out8(0x60, 0x07);
	assert_int_equal(kbc_byte(), 0xfa);
	/* IRQ 1 follows the output buffer while enabled. */
	out8(0x60, 0xee);
	assert_true(irqs.level[PC_IRQ_KBD]);
	in8(0x60);
	assert_false(irqs.level[PC_IRQ_KBD]);
	/* Mouse through 0xD4: reset, identify, status. */
	out8(0x64, 0xd4);
	out8(0x60, 0xff);
	assert_int_equal(in8(0x64) & 0x21, 0x21);   /* OBF from the mouse */
	assert_true(irqs.level[PC_IRQ_MOUSE]);      /* INT2 on (0x07) */
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0xaa);
	assert_int_equal(kbc_byte(), 0x00);
	assert_false(irqs.level[PC_IRQ_MOUSE]);
	out8(0x64, 0xd4);
	out8(0x60, 0xf2);
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0x00);
	out8(0x64, 0xd4);
	out8(0x60, 0xe9);
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0x00);         /* stream, disabled, 1:1 */
	assert_int_equal(kbc_byte(), 0x02);         /* 4 counts/mm */
	assert_int_equal(kbc_byte(), 100);          /* samples/s */
	/* A disabled keyboard interface holds its bytes back; writing to
	 * the keyboard enables it again. */
	out8(0x64, 0xad);
	out8(0x64, 0xd4);
	out8(0x60, 0xf2);                           /* the mouse answers */
	assert_int_equal(kbc_byte(), 0xfa);
	assert_int_equal(kbc_byte(), 0x00);
	out8(0x60, 0xee);
	assert_int_equal(kbc_byte(), 0xee);
	/* 0xD2 and 0xD3 fill the output buffer directly (Linux's AUX loop
	 * test), marked keyboard or auxiliary data. */
	out8(0x64, 0xa7);                           /* aux interface off */
	out8(0x64, 0xd3);
	out8(0x60, 0x5a);
	assert_int_equal(in8(0x64) & 0x21, 0x21);
	assert_int_equal(kbc_byte(), 0x5a);
	out8(0x64, 0xd2);
	out8(0x60, 0x1c);
	assert_int_equal(in8(0x64) & 0x21, 0x01);
	assert_int_equal(kbc_byte(), 0x1c);
}

/* The pair's INT reaches the CPU's INTR (nothing else is connected). */
static void test_pic_to_cpu(void **state)
{
	(void)state;
	struct cpu *c = env_cur->c;
	static const uint8_t init[][2] = {
		{ 0x20, 0x11 }, { 0x21, 0x30 }, { 0x21, 0x04 }, { 0x21, 0x01 },
		{ 0xa0, 0x11 }, { 0xa1, 0x38 }, { 0xa1, 0x02 }, { 0xa1, 0x01 },
	};
	for (size_t i = 0; i < sizeof(init) / sizeof(init[0]); i++)
		out8(init[i][0], init[i][1]);
	assert_false(c->intr_line);
	out8(0x2005, 1);                            /* pc-testdev line 5 */
	assert_true(c->intr_line);
	assert_int_equal(pic_acknowledge(pc_pic(pc)), 0x35);
	assert_false(c->intr_line);
	out8(0x2005, 0);
	out8(0x2009, 1);                            /* through the slave */
	out8(0x20, 0x20);
	assert_int_equal(pic_acknowledge(pc_pic(pc)), 0x39);
}

static void test_ferr_ignne(void **state)
{
	(void)state;
	struct cpu *c = env_cur->c;

	pc_set_ferr(pc, true);
	assert_true(irqs.level[PC_IRQ_FPU]);
	assert_false(c->ignne);
	out8(0xf0, 0);
	assert_false(irqs.level[PC_IRQ_FPU]);
	assert_true(c->ignne);
	pc_set_ferr(pc, false);
	assert_false(c->ignne);
	out8(0xf0, 0);                              /* no FERR#: nothing */
	assert_false(c->ignne);
}

static uint8_t cmos(uint8_t i)
{
	out8(0x70, i);
	return in8(0x71);
}

/* 128 MiB: what an AT BIOS writes there (IBM PC/AT technical
 * reference; the 0x34 and 0x5b words as SeaBIOS and QEMU use them). */
static void test_cmos_memory(void **state)
{
	(void)state;
	unsigned sum = 0;

	assert_int_equal(cmos(0x15) | cmos(0x16) << 8, 640);
	assert_int_equal(cmos(0x17) | cmos(0x18) << 8, 0xffff);
	assert_int_equal(cmos(0x30) | cmos(0x31) << 8, 0xffff);
	assert_int_equal(cmos(0x34) | cmos(0x35) << 8, (128 - 16) * 16);
	assert_int_equal(cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16, 0);
	assert_int_equal(cmos(0x5f), 0);
	assert_int_equal(cmos(0x14), 0x06);
	for (uint8_t i = 0x10; i <= 0x2d; i++)
		sum += cmos(i);
	assert_int_equal(cmos(0x2e) << 8 | cmos(0x2f), sum);
}

/* The PM timer counts 3.579545 MHz; TMR_STS follows bit 23 and, with
 * TMR_EN and SCI_EN, asserts the SCI. */
static void test_pm_timer(void **state)
{
	(void)state;
	uint32_t t0 = iomap_read(io, IOMAP_PORT, PC_PORT_PM_TMR, 4);
	uint64_t carry_ns = ((1ull << 23) * 1000000000ull + ACPI_PM_TIMER_HZ - 1) /
			    ACPI_PM_TIMER_HZ;

	clock_advance_to(clk, 1000000000);
	assert_int_equal((iomap_read(io, IOMAP_PORT, PC_PORT_PM_TMR, 4) - t0) &
			 0xffffff, ACPI_PM_TIMER_HZ);
	assert_int_equal(iomap_read(io, IOMAP_PORT, PC_PORT_PM1A_EVT, 2) & 1, 0);
	iomap_write(io, IOMAP_PORT, PC_PORT_PM1A_EVT + 2, 2, 1);   /* TMR_EN */
	assert_false(irqs.level[PC_IRQ_SCI]);
	assert_true(pc_has_event_sources(pc));
	clock_advance_to(clk, carry_ns - 1);
	clock_run_due(clk);
	assert_false(irqs.level[PC_IRQ_SCI]);
	clock_advance_to(clk, carry_ns);
	clock_run_due(clk);
	assert_true(irqs.level[PC_IRQ_SCI]);
	assert_int_equal(iomap_read(io, IOMAP_PORT, PC_PORT_PM1A_EVT, 2) & 1, 1);
	iomap_write(io, IOMAP_PORT, PC_PORT_PM1A_EVT, 2, 1);       /* clear */
	assert_false(irqs.level[PC_IRQ_SCI]);
	/* SCI_EN off: status without SCI. */
	iomap_write(io, IOMAP_PORT, PC_PORT_PM1A_CNT, 2, 0);
	clock_advance_to(clk, 3 * carry_ns);
	clock_run_due(clk);
	assert_false(irqs.level[PC_IRQ_SCI]);
	assert_int_equal(iomap_read(io, IOMAP_PORT, PC_PORT_PM1A_EVT, 2) & 1, 1);
	assert_false(pc_has_event_sources(pc));
}

static void test_event_sources_and_com2(void **state)
{
	(void)state;
	assert_false(pc_has_event_sources(pc));
	out8(0x43, 0x34);                           /* PIT counter 0, mode 2 */
	out8(0x40, 0x00);
	out8(0x40, 0x10);
	assert_true(pc_has_event_sources(pc));
	out8(0x2f8 + 1, 0x02);                      /* COM2: THRE interrupt */
	assert_false(irqs.level[PC_IRQ_COM2]);
	out8(0x2f8 + 4, 0x08);                      /* OUT2 */
	assert_true(irqs.level[PC_IRQ_COM2]);
	assert_false(irqs.level[PC_IRQ_COM1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a20_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_i8042, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pic_to_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ferr_ignne, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmos_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pm_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_sources_and_com2, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
