/* The run loop: instruction budgets, halting, and code changed while it
 * is cached, with and without the block cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/blockcache.h"
#include "tests/unit/env.h"

/* A flat 32-bit CPU with code loaded at ENV_RIP. */
static struct cpu *flat32(bool cache, const uint8_t *code, size_t len)
{
	struct cpu *c = env_cpu(ENV_FLAT32);
	cpu_set_block_cache(c, cache);
	env_load(ENV_RIP, code, len);
	return c;
}

/* mov byte [next+1], 0x42 ; mov eax, 0x11 ; hlt. The store rewrites the
 * immediate of the very next instruction, which must run with the new
 * byte (SDM Vol. 3A 11.6). */
static void run_patch_next(bool cache)
{
	const uint8_t code[] = {
		0xc6, 0x05, 0x08, 0x00, 0x01, 0x00, 0x42, /* mov byte [0x10008], 0x42 */
		0xb8, 0x11, 0x00, 0x00, 0x00,             /* mov eax, 0x11 */
		0xf4,                                     /* hlt */
	};
	struct cpu *c = flat32(cache, code, sizeof(code));
	assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
	assert_int_equal(cpu_get_gpr(c, REG_RAX), 0x42);
	assert_int_equal(cpu_icount(c), 3);
}

static void test_patch_next_instruction_cached(void **s)
{
	(void)s;
	run_patch_next(true);
}

static void test_patch_next_instruction_uncached(void **s)
{
	(void)s;
	run_patch_next(false);
}

/* A loop whose body rewrites an instruction it has already run: the
 * second iteration must run the new bytes. */
static void run_patch_loop(bool cache)
{
	const uint8_t code[] = {
		0xb9, 0x02, 0x00, 0x00, 0x00,             /* mov ecx, 2 */
		0xb8, 0x01, 0x00, 0x00, 0x00,             /* L: mov eax, 1 */
		0x01, 0xc3,                               /* add ebx, eax */
		0xc6, 0x05, 0x06, 0x00, 0x01, 0x00, 0x02, /* mov byte [L+1], 2 */
		0x49,                                     /* dec ecx */
		0x75, 0xef,                               /* jnz L */
		0xf4,                                     /* hlt */
	};
	struct cpu *c = flat32(cache, code, sizeof(code));
	assert_int_equal(cpu_run(c, 1000), CPU_STOP_HALTED);
	assert_int_equal(cpu_get_gpr(c, REG_RBX), 1 + 2);
	assert_int_equal(cpu_icount(c), 1 + 2 * 5 + 1);
}

static void test_patch_loop_cached(void **s)
{
	(void)s;
	run_patch_loop(true);
}

static void test_patch_loop_uncached(void **s)
{
	(void)s;
	run_patch_loop(false);
}

/* A write by something other than a CPU (a loader, a device) reported
 * through code_cache_note_write drops the cached block. */
static void test_external_write_drops_block(void **s)
{
	(void)s;
	const uint8_t code[] = {
		0xb8, 0x01, 0x00, 0x00, 0x00, /* mov eax, 1 */
		0xf4,                         /* hlt */
	};
	struct cpu *c = flat32(true, code, sizeof(code));
	assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
	assert_int_equal(cpu_get_gpr(c, REG_RAX), 1);
	*env_ptr(ENV_RIP + 1) = 7;
	code_cache_note_write(c->cc, ENV_RIP + 1, 1);
	c->halted = false;
	cpu_set_rip(c, ENV_RIP);
	assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
	assert_int_equal(cpu_get_gpr(c, REG_RAX), 7);
}

/* The budget is exact: the run stops after exactly that many retired
 * instructions, inside a block if need be, and resumes there. */
static void test_budget_is_exact(void **s)
{
	(void)s;
	const uint8_t code[] = {
		0x40, 0x40, 0x40, 0x40, 0x40, 0x40, /* inc eax x6 */
		0xf4,
	};
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = flat32(cache, code, sizeof(code));
		assert_int_equal(cpu_run(c, 4), CPU_STOP_BUDGET);
		assert_int_equal(cpu_icount(c), 4);
		assert_int_equal(cpu_get_gpr(c, REG_RAX), 4);
		assert_int_equal(cpu_get_rip(c), ENV_RIP + 4);
		assert_int_equal(cpu_run(c, 100), CPU_STOP_HALTED);
		assert_int_equal(cpu_get_gpr(c, REG_RAX), 6);
		assert_int_equal(cpu_icount(c), 7);
	}
}

/* Each iteration of a REP string instruction counts as an instruction,
 * and a burst stops where the budget ends: 1000 iterations of REP STOSB
 * take 1000 of the budget, whatever the cache. */
static void test_rep_iterations_count(void **s)
{
	(void)s;
	const uint8_t code[] = {
		0xf3, 0xaa, /* rep stosb */
		0xf4,
	};
	for (int cache = 0; cache <= 1; cache++) {
		struct cpu *c = flat32(cache, code, sizeof(code));
		c->gpr[REG_RDI] = 0x40000;
		c->gpr[REG_RCX] = 1000;
		assert_int_equal(cpu_run(c, 300), CPU_STOP_BUDGET);
		assert_int_equal(cpu_icount(c), 300);
		assert_int_equal(cpu_get_gpr(c, REG_RCX), 700);
		assert_int_equal(cpu_get_rip(c), ENV_RIP);
		assert_int_equal(cpu_run(c, 10000), CPU_STOP_HALTED);
		assert_int_equal(cpu_get_gpr(c, REG_RCX), 0);
		assert_int_equal(cpu_icount(c), 1001);
	}
}

/* cpu_describe() names the mode from CR0.PE, RFLAGS.VM, EFER.LMA and
 * CS, with CS:rIP, CPL and the activity state. */
static void test_describe(void **s)
{
	(void)s;
	char buf[160];
	struct cpu *c = env_cpu(ENV_LONG64);
	cpu_describe(c, buf, sizeof(buf));
	assert_non_null(strstr(buf,
			       ":0000000000010000, 64-bit mode, CPL 0, running"));
	c = env_cpu(ENV_FLAT32);
	c->halted = true;
	cpu_describe(c, buf, sizeof(buf));
	assert_non_null(strstr(buf,
			       ":00010000, 32-bit protected mode, CPL 0, halted"));
	c = env_cpu(ENV_REAL);
	cpu_describe(c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "real mode"));
	c = env_cpu(ENV_FLAT32);
	c->rflags |= FLAG_VM;
	cpu_describe(c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "virtual-8086 mode"));
}

/* A fault leaves no trace: the faulting store's registers and memory
 * are as before, and RIP points at the faulting instruction when the
 * handler runs (here: no IDT, so the CPU shuts down, and the reason
 * names the first fault's cause chain). */
static void test_fault_without_idt_shuts_down(void **s)
{
	(void)s;
	const uint8_t code[] = {
		0x0f, 0x0b, /* ud2 */
	};
	struct cpu *c = flat32(true, code, sizeof(code));
	c->idtr.limit = 0;
	assert_int_equal(cpu_run(c, 100), CPU_STOP_SHUTDOWN);
	assert_non_null(strstr(cpu_last_reason(c), "triple fault"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patch_next_instruction_cached),
		cmocka_unit_test(test_patch_next_instruction_uncached),
		cmocka_unit_test(test_patch_loop_cached),
		cmocka_unit_test(test_patch_loop_uncached),
		cmocka_unit_test(test_external_write_drops_block),
		cmocka_unit_test(test_budget_is_exact),
		cmocka_unit_test(test_rep_iterations_count),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_fault_without_idt_shuts_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
