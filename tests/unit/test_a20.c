/* The A20 gate in the CPU: with cpu_set_a20(c, false), bit 20 of every
 * physical address is 0 (the A20M# input of SDM Vol. 3A 8.7.13.4 and the
 * PC's gate): linear addresses with paging off, page-frame addresses and
 * page-table addresses; the TLB keeps nothing computed with the old
 * gate. */
#include "env.h"

#define MIB 0x100000u

static int setup(void **state)
{
	(void)state;
	env_open(4 * MIB, NULL, ENV_PT);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	env_close(env_cur);
	return 0;
}

static void test_paging_off(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);

	env_set(0x2000, 4, 0x11111111);
	env_set(MIB + 0x2000, 4, 0x22222222);
	env_set(2 * MIB + 0x2000, 4, 0x44444444);
	assert_int_equal(mem_read32(c, SEG_DS, MIB + 0x2000), 0x22222222);
	cpu_set_a20(c, false);
	assert_int_equal(mem_read32(c, SEG_DS, MIB + 0x2000), 0x11111111);
	/* Only bit 20 is masked: 3 MiB aliases 2 MiB. */
	assert_int_equal(mem_read32(c, SEG_DS, 2 * MIB + 0x2000), 0x44444444);
	assert_int_equal(mem_read32(c, SEG_DS, 3 * MIB + 0x2000), 0x44444444);
	mem_write32(c, SEG_DS, MIB + 0x2004, 0xabcdef01);
	assert_int_equal(env_get(0x2004, 4), 0xabcdef01);
	assert_int_equal(env_get(MIB + 0x2004, 4), 0);
	assert_int_equal(phys_read(c, MIB + 0x2000, 4), 0x11111111);
	cpu_set_a20(c, true);
	assert_int_equal(mem_read32(c, SEG_DS, MIB + 0x2000), 0x22222222);
	assert_int_equal(phys_read(c, MIB + 0x2000, 4), 0x22222222);
}

/* Real mode: FFFF:0010 is linear 0x100000, which wraps to 0 with the
 * gate closed, as on an 8086. */
static void test_real_mode_wrap(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_REAL);

	env_set(0x0000, 2, 0x1234);
	env_set(MIB, 2, 0x5678);
	c->seg[SEG_ES].sel = 0xffff;
	c->seg[SEG_ES].base = 0xffff0;
	c->seg[SEG_ES].limit = 0xffff;
	assert_int_equal(mem_read16(c, SEG_ES, 0x10), 0x5678);
	cpu_set_a20(c, false);
	assert_int_equal(mem_read16(c, SEG_ES, 0x10), 0x1234);
}

/* With paging, the frame a PTE names and the tables themselves go
 * through the gate. */
static void test_paging(void **state)
{
	(void)state;
	static const uint64_t rw[2] = { PTE_P | PTE_RW, PTE_P | PTE_RW };
	struct cpu *c = env_cpu(ENV_FLAT32);

	env_paging(PAGING_32);
	env_map(0x400000, MIB + 0x3000, 12, rw, NULL);
	env_set(0x3000, 4, 0xaaaaaaaa);
	env_set(MIB + 0x3000, 4, 0xbbbbbbbb);
	assert_int_equal(mem_read32(c, SEG_DS, 0x400000), 0xbbbbbbbb);
	cpu_set_a20(c, false);
	assert_int_equal(mem_read32(c, SEG_DS, 0x400000), 0xaaaaaaaa);
	cpu_set_a20(c, true);

	/* A page table above 1 MiB, reached with the gate closed, is read
	 * at its address with bit 20 clear. */
	env_set((c->cr3 & ~0xfffull) + (0x800000 >> 22) * 4, 4,
		(MIB + 0x5000) | PTE_P | PTE_RW);
	env_set(MIB + 0x5000, 4, 0x6000 | PTE_P | PTE_RW);   /* PTE 0 */
	env_set(0x5000, 4, 0x7000 | PTE_P | PTE_RW);         /* its alias */
	env_set(0x6000, 4, 0x66666666);
	env_set(0x7000, 4, 0x77777777);
	tlb_flush_all(c);
	assert_int_equal(mem_read32(c, SEG_DS, 0x800000), 0x66666666);
	cpu_set_a20(c, false);
	assert_int_equal(mem_read32(c, SEG_DS, 0x800000), 0x77777777);
	/* The accessed flag went to the table actually read. */
	assert_int_equal(env_get(0x5000, 4) & PTE_A, PTE_A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paging_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_mode_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
