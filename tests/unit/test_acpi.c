/* The ACPI tables, parsed back the way an OS finds them (ACPI 6.0 5.2):
 * RSDP -> XSDT and RSDT -> FADT and MADT, FADT -> FACS and DSDT. Every
 * signature, length and checksum; the FADT's PM1a blocks, PM timer, SCI
 * and reset register against the PC's ports (0xb000, 0xb004, 0xb008,
 * IRQ 9, 0xcf9 with value 6); the DSDT's \_S5 package decoded as AML;
 * the MADT's entries for 1, 2, 4, 64 and 255 CPUs. The offsets below are the
 * specification's, written out rather than taken from platform/acpi.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/acpi.h"
#include "platform/pc_layout.h"

#define BASE 0xe0000ull
#define AREA 0x10000

static uint8_t area[AREA];

static uint32_t u16(const uint8_t *p)
{
	return (uint32_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
	return u16(p) | u16(p + 2) << 16;
}

static uint64_t u64(const uint8_t *p)
{
	return u32(p) | (uint64_t)u32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* The table at guest address pa: in the area, with its signature, a
 * length that fits, and a zero checksum. */
static const uint8_t *table(uint64_t pa, const char *sig)
{
	const uint8_t *t;

	assert_true(pa >= BASE && pa + 36 <= BASE + AREA);
	t = area + (pa - BASE);
	assert_memory_equal(t, sig, 4);
	assert_true(u32(t + 4) >= 36);
	assert_true(pa + u32(t + 4) <= BASE + AREA);
	assert_int_equal(sum(t, u32(t + 4)), 0);
	assert_memory_equal(t + 10, "VMXSIM", 6);
	return t;
}

static const uint8_t *build(unsigned ncpus, struct acpi_tables *out)
{
	struct acpi_config cfg = { .ncpus = ncpus };

	memset(area, 0, sizeof(area));
	assert_int_equal(acpi_build(&cfg, BASE, area, sizeof(area), out), 0);
	assert_int_equal(out->rsdp, BASE);
	return area;
}

static void test_rsdp(void **state)
{
	(void)state;
	struct acpi_tables at;
	const uint8_t *r = build(1, &at);

	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(sum(r, 20), 0);            /* ACPI 1.0 part */
	assert_int_equal(r[15], 2);                 /* revision */
	assert_int_equal(u32(r + 20), 36);          /* length */
	assert_int_equal(sum(r, 36), 0);            /* extended checksum */
	assert_int_equal(BASE % 16, 0);             /* 16-byte boundary */
	table(u32(r + 16), "RSDT");
	table(u64(r + 24), "XSDT");
}

/* The root tables list the same tables, 32- and 64-bit. */
static void test_root_tables(void **state)
{
	(void)state;
	struct acpi_tables at;
	const uint8_t *r = build(2, &at);
	const uint8_t *rsdt = table(u32(r + 16), "RSDT");
	const uint8_t *xsdt = table(u64(r + 24), "XSDT");
	unsigned n = (u32(xsdt + 4) - 36) / 8;
	bool fadt = false, madt = false;

	assert_int_equal((u32(rsdt + 4) - 36) / 4, n);
	assert_int_equal(n, 2);
	for (unsigned i = 0; i < n; i++) {
		uint64_t pa = u64(xsdt + 36 + 8 * i);

		assert_int_equal(u32(rsdt + 36 + 4 * i), pa);
		if (memcmp(area + (pa - BASE), "FACP", 4) == 0)
			fadt = true;
		if (memcmp(area + (pa - BASE), "APIC", 4) == 0)
			madt = true;
		table(pa, (const char *)area + (pa - BASE));
	}
	assert_true(fadt && madt);
}

static const uint8_t *find(const char *sig, unsigned ncpus)
{
	struct acpi_tables at;
	const uint8_t *r = build(ncpus, &at);
	const uint8_t *xsdt = table(u64(r + 24), "XSDT");

	for (unsigned i = 0; i < (u32(xsdt + 4) - 36) / 8; i++) {
		uint64_t pa = u64(xsdt + 36 + 8 * i);

		if (memcmp(area + (pa - BASE), sig, 4) == 0)
			return table(pa, sig);
	}
	fail_msg("no %s table", sig);
	return NULL;
}

/* A generic address structure (5.2.3.2) in system I/O space. */
static void check_gas(const uint8_t *g, uint64_t port, unsigned bits)
{
	assert_int_equal(g[0], 1);                  /* system I/O */
	assert_int_equal(g[1], bits);
	assert_int_equal(g[2], 0);                  /* bit offset */
	assert_int_equal(u64(g + 4), port);
}

static void test_fadt(void **state)
{
	(void)state;
	const uint8_t *f = find("FACP", 1);
	const uint8_t *facs, *dsdt;

	assert_int_equal(u32(f + 4), 276);          /* revision 6 length */
	assert_true(f[8] >= 3);
	assert_int_equal(u16(f + 46), 9);           /* SCI_INT */
	assert_int_equal(u32(f + 48), 0);           /* no SMI_CMD */
	assert_int_equal(u32(f + 56), 0xb000);      /* PM1a_EVT_BLK */
	assert_int_equal(u32(f + 60), 0);           /* no PM1b */
	assert_int_equal(u32(f + 64), 0xb004);      /* PM1a_CNT_BLK */
	assert_int_equal(u32(f + 76), 0xb008);      /* PM_TMR_BLK */
	assert_int_equal(f[88], 4);                 /* PM1_EVT_LEN */
	assert_int_equal(f[89], 2);                 /* PM1_CNT_LEN */
	assert_int_equal(f[91], 4);                 /* PM_TMR_LEN */
	assert_int_equal(u32(f + 80), 0);           /* no GPE0 */
	/* A 24-bit timer (TMR_VAL_EXT clear); RESET_REG_SUP set. */
	assert_int_equal(u32(f + 112) & (1u << 8), 0);
	assert_int_not_equal(u32(f + 112) & (1u << 10), 0);
	/* IA-PC boot flags: legacy devices and an 8042. */
	assert_int_equal(u16(f + 109) & 3, 3);
	check_gas(f + 116, 0xcf9, 8);               /* RESET_REG */
	assert_int_equal(f[128], 6);                /* RESET_VALUE */
	check_gas(f + 148, 0xb000, 32);             /* X_PM1a_EVT_BLK */
	check_gas(f + 172, 0xb004, 16);             /* X_PM1a_CNT_BLK */
	check_gas(f + 208, 0xb008, 32);             /* X_PM_TMR_BLK */
	/* The FACS in X_FIRMWARE_CTRL alone (FIRMWARE_CTRL is ignored
	 * then); the DSDT in both fields, the same. */
	assert_int_equal(u32(f + 36), 0);
	assert_int_equal(u64(f + 140), u32(f + 40)); /* X_DSDT */
	/* FACS: no checksum, 64 bytes, 64-byte aligned (5.2.10). */
	assert_int_equal(u64(f + 132) % 64, 0);
	assert_true(u64(f + 132) >= BASE && u64(f + 132) + 64 <= BASE + AREA);
	facs = area + (u64(f + 132) - BASE);
	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal(u32(facs + 4), 64);
	dsdt = table(u32(f + 40), "DSDT");
	assert_true(dsdt[8] >= 2);                  /* 64-bit AML integers */
	/* The port layout the devices implement agrees. */
	assert_int_equal(PC_PORT_PM1A_EVT, 0xb000);
	assert_int_equal(PC_PORT_PM1A_CNT, 0xb004);
	assert_int_equal(PC_PORT_PM_TMR, 0xb008);
	assert_int_equal(PC_PORT_RESET, 0xcf9);
	assert_int_equal(PC_IRQ_SCI, 9);
}

/* An AML integer: ZeroOp, OneOp, or BytePrefix + byte (20.2.3). */
static unsigned aml_int(const uint8_t **p)
{
	uint8_t op = *(*p)++;

	if (op == 0x00 || op == 0x01)
		return op;
	assert_int_equal(op, 0x0a);
	return *(*p)++;
}

static void test_dsdt_s5(void **state)
{
	(void)state;
	const uint8_t *f = find("FACP", 1);
	const uint8_t *d = table(u32(f + 40), "DSDT");
	const uint8_t *aml = d + 36, *end = d + u32(d + 4), *p, *pkg;
	const uint8_t name[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12 };
	unsigned pkglen;

	/* Name (\_S5, Package (4) { typa, typb, 0, 0 }) */
	pkg = NULL;
	for (const uint8_t *q = aml; q + sizeof(name) <= end; q++)
		if (memcmp(q, name, sizeof(name)) == 0)
			pkg = q + sizeof(name);
	assert_non_null(pkg);
	p = pkg;
	pkglen = *p++;
	assert_int_equal(pkglen >> 6, 0);           /* one-byte PkgLength */
	assert_true(pkg + pkglen <= end);
	assert_int_equal(*p++, 4);                  /* NumElements */
	assert_int_equal(aml_int(&p), PC_SLP_TYP_S5);
	assert_int_equal(aml_int(&p), PC_SLP_TYP_S5);
	aml_int(&p);
	aml_int(&p);
	/* PkgLength counts itself and the rest of the package (20.2.4). */
	assert_int_equal(p - pkg, pkglen);
}

static void test_madt(void **state)
{
	(void)state;
	static const unsigned counts[] = { 1, 2, 4, 64, 255 };

	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned n = counts[c], lapics = 0, ioapics = 0, isos = 0;
		unsigned nmis = 0;
		const uint8_t *m = find("APIC", n);
		const uint8_t *e = m + 44, *end = m + u32(m + 4);
		bool seen[256] = { false };

		assert_int_equal(u32(m + 36), 0xfee00000);  /* LAPIC address */
		assert_int_equal(u32(m + 40) & 1, 1);       /* PCAT_COMPAT */
		while (e < end) {
			assert_true(e[1] >= 2 && e + e[1] <= end);
			switch (e[0]) {
			case 0:     /* Processor Local APIC */
				assert_int_equal(e[1], 8);
				assert_true(e[3] < n);
				assert_false(seen[e[3]]);
				seen[e[3]] = true;
				assert_int_equal(u32(e + 4) & 1, 1);
				lapics++;
				break;
			case 1:     /* I/O APIC */
				assert_int_equal(e[1], 12);
				assert_int_equal(e[2], PC_IOAPIC_ID);
				assert_int_equal(u32(e + 4), 0xfec00000);
				assert_int_equal(u32(e + 8), 0);
				ioapics++;
				break;
			case 2:     /* Interrupt Source Override */
				assert_int_equal(e[1], 10);
				assert_int_equal(e[2], 0);  /* ISA */
				if (e[3] == 0) {
					assert_int_equal(u32(e + 4), 2);
					assert_int_equal(u16(e + 8), 0);
				} else {
					/* SCI: level, active high. */
					assert_int_equal(e[3], 9);
					assert_int_equal(u32(e + 4), 9);
					assert_int_equal(u16(e + 8), 0xd);
				}
				isos++;
				break;
			case 4:     /* Local APIC NMI: LINT1 of all */
				assert_int_equal(e[1], 6);
				assert_int_equal(e[2], 0xff);
				assert_int_equal(e[5], 1);
				nmis++;
				break;
			default:
				fail_msg("unexpected MADT entry type %u", e[0]);
			}
			e += e[1];
		}
		assert_ptr_equal(e, end);
		assert_int_equal(lapics, n);
		assert_int_equal(ioapics, 1);
		assert_int_equal(isos, 2);
		assert_int_equal(nmis, 1);
	}
}

static void test_area_too_small(void **state)
{
	(void)state;
	struct acpi_config cfg = { .ncpus = 64 };
	struct acpi_tables at;

	assert_int_equal(acpi_build(&cfg, BASE, area, 512, &at), -1);
	assert_int_equal(acpi_build(&cfg, BASE, area, AREA, &at), 0);
	assert_true(at.size <= AREA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp),
		cmocka_unit_test(test_root_tables),
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_dsdt_s5),
		cmocka_unit_test(test_madt),
		cmocka_unit_test(test_area_too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
