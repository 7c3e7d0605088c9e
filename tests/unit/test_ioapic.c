/* The I/O APIC against the 82093AA datasheet: IOREGSEL/IOWIN, the ID,
 * version and arbitration registers, reset values of the redirection
 * table, edge and level delivery with polarity and mask, remote IRR and
 * the EOI broadcast, the EOI register of version 20H, delivery modes and
 * destinations, lowest priority, and the PC's ISA routing (IRQ 0 is
 * GSI 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/state.h"
#include "platform/apicbus.h"
#include "platform/clock.h"
#include "platform/ioapic.h"
#include "platform/iomap.h"
#include "platform/lapic.h"
#include "platform/pc_layout.h"

#define NCPU 2
#define BASE 0xfec00000ull

static struct {
	struct clock *clk;
	struct apic_bus *bus;
	struct code_cache *cc;
	struct iomap *io;
	struct bus cpubus;
	struct cpu *cpu[NCPU];
	struct lapic *l[NCPU];
	struct ioapic *ioa;
} r;

static uint8_t *no_ram(void *ctx, uint64_t pa)
{
	(void)ctx, (void)pa;
	return NULL;
}

static const struct bus_ops ops = { .ram_page = no_ram };

static void make(uint8_t version)
{
	char err[128];
	memset(&r, 0, sizeof(r));
	r.clk = clock_create(1000000000u);
	r.bus = apicbus_create();
	r.cc = code_cache_create(1 << 20);
	r.io = iomap_create();
	r.cpubus = (struct bus){ &ops, NULL };
	for (unsigned i = 0; i < NCPU; i++) {
		struct lapic_config lc = { .apic_id = i, .x2apic = true };
		r.cpu[i] = cpu_create(&r.cpubus, r.cc, NULL, i);
		r.l[i] = lapic_create(&lc, r.cpu[i], r.bus, r.clk);
		lapic_mmio_write(r.l[i], LAPIC_SVR, 4, LAPIC_SVR_ENABLE | 0xff);
	}
	r.ioa = ioapic_create(r.io, BASE, version, 0, r.bus, err, sizeof(err));
	assert_non_null(r.ioa);
}

static int setup(void **state)
{
	(void)state;
	make(IOAPIC_VERSION_82093AA);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ioapic_destroy(r.ioa);
	for (unsigned i = 0; i < NCPU; i++) {
		lapic_destroy(r.l[i]);
		cpu_destroy(r.cpu[i]);
	}
	iomap_destroy(r.io);
	apicbus_destroy(r.bus);
	code_cache_destroy(r.cc);
	clock_destroy(r.clk);
	return 0;
}

static uint32_t reg_rd(uint32_t reg)
{
	iomap_write(r.io, IOMAP_MMIO, BASE + IOAPIC_IOREGSEL, 4, reg);
	return (uint32_t)iomap_read(r.io, IOMAP_MMIO, BASE + IOAPIC_IOWIN, 4);
}

static void reg_wr(uint32_t reg, uint32_t val)
{
	iomap_write(r.io, IOMAP_MMIO, BASE + IOAPIC_IOREGSEL, 4, reg);
	iomap_write(r.io, IOMAP_MMIO, BASE + IOAPIC_IOWIN, 4, val);
}

static void redir(unsigned pin, uint32_t lo, uint8_t dest)
{
	reg_wr(IOAPIC_REG_REDTBL + 2 * pin + 1, (uint32_t)dest << 24);
	reg_wr(IOAPIC_REG_REDTBL + 2 * pin, lo);
}

static bool irr_has(unsigned cpu, unsigned v)
{
	return (lapic_peek(r.l[cpu], LAPIC_IRR + (v / 32) * 16) >> (v % 32)) & 1;
}

static void eoi(unsigned cpu)
{
	lapic_mmio_write(r.l[cpu], LAPIC_EOI, 4, 0);
}

/* Datasheet 3.2.1-3.2.4: reset values and the read-only fields. */
static void test_registers(void **state)
{
	(void)state;
	assert_int_equal(reg_rd(IOAPIC_REG_VER), 0x00170011u);   /* 24 entries */
	assert_int_equal(reg_rd(IOAPIC_REG_ID), 0);
	reg_wr(IOAPIC_REG_ID, 0x0f000000u | 0x00ffffffu);
	assert_int_equal(reg_rd(IOAPIC_REG_ID), 0x0f000000u);
	assert_int_equal(reg_rd(IOAPIC_REG_ARB), 0x0f000000u);
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 2 * pin), APIC_MASKED);
		assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 2 * pin + 1), 0);
	}
	/* Delivery status and remote IRR are read-only. */
	redir(5, 0xffffffffu, 0xff);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 10), 0x0001afffu);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 11), 0xff000000u);
	/* IOREGSEL keeps bits 7:0. */
	iomap_write(r.io, IOMAP_MMIO, BASE, 4, 0x1234);
	assert_int_equal(iomap_read(r.io, IOMAP_MMIO, BASE, 4), 0x34);
}

/* Edge: one message per rising edge, none while masked. */
static void test_edge(void **state)
{
	(void)state;
	redir(4, 0x41, 1);
	ioapic_set_pin(r.ioa, 4, true);
	assert_true(irr_has(1, 0x41));
	assert_false(irr_has(0, 0x41));
	assert_int_equal(lapic_acknowledge(r.l[1]), 0x41);
	eoi(1);
	ioapic_set_pin(r.ioa, 4, true);        /* no edge */
	assert_false(irr_has(1, 0x41));
	ioapic_set_pin(r.ioa, 4, false);
	redir(4, APIC_MASKED | 0x41, 1);
	ioapic_set_pin(r.ioa, 4, true);        /* edge while masked: lost */
	redir(4, 0x41, 1);
	assert_false(irr_has(1, 0x41));
	/* Active low: the falling edge is the assertion. */
	ioapic_set_pin(r.ioa, 4, true);
	redir(4, APIC_POLARITY_LOW | 0x42, 1);
	ioapic_set_pin(r.ioa, 4, false);
	assert_true(irr_has(1, 0x42));
}

/* Level: remote IRR from acceptance to the EOI broadcast; delivered
 * again after the EOI while the pin is still asserted. */
static void test_level_remote_irr(void **state)
{
	(void)state;
	redir(9, APIC_TRIGGER_LEVEL | 0x50, 0);
	ioapic_set_pin(r.ioa, 9, true);
	assert_true(irr_has(0, 0x50));
	assert_true(ioapic_redirection(r.ioa, 9) & APIC_REMOTE_IRR);
	/* TMR says level. */
	assert_true(lapic_peek(r.l[0], LAPIC_TMR + 0x20) & (1u << 16));
	assert_int_equal(lapic_acknowledge(r.l[0]), 0x50);
	eoi(0);
	assert_true(irr_has(0, 0x50));         /* still asserted */
	assert_int_equal(lapic_acknowledge(r.l[0]), 0x50);
	ioapic_set_pin(r.ioa, 9, false);
	eoi(0);
	assert_false(ioapic_redirection(r.ioa, 9) & APIC_REMOTE_IRR);
	assert_false(irr_has(0, 0x50));
	/* Asserted while masked: delivered when unmasked. */
	redir(9, APIC_MASKED | APIC_TRIGGER_LEVEL | 0x50, 0);
	ioapic_set_pin(r.ioa, 9, true);
	assert_false(irr_has(0, 0x50));
	redir(9, APIC_TRIGGER_LEVEL | 0x50, 0);
	assert_true(irr_has(0, 0x50));
	/* Active-low level. */
	ioapic_set_pin(r.ioa, 10, true);
	redir(10, APIC_POLARITY_LOW | APIC_TRIGGER_LEVEL | 0x51, 0);
	assert_false(irr_has(0, 0x51));
	ioapic_set_pin(r.ioa, 10, false);
	assert_true(irr_has(0, 0x51));
}

/* Version 20H: the EOI register clears remote IRR without a broadcast;
 * the local APICs then offer EOI-broadcast suppression. */
static void test_eoi_register(void **state)
{
	(void)state;
	teardown(NULL);
	make(IOAPIC_VERSION_EOI);
	redir(11, APIC_TRIGGER_LEVEL | 0x60, 0);
	ioapic_set_pin(r.ioa, 11, true);
	assert_true(ioapic_redirection(r.ioa, 11) & APIC_REMOTE_IRR);
	ioapic_set_pin(r.ioa, 11, false);
	iomap_write(r.io, IOMAP_MMIO, BASE + IOAPIC_EOIR, 4, 0x60);
	assert_false(ioapic_redirection(r.ioa, 11) & APIC_REMOTE_IRR);
}

/* Delivery modes and destinations. */
static void test_modes_and_destinations(void **state)
{
	(void)state;
	/* NMI. */
	redir(3, APIC_DM_NMI << 8, 1);
	ioapic_set_pin(r.ioa, 3, true);
	assert_true(r.cpu[1]->nmi_pending);
	/* Logical flat: both CPUs in LDR bits 0 and 1, destination 3. */
	lapic_mmio_write(r.l[0], LAPIC_LDR, 4, 1u << 24);
	lapic_mmio_write(r.l[1], LAPIC_LDR, 4, 2u << 24);
	redir(6, APIC_DEST_LOGICAL | 0x70, 3);
	ioapic_set_pin(r.ioa, 6, true);
	assert_true(irr_has(0, 0x70) && irr_has(1, 0x70));
	/* Lowest priority: the lowest TPR wins; a tie goes to APIC ID 0. */
	lapic_mmio_write(r.l[0], LAPIC_TPR, 4, 0x20);
	redir(7, APIC_DM_LOWEST << 8 | APIC_DEST_LOGICAL | 0x71, 3);
	ioapic_set_pin(r.ioa, 7, true);
	assert_true(irr_has(1, 0x71));
	assert_false(irr_has(0, 0x71));
	lapic_mmio_write(r.l[0], LAPIC_TPR, 4, 0);
	redir(8, APIC_DM_LOWEST << 8 | APIC_DEST_LOGICAL | 0x72, 3);
	ioapic_set_pin(r.ioa, 8, true);
	assert_true(irr_has(0, 0x72));
	assert_false(irr_has(1, 0x72));
	/* INIT resets CPU 1 into wait-for-SIPI. */
	r.cpu[1]->wait_sipi = false;
	redir(12, APIC_DM_INIT << 8, 1);
	ioapic_set_pin(r.ioa, 12, true);
	assert_int_equal(cpu_activity(r.cpu[1]), CPU_WAIT_FOR_SIPI);
}

/* The PC's routing: ISA IRQ 0 is GSI 2, IRQ 2 reaches nothing, the
 * others are their own GSI. */
static void test_isa_routing(void **state)
{
	(void)state;
	struct irq_sink s = ioapic_isa_sink(r.ioa);
	assert_int_equal(PC_GSI_OF_IRQ(0), 2);
	assert_int_equal(PC_GSI_OF_IRQ(2), -1);
	assert_int_equal(PC_GSI_OF_IRQ(14), 14);
	redir(2, 0x80, 0);
	redir(0, 0x81, 0);
	s.set_line(s.opaque, 0, true);
	assert_true(irr_has(0, 0x80));
	assert_false(irr_has(0, 0x81));
	redir(14, 0x82, 0);
	s.set_line(s.opaque, 14, true);
	assert_true(irr_has(0, 0x82));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_remote_irr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eoi_register, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes_and_destinations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_isa_routing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
