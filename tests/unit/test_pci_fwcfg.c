/* PCI configuration mechanism #1 (PCI Local Bus 3.0 3.2.2.3.2) with its
 * 82441FX host bridge, QEMU's fw_cfg (docs/specs/fw_cfg.rst) and the
 * pc-testdev, through their ports as a guest reaches them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/fwcfg.h"
#include "platform/iomap.h"
#include "platform/irq.h"
#include "platform/pci.h"
#include "platform/testdev.h"

static struct iomap *io;
static struct pci *pci;
static struct fwcfg *fwcfg;
static struct testdev *testdev;
static struct irq_bus irqs;
static uint8_t rc;
static unsigned rc_writes;
static bool line_level[24];

static uint8_t rc_read(void *opaque)
{
	(void)opaque;
	return rc;
}

static void rc_write(void *opaque, uint8_t v)
{
	(void)opaque;
	rc = v;
	rc_writes++;
}

static void sink(void *opaque, unsigned line, bool level)
{
	(void)opaque;
	line_level[line] = level;
}

static uint32_t in(uint16_t port, unsigned size)
{
	return (uint32_t)iomap_read(io, IOMAP_PORT, port, size);
}

static void out(uint16_t port, unsigned size, uint32_t v)
{
	iomap_write(io, IOMAP_PORT, port, size, v);
}

static int setup(void **state)
{
	char err[128];
	struct pci_config pc = { .rc_read = rc_read, .rc_write = rc_write };
	struct fwcfg_config fc = {
		.ram_size = 0x20000000, .ram_end = 0x20000000,
		.ncpus = 4, .max_cpus = 4,
	};

	(void)state;
	io = iomap_create();
	pc.io = io;
	fc.io = io;
	irqs = (struct irq_bus){ 0 };
	irq_bus_attach(&irqs, (struct irq_sink){ .set_line = sink });
	memset(line_level, 0, sizeof(line_level));
	rc = 0;
	rc_writes = 0;
	pci = pci_create(&pc, err, sizeof(err));
	fwcfg = fwcfg_create(&fc, err, sizeof(err));
	testdev = testdev_create(io, &irqs, err, sizeof(err));
	assert_non_null(pci);
	assert_non_null(fwcfg);
	assert_non_null(testdev);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pci_destroy(pci);
	fwcfg_destroy(fwcfg);
	testdev_destroy(testdev);
	iomap_destroy(io);
	return 0;
}

static uint32_t cfg_addr(unsigned bus, unsigned dev, unsigned fn,
			 unsigned reg)
{
	return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | reg;
}

static void test_config_address(void **state)
{
	(void)state;
	out(0xcf8, 4, 0xffffffff);
	assert_int_equal(in(0xcf8, 4), 0x80fffffc);
	out(0xcf8, 4, 0x80000000);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
	/* Linux's probe writes a byte to 0xcfb, which is not
	 * CONFIG_ADDRESS. */
	out(0xcfb, 1, 0x01);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
	/* The byte at 0xcf9 is the reset control register. */
	out(0xcf9, 1, 0x06);
	assert_int_equal(rc_writes, 1);
	assert_int_equal(rc, 0x06);
	assert_int_equal(in(0xcf9, 1), 0x06);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
}

/* One row per register of the 82441FX's header (datasheet defaults). */
static const struct { unsigned reg, size; uint32_t val; } host_regs[] = {
	{ 0x00, 4, 0x12378086 },   /* device, vendor */
	{ 0x00, 2, 0x8086 },
	{ 0x02, 2, 0x1237 },
	{ 0x04, 2, 0x0006 },       /* memory, bus master */
	{ 0x06, 2, 0x0280 },
	{ 0x08, 4, 0x06000002 },   /* class 060000, revision 02 */
	{ 0x0b, 1, 0x06 },
	{ 0x0e, 1, 0x00 },         /* header type 0, single function */
	{ 0x10, 4, 0x00000000 },   /* no BARs */
	{ 0x2c, 4, 0x00000000 },
};

static void test_host_bridge(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(host_regs) / sizeof(host_regs[0]); i++) {
		unsigned r = host_regs[i].reg, n = host_regs[i].size;

		out(0xcf8, 4, cfg_addr(0, 0, 0, r & 0xfc));
		if (in((uint16_t)(0xcfc + (r & 3)), n) != host_regs[i].val)
			fail_msg("register 0x%02x (%u bytes): 0x%x, not 0x%x",
				 r, n, in((uint16_t)(0xcfc + (r & 3)), n),
				 host_regs[i].val);
	}
	/* Read-only header: vendor and BARs keep their values. */
	out(0xcf8, 4, cfg_addr(0, 0, 0, 0x00));
	out(0xcfc, 4, 0);
	assert_int_equal(in(0xcfc, 4), 0x12378086);
	out(0xcf8, 4, cfg_addr(0, 0, 0, 0x10));
	out(0xcfc, 4, 0xffffffff);
	assert_int_equal(in(0xcfc, 4), 0);
	/* PERR# and SERR# enables are writable; the rest reads as it was. */
	out(0xcf8, 4, cfg_addr(0, 0, 0, 0x04));
	out(0xcfc, 2, 0xffff);
	assert_int_equal(in(0xcfc, 2), 0x0146);
	/* Chipset registers keep what is written (PAM1 at 0x5a). */
	out(0xcf8, 4, cfg_addr(0, 0, 0, 0x58));
	out(0xcfe, 1, 0x33);
	assert_int_equal(in(0xcfc, 4), 0x00330000);
	/* A word at 0xcfe reads bytes 2 and 3 of the dword. */
	out(0xcf8, 4, cfg_addr(0, 0, 0, 0x00));
	assert_int_equal(in(0xcfe, 2), 0x1237);
}

static void test_absent_functions(void **state)
{
	(void)state;
	static const unsigned where[][3] = {
		{ 0, 1, 0 }, { 0, 0, 1 }, { 0, 31, 7 }, { 1, 0, 0 },
		{ 255, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		out(0xcf8, 4, cfg_addr(where[i][0], where[i][1], where[i][2], 0));
		assert_int_equal(in(0xcfc, 4), 0xffffffff);
		assert_int_equal(in(0xcfd, 1), 0xff);
	}
	/* Enable bit clear: no configuration cycle. */
	out(0xcf8, 4, 0x00000000);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
}

static void select_key(uint16_t key)
{
	out(0x510, 2, key);
}

static uint64_t fw_read(unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)in(0x511, 1) << (8 * i);
	return v;
}

static void test_fwcfg_items(void **state)
{
	(void)state;
	static const struct { uint16_t key; unsigned len; uint64_t val; } items[] = {
		{ 0x0000, 4, 0x554d4551 },      /* "QEMU" */
		{ 0x0001, 4, 1 },               /* traditional interface */
		{ 0x0003, 8, 0x20000000 },
		{ 0x0005, 2, 4 },
		{ 0x000f, 2, 4 },
		{ 0x0011, 8, 0x20000000 },
		{ 0x0019, 4, 0 },               /* empty file directory */
		{ 0x4005, 2, 4 },               /* the write bit selects too */
		{ 0x0002, 8, 0 },               /* no UUID item */
		{ 0x8000, 8, 0 },               /* no x86 items */
	};
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		select_key(items[i].key);
		uint64_t v = fw_read(items[i].len);
		if (v != items[i].val)
			fail_msg("key 0x%04x: 0x%llx, not 0x%llx", items[i].key,
				 (unsigned long long)v,
				 (unsigned long long)items[i].val);
		/* Past the end: zeros. */
		assert_int_equal(fw_read(4), 0);
	}
	/* Selecting again restarts at offset 0; a byte write to the
	 * selector or a data write changes nothing. */
	select_key(0x0000);
	assert_int_equal(in(0x511, 1), 'Q');
	out(0x510, 1, 0x05);
	out(0x511, 1, 0x00);
	assert_int_equal(in(0x511, 1), 'E');
	select_key(0x0000);
	assert_int_equal(in(0x511, 1), 'Q');
	/* No DMA interface. */
	assert_int_equal(in(0x514, 4), 0xffffffff);
}

static void test_testdev(void **state)
{
	(void)state;
	out(0xe0, 4, 0x12345678);
	assert_int_equal(in(0xe0, 4), 0x12345678);
	assert_int_equal(in(0xe2, 1), 0x34);
	assert_int_equal(in(0xe1, 2), 0x3456);
	out(0xe1, 1, 0xaa);
	assert_int_equal(in(0xe0, 4), 0x1234aa78);
	/* The byte window shares the register. */
	assert_int_equal(in(0xe8, 1), 0x78);
	assert_int_equal(in(0xea, 2), 0x1234);
	out(0xeb, 1, 0x99);
	assert_int_equal(in(0xe0, 4), 0x9934aa78);
	/* Flush page: a write, nothing to see. */
	out(0xe4, 4, 0x1000);
	assert_int_equal(in(0xe0, 4), 0x9934aa78);
	/* IRQ lines stay where they are set. */
	out(0x2005, 1, 1);
	assert_true(line_level[5]);
	out(0x2005, 1, 0x80);
	assert_true(line_level[5]);
	out(0x2005, 1, 0);
	assert_false(line_level[5]);
	out(0x2017, 1, 1);
	assert_true(line_level[23]);
	/* 64 KiB of scratch memory at 0xff000000. */
	iomap_write(io, IOMAP_MMIO, 0xff000000, 8, 0x0123456789abcdefull);
	assert_int_equal(iomap_read(io, IOMAP_MMIO, 0xff000004, 4), 0x01234567);
	iomap_write(io, IOMAP_MMIO, 0xff00fffe, 2, 0xbeef);
	assert_int_equal(iomap_read(io, IOMAP_MMIO, 0xff00ffff, 1), 0xbe);
	assert_int_equal(iomap_read(io, IOMAP_MMIO, 0xff010000, 1), 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_bridge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwcfg_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_testdev, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
