/* The MP tables parsed back as MP specification 1.4 (chapter 4) lays
 * them out: the floating pointer ("_MP_", 16 bytes, checksum, spec 1.4,
 * pointing at the table), the configuration table ("PCMP", checksum,
 * entry count, local APIC at 0xfee00000), one processor entry per CPU
 * with the BSP flag on the first only, the ISA bus, the I/O APIC at
 * 0xfec00000, ISA IRQs 0-15 but the cascade (IRQ 0 on input 2, IRQ 9
 * level/active high), ExtINT on LINT0 and NMI on LINT1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/mptable.h"
#include "platform/pc_layout.h"

#define BASE 0xf0000ull

static uint8_t area[8192];

static uint32_t u16(const uint8_t *p)
{
	return (uint32_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
	return u16(p) | u16(p + 2) << 16;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static void check(unsigned n)
{
	struct mptable_config cfg = {
		.ncpus = n, .cpu_signature = 0x000806ec, .cpu_features = 0x1234,
	};
	const uint8_t *f = area, *t, *e, *end;
	unsigned cpus = 0, buses = 0, ioapics = 0, lints = 0, count;
	bool irq_seen[16] = { false };
	size_t used;

	memset(area, 0, sizeof(area));
	used = mptable_build(&cfg, BASE, area, sizeof(area));
	assert_true(used > 16);
	assert_memory_equal(f, "_MP_", 4);
	assert_int_equal(f[8], 1);                  /* length: 1 paragraph */
	assert_int_equal(f[9], 4);                  /* spec 1.4 */
	assert_int_equal(sum(f, 16), 0);
	assert_int_equal(f[11], 0);                 /* table present */
	assert_true(u32(f + 4) >= BASE && u32(f + 4) < BASE + used);
	t = area + (u32(f + 4) - BASE);
	assert_memory_equal(t, "PCMP", 4);
	assert_int_equal(t[6], 4);
	assert_int_equal(sum(t, u16(t + 4)), 0);
	assert_true(t + u16(t + 4) <= area + used);
	assert_int_equal(u32(t + 36), 0xfee00000);
	count = u16(t + 34);
	e = t + 44;
	end = t + u16(t + 4);
	for (unsigned i = 0; i < count; i++) {
		assert_true(e < end);
		switch (e[0]) {
		case 0:     /* processor, 20 bytes */
			assert_int_equal(e[1], cpus);   /* APIC IDs 0..n-1 */
			assert_int_equal(e[3] & 1, 1);  /* enabled */
			assert_int_equal((e[3] >> 1) & 1, cpus == 0);
			assert_int_equal(u32(e + 4), 0x000806ec);
			assert_int_equal(u32(e + 8), 0x1234);
			cpus++;
			e += 20;
			break;
		case 1:     /* bus */
			assert_memory_equal(e + 2, "ISA   ", 6);
			buses++;
			e += 8;
			break;
		case 2:     /* I/O APIC */
			assert_int_equal(e[1], PC_IOAPIC_ID);
			assert_int_equal(e[3] & 1, 1);
			assert_int_equal(u32(e + 4), 0xfec00000);
			ioapics++;
			e += 8;
			break;
		case 3:     /* I/O interrupt assignment */
			assert_int_equal(e[1], 0);      /* INT */
			assert_int_equal(e[4], 0);      /* the ISA bus */
			assert_true(e[5] < 16 && e[5] != 2);
			assert_false(irq_seen[e[5]]);
			irq_seen[e[5]] = true;
			assert_int_equal(e[6], PC_IOAPIC_ID);
			assert_int_equal(e[7], e[5] == 0 ? 2 : e[5]);
			assert_int_equal(u16(e + 2), e[5] == 9 ? 0xd : 0);
			e += 8;
			break;
		case 4:     /* local interrupt: all local APICs */
			assert_int_equal(e[6], 0xff);
			if (e[1] == 3)
				assert_int_equal(e[7], 0);  /* ExtINT, LINT0 */
			else
				assert_int_equal(e[1] == 1 && e[7] == 1, 1);
			lints++;
			e += 8;
			break;
		default:
			fail_msg("entry type %u", e[0]);
		}
	}
	assert_ptr_equal(e, end);
	assert_int_equal(cpus, n);
	assert_int_equal(buses, 1);
	assert_int_equal(ioapics, 1);
	assert_int_equal(lints, 2);
	for (unsigned irq = 0; irq < 16; irq++)
		assert_int_equal(irq_seen[irq], irq != 2);
}

static void test_tables(void **state)
{
	(void)state;
	check(1);
	check(2);
	check(4);
	check(64);
	check(255);
}

static void test_too_small(void **state)
{
	(void)state;
	struct mptable_config cfg = { .ncpus = 64 };

	assert_int_equal(mptable_build(&cfg, BASE, area, 256), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
