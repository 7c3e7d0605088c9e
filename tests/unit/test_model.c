/* The built-in CPU model and CPUID: vendor, signature, brand string and
 * address sizes; exactly the feature flags of what vmxsim implements;
 * the SDM's rule for leaves out of range; and the fields that depend on
 * the CPU (APIC ID, OSPKE, IA32_MISC_ENABLE's CPUID limit and XD
 * disable). The expected bit positions are those of SDM Vol. 2A, CPUID
 * (tables 3-8 to 3-11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/decode.h"
#include "cpu/msr.h"
#include "tests/unit/env.h"

#define EAX CPUID_EAX
#define EBX CPUID_EBX
#define ECX CPUID_ECX
#define EDX CPUID_EDX

static void cpuid_m(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	model_cpuid(model_default(), leaf, sub, out);
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(model_find("default"), model_default());
	assert_string_equal(model_default()->name, "default");
	assert_null(model_find("skylake-server"));
	assert_null(model_find(NULL));
}

static void test_identity(void **state)
{
	(void)state;
	uint32_t r[4];
	char vendor[13] = { 0 };
	cpuid_m(0, 0, r);
	memcpy(vendor, &r[EBX], 4);
	memcpy(vendor + 4, &r[EDX], 4);
	memcpy(vendor + 8, &r[ECX], 4);
	assert_string_equal(vendor, "GenuineIntel");
	assert_int_equal(r[EAX], 0xd);

	/* SDM Vol. 2A figure 3-6: family 6 uses the extended model. */
	cpuid_m(1, 0, r);
	unsigned family = (r[EAX] >> 8) & 0xf;
	unsigned model = ((r[EAX] >> 4) & 0xf) | (((r[EAX] >> 16) & 0xf) << 4);
	assert_int_equal(family, 6);
	assert_true(model >= 0x8e);
	assert_int_equal(((r[EBX] >> 8) & 0xff) * 8, 64); /* CLFLUSH size */

	char brand[49] = { 0 };
	for (uint32_t l = 0; l < 3; l++) {
		cpuid_m(0x80000002 + l, 0, r);
		memcpy(brand + 16 * l, r, 16);
	}
	assert_string_equal(brand, "vmxsim virtual CPU");

	cpuid_m(0x80000000, 0, r);
	assert_int_equal(r[EAX], 0x80000008);
	cpuid_m(0x80000008, 0, r);
	assert_int_equal(r[EAX] & 0xff, 46);         /* physical bits */
	assert_int_equal((r[EAX] >> 8) & 0xff, 48);  /* linear bits */
}

struct flag {
	uint32_t leaf;
	int reg;
	unsigned bit;
	bool set;
	const char *name;
};

/* What vmxsim implements is advertised; nothing else is. */
static const struct flag flags[] = {
	{ 1, EDX, 0, true, "FPU" }, { 1, EDX, 1, true, "VME" },
	{ 1, EDX, 2, true, "DE" }, { 1, EDX, 3, true, "PSE" },
	{ 1, EDX, 4, true, "TSC" }, { 1, EDX, 5, true, "MSR" },
	{ 1, EDX, 6, true, "PAE" }, { 1, EDX, 7, false, "MCE" },
	{ 1, EDX, 8, true, "CX8" }, { 1, EDX, 9, true, "APIC" },
	{ 1, EDX, 11, true, "SEP" }, { 1, EDX, 12, true, "MTRR" },
	{ 1, EDX, 13, true, "PGE" }, { 1, EDX, 14, false, "MCA" },
	{ 1, EDX, 15, true, "CMOV" }, { 1, EDX, 16, true, "PAT" },
	{ 1, EDX, 17, true, "PSE-36" }, { 1, EDX, 19, true, "CLFSH" },
	{ 1, EDX, 23, true, "MMX" }, { 1, EDX, 24, true, "FXSR" },
	{ 1, EDX, 25, true, "SSE" }, { 1, EDX, 26, true, "SSE2" },
	{ 1, ECX, 0, true, "SSE3" }, { 1, ECX, 3, false, "MONITOR" },
	{ 1, ECX, 1, false, "PCLMULQDQ" }, { 1, ECX, 9, true, "SSSE3" },
	{ 1, ECX, 12, false, "FMA" }, { 1, ECX, 19, true, "SSE4.1" },
	{ 1, ECX, 20, true, "SSE4.2" }, { 1, ECX, 25, false, "AES" },
	{ 1, ECX, 28, false, "AVX" }, { 1, ECX, 29, false, "F16C" },
	{ 1, ECX, 5, false, "VMX" }, { 1, ECX, 13, true, "CX16" },
	{ 1, ECX, 17, true, "PCID" }, { 1, ECX, 21, true, "x2APIC" },
	{ 1, ECX, 22, true, "MOVBE" }, { 1, ECX, 23, true, "POPCNT" },
	{ 1, ECX, 24, true, "TSC-deadline" }, { 1, ECX, 26, true, "XSAVE" },
	{ 1, ECX, 30, true, "RDRAND" }, { 1, ECX, 31, false, "hypervisor" },
	{ 7, EBX, 0, true, "FSGSBASE" }, { 7, EBX, 1, true, "TSC_ADJUST" },
	{ 7, EBX, 3, false, "BMI1" }, { 7, EBX, 5, false, "AVX2" },
	{ 7, EBX, 7, true, "SMEP" }, { 7, EBX, 8, false, "BMI2" },
	{ 7, EBX, 10, true, "INVPCID" }, { 7, EBX, 18, true, "RDSEED" },
	{ 7, EBX, 20, true, "SMAP" }, { 7, ECX, 2, false, "UMIP" },
	{ 7, ECX, 3, true, "PKU" }, { 7, ECX, 16, false, "LA57" },
	{ 7, ECX, 22, true, "RDPID" },
	{ 0x80000001, ECX, 0, true, "LAHF/SAHF" },
	{ 0x80000001, ECX, 5, true, "LZCNT" },
	{ 0x80000001, EDX, 11, true, "SYSCALL" },
	{ 0x80000001, EDX, 20, true, "NX" },
	{ 0x80000001, EDX, 26, true, "1 GiB pages" },
	{ 0x80000001, EDX, 27, true, "RDTSCP" },
	{ 0x80000001, EDX, 29, true, "LM" },
	{ 0x80000007, EDX, 8, true, "invariant TSC" },
};

static void test_feature_flags(void **state)
{
	(void)state;
	for (size_t n = 0; n < sizeof(flags) / sizeof(flags[0]); n++) {
		uint32_t r[4];
		cpuid_m(flags[n].leaf, 0, r);
		bool set = (r[flags[n].reg] >> flags[n].bit) & 1;
		if (set != flags[n].set)
			fail_msg("CPUID.%#x: %s should be %d", flags[n].leaf,
				 flags[n].name, flags[n].set);
	}
	/* No architectural performance monitoring (leaf 0AH is zeros). */
	uint32_t r[4];
	cpuid_m(0xa, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	assert_true(model_has(model_default(), FEAT_SMAP));
	assert_false(model_has(model_default(), FEAT_VMX));
	assert_string_equal(model_feature_name(FEAT_PKU), "CPUID.0x7.0:ECX.PKU[bit 3]");
}

/* Leaf 0DH (SDM Vol. 1 13.2, Vol. 2A table 3-8) describes exactly the
 * XSAVE state components vmxsim implements: x87 and SSE in the 512-byte
 * legacy region plus the 64-byte header, XSAVEOPT, XSAVEC, XGETBV with
 * ECX = 1 and XSAVES, no supervisor components; sub-leaves 2 and up
 * (AVX and later) are zeros. */
static void test_xsave_leaf(void **state)
{
	(void)state;
	uint32_t r[4];
	cpuid_m(0xd, 0, r);
	assert_int_equal(r[EAX], 3);
	assert_int_equal(r[EBX], 576);
	assert_int_equal(r[ECX], 576);
	assert_int_equal(r[EDX], 0);
	cpuid_m(0xd, 1, r);
	assert_int_equal(r[EAX], 0xf);
	assert_int_equal(r[EBX], 576);
	assert_int_equal(r[ECX] | r[EDX], 0);
	for (uint32_t sub = 2; sub < 64; sub++) {
		cpuid_m(0xd, sub, r);
		assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	}
	assert_true(model_has(model_default(), FEAT_XSAVEOPT));
	assert_true(model_has(model_default(), FEAT_XSAVEC));
	assert_true(model_has(model_default(), FEAT_XGETBV_ECX1));
	assert_true(model_has(model_default(), FEAT_XSAVES));
	/* Fast FXSAVE is AMD's; this is an Intel model. */
	assert_false(model_has(model_default(), FEAT_FFXSR));
}

/* SDM Vol. 2A CPUID: a leaf above the basic or extended maximum returns
 * the highest basic leaf's data; a leaf within range that has no data
 * returns zeros. */
static void test_out_of_range_leaves(void **state)
{
	(void)state;
	uint32_t top[4], r[4];
	cpuid_m(0xd, 1, top);
	static const uint32_t beyond[] = { 0xe, 0x14, 0x40000000, 0x80000009,
					   0xc0000000, 0xffffffff };
	for (size_t n = 0; n < sizeof(beyond) / sizeof(beyond[0]); n++) {
		cpuid_m(beyond[n], 1, r);
		assert_memory_equal(r, top, sizeof(r));
	}
	cpuid_m(2, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	cpuid_m(0xc, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	cpuid_m(0x80000005, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	cpuid_m(7, 1, r);      /* sub-leaf beyond leaf 7's maximum (0) */
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
}

/* CPUID (0F A2) as one CPU answers it. */
static void cpuid_i(struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	static const uint8_t insn[] = { 0x0f, 0xa2 };
	c->gpr[REG_RAX] = 0xffffffff00000000ull | leaf;
	c->gpr[REG_RCX] = 0xffffffff00000000ull | sub;
	c->gpr[REG_RBX] = c->gpr[REG_RDX] = ~0ull;
	assert_int_equal(env_run(c, insn, sizeof(insn)), -1);
	for (int n = 0; n < 4; n++)
		assert_int_equal(c->gpr[n == 0 ? REG_RAX : n == 1 ? REG_RBX :
					n == 2 ? REG_RCX : REG_RDX] >> 32, 0);
	r[EAX] = (uint32_t)c->gpr[REG_RAX];
	r[EBX] = (uint32_t)c->gpr[REG_RBX];
	r[ECX] = (uint32_t)c->gpr[REG_RCX];
	r[EDX] = (uint32_t)c->gpr[REG_RDX];
}

static void test_per_cpu_fields(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	uint32_t r[4];
	c->apic_id = 5;
	cpuid_i(c, 1, 0, r);
	assert_int_equal(r[EBX] >> 24, 5);
	assert_int_equal((r[ECX] >> 27) & 1, 0);       /* OSXSAVE */
	assert_int_equal((r[EDX] >> 9) & 1, 1);        /* APIC */
	/* SDM Vol. 3A 10.4.3: a disabled APIC clears the flag. */
	c->apic_base &= ~(1ull << 11);
	cpuid_i(c, 1, 0, r);
	assert_int_equal((r[EDX] >> 9) & 1, 0);
	c->apic_base |= 1ull << 11;

	/* Leaf 0BH: x2APIC ID in EDX, the sub-leaf echoed in ECX[7:0]; SMT
	 * level first, then core; past the last level the type is 0. */
	cpuid_i(c, 0xb, 0, r);
	assert_int_equal(r[EDX], 5);
	assert_int_equal(r[ECX], 0x100);
	assert_int_equal(r[EBX] & 0xffff, 1);
	cpuid_i(c, 0xb, 1, r);
	assert_int_equal(r[ECX], 0x201);
	assert_true((r[EAX] & 0x1f) >= 8);
	cpuid_i(c, 0xb, 2, r);
	assert_int_equal(r[EAX], 0);
	assert_int_equal(r[EBX], 0);
	assert_int_equal(r[ECX], 2);
	assert_int_equal(r[EDX], 5);

	/* OSPKE mirrors CR4.PKE. */
	cpuid_i(c, 7, 0, r);
	assert_int_equal((r[ECX] >> 4) & 1, 0);
	c->cr4 |= 1u << 22;
	cpuid_i(c, 7, 0, r);
	assert_int_equal((r[ECX] >> 4) & 1, 1);
	c->cr4 &= ~(1u << 22);
	c->apic_id = 0;
}

/* SDM Vol. 4 table 2-2, IA32_MISC_ENABLE: bit 22 limits CPUID.0:EAX to
 * 2; bit 34 clears the NX flag. */
static void test_misc_enable_effects(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	uint32_t r[4], two[4];
	c->misc_enable |= 1ull << 22;
	cpuid_i(c, 0, 0, r);
	assert_int_equal(r[EAX], 2);
	cpuid_i(c, 2, 0, two);
	cpuid_i(c, 7, 0, r);
	assert_memory_equal(r, two, sizeof(r));
	cpuid_i(c, 0x80000001, 0, r);          /* extended leaves remain */
	assert_int_equal((r[EDX] >> 29) & 1, 1);
	c->misc_enable &= ~(1ull << 22);
	cpuid_i(c, 0, 0, r);
	assert_int_equal(r[EAX], 0xd);

	c->misc_enable |= 1ull << 34;
	cpuid_i(c, 0x80000001, 0, r);
	assert_int_equal((r[EDX] >> 20) & 1, 0);
	assert_false(cpuid_has(c, FEAT_NX));
	c->misc_enable &= ~(1ull << 34);
	assert_true(cpuid_has(c, FEAT_NX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_feature_flags),
		cmocka_unit_test(test_xsave_leaf),
		cmocka_unit_test(test_out_of_range_leaves),
		cmocka_unit_test(test_per_cpu_fields),
		cmocka_unit_test(test_misc_enable_effects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
