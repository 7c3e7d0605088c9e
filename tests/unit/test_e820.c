/* The memory map for every RAM layout: entries in address order without
 * overlaps; the PC's fixed reserved ranges (the EBDA and BIOS area
 * 0x9fc00-0xfffff, the I/O APIC page at 0xfec00000, the local APIC page
 * at 0xfee00000, pc-testdev's 64 KiB at 0xff000000); every byte of RAM
 * usable except the 0x60400 bytes of the BIOS hole; and, above 3.5 GiB of
 * RAM, RAM past 3 GiB at 4 GiB. The addresses are the PC's (and QEMU's
 * "pc" machine's), not taken from the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/e820.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

struct layout {
	uint64_t ram;        /* -m */
	uint64_t low_end;    /* end of RAM below 4 GiB */
	uint64_t high;       /* RAM at 4 GiB */
};

static const struct layout layouts[] = {
	{ 1 * MIB, 1 * MIB, 0 },
	{ 16 * MIB, 16 * MIB, 0 },
	{ 512 * MIB, 512 * MIB, 0 },
	{ 3 * GIB + 512 * MIB, 3 * GIB + 512 * MIB, 0 },
	{ 3 * GIB + 512 * MIB + 4096, 3 * GIB, 512 * MIB + 4096 },
	{ 4 * GIB, 3 * GIB, 1 * GIB },
	{ 8 * GIB, 3 * GIB, 5 * GIB },
};

static const struct e820_entry reserved[] = {
	{ 0x9fc00, 0x60400, 2 },
	{ 0xfec00000, 0x1000, 2 },
	{ 0xfee00000, 0x1000, 2 },
	{ 0xff000000, 0x10000, 2 },
};

static bool has_entry(const struct e820_map *m, uint64_t addr, uint64_t size,
		      uint32_t type)
{
	for (unsigned i = 0; i < m->count; i++)
		if (m->entry[i].addr == addr && m->entry[i].size == size &&
		    m->entry[i].type == type)
			return true;
	return false;
}

static void test_layouts(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(layouts) / sizeof(layouts[0]); t++) {
		const struct layout *l = &layouts[t];
		char err[128];
		struct ram *ram = ram_create(l->ram, err, sizeof(err));
		struct e820_map m;
		uint64_t usable = 0;

		assert_non_null(ram);
		e820_build(ram, &m);
		assert_true(m.count <= E820_MAX_ENTRIES);
		for (unsigned i = 0; i < m.count; i++) {
			assert_true(m.entry[i].size > 0);
			if (i > 0)
				assert_true(m.entry[i - 1].addr +
					    m.entry[i - 1].size <=
					    m.entry[i].addr);
			if (m.entry[i].type == 1)
				usable += m.entry[i].size;
		}
		for (size_t r = 0; r < sizeof(reserved) / sizeof(reserved[0]);
		     r++)
			assert_true(has_entry(&m, reserved[r].addr,
					      reserved[r].size, 2));
		assert_true(has_entry(&m, 0, 0x9fc00, 1));
		if (l->low_end > MIB)
			assert_true(has_entry(&m, MIB, l->low_end - MIB, 1));
		if (l->high)
			assert_true(has_entry(&m, 4 * GIB, l->high, 1));
		/* All RAM is usable but the BIOS hole. */
		assert_int_equal(usable, l->ram - 0x60400);
		ram_destroy(ram);
	}
}

static void test_is_ram(void **state)
{
	(void)state;
	char err[128];
	struct ram *ram = ram_create(4 * GIB, err, sizeof(err));
	struct e820_map m;

	assert_non_null(ram);
	e820_build(ram, &m);
	assert_true(e820_is_ram(&m, 0, 0x9fc00));
	assert_false(e820_is_ram(&m, 0, 0x9fc01));     /* into the EBDA */
	assert_false(e820_is_ram(&m, 0xe0000, 16));    /* BIOS area */
	assert_true(e820_is_ram(&m, MIB, 3 * GIB - MIB));
	assert_false(e820_is_ram(&m, 3 * GIB - 4096, 8192));
	assert_false(e820_is_ram(&m, 0xfee00000, 4));
	assert_true(e820_is_ram(&m, 4 * GIB, GIB));
	assert_false(e820_is_ram(&m, 5 * GIB - 1, 2));
	/* A range that wraps around is never RAM. */
	assert_false(e820_is_ram(&m, 4 * GIB, UINT64_MAX));
	ram_destroy(ram);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(e820_type_name(1), "usable");
	assert_string_equal(e820_type_name(2), "reserved");
	assert_string_equal(e820_type_name(3), "ACPI data");
	assert_string_equal(e820_type_name(12), "type 12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_is_ram),
		cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
